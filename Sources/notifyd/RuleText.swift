import Engine
import Foundation

/// Rules in words, for `notifyd rules check` and the console's rule pages: triggers, filters
/// and actions as a person reads them. A webhook shows its URL, never its secret.
enum RuleText {
    static func trigger(_ trigger: RuleTrigger) -> String {
        switch trigger {
        case .newIssue: return "a new issue is created"
        case .regression: return "a resolved issue comes back (regression)"
        case .escalating: return "an ignored issue escalates"
        case .newHighPriorityIssue: return "a new high-priority issue is created"
        case .everyEvent: return "every event"
        case .frequency(let count, let interval): return "more than \(count) events in \(RuleDuration.format(interval))"
        case .uniqueUsers(let count, let interval): return "more than \(count) users in \(RuleDuration.format(interval))"
        }
    }

    static func filter(_ filter: RuleFilter) -> String {
        switch filter {
        case .level(let comparison, let level):
            let words = ["eq": "is", "gte": "is at least", "lte": "is at most"][comparison.rawValue] ?? comparison.rawValue
            return "level \(words) \(level.rawValue)"
        case .tag(let key, let match, let value): return "tag \(key) \(match.rawValue)\(value.map { " \($0)" } ?? "")"
        case .attribute(let name, let match, let value): return "\(name) \(match.rawValue)\(value.map { " \($0)" } ?? "")"
        case .issueCategory(let categories): return "category is \(categories.map(\.name).joined(separator: " or "))"
        case .issueType(let types): return "type is \(types.joined(separator: " or "))"
        case .olderThan(let age): return "issue older than \(RuleDuration.format(age))"
        case .newerThan(let age): return "issue newer than \(RuleDuration.format(age))"
        case .occurrencesAtLeast(let count): return "at least \(count) events"
        }
    }

    static func action(_ action: RuleAction) -> String {
        switch action {
        case .email(let to): return "email \(to.joined(separator: ", "))"
        case .webhook(let url, _): return "webhook \(url.absoluteString)"
        case .preview: return "preview"
        }
    }
}
