import Engine
import Foundation

/// The text `notifyd rules check` prints for a valid folder: rules per project, with their
/// triggers and actions.
struct RuleSummary {
    let text: String

    init(_ rules: RuleSet) {
        var lines = ["\(rules.rules.count) rule(s) in \(rules.files.count) file(s)"]
        var scopes: [String: [Rule]] = [:]
        for rule in rules.rules {
            for scope in rule.projects ?? ["every project"] { scopes[scope, default: []].append(rule) }
        }
        for scope in scopes.keys.sorted() {
            lines.append("")
            lines.append(scope == "every project" ? "every project:" : "project \(scope):")
            for rule in scopes[scope]! {
                let triggers = rule.triggers.isEmpty ? "every signal" : rule.triggers.map(\.name).joined(separator: " \(rule.match.rawValue == "all" ? "and" : "or") ")
                let actions = rule.actions.map(RuleText.action).joined(separator: ", ")
                let environment = rule.environment.map { " [\($0)]" } ?? ""
                let state = rule.enabled ? "" : " (disabled)"
                lines.append("  \(rule.id)\(environment)\(state): \(triggers) → \(actions)")
            }
        }
        text = lines.joined(separator: "\n")
    }
}
