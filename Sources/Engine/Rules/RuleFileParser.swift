import Foundation
internal import Yams

/// Walks one rule file's YAML node tree, building rules and collecting every problem with its
/// position. Keys are checked strictly: an unknown key is an error (Yams' `Decodable` would
/// ignore it silently).
struct RuleFileParser {
    let file: String
    let environment: [String: String]
    var errors: [RuleError] = []

    init(file: String, environment: [String: String]) {
        self.file = file
        self.environment = environment
    }

    static let ruleKeys: Set<String> = [
        "id", "name", "projects", "environment", "enabled", "match", "triggers", "filter_match", "filters", "actions", "frequency",
    ]
    static let simpleTriggers = ["new_issue", "regression", "escalating", "new_high_priority_issue", "every_event"]
    static let attributeNames: Set<String> = [
        "message", "platform", "environment", "type", "level", "culprit", "title", "release", "user.id", "user.email",
        "user.username", "user.ip_address",
    ]

    mutating func parse(_ text: String) -> [Rule] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            errors.append(Self.syntaxError(error, file: file))
            return []
        } catch {
            errors.append(RuleError(RuleLocation(file: file, line: 1, column: 1), "cannot parse YAML: \(error)"))
            return []
        }
        guard let root else { return [] }  // an empty file holds no rules
        guard let top = mapping(root, ["rules"], required: ["rules"], what: "a rule file") else { return [] }
        guard let list = top["rules"], case .sequence(let items) = list else {
            if let node = top["rules"] { fail(node, "'rules' must be a list of rules") }
            return []
        }
        return items.compactMap { parseRule($0) }
    }

    static func syntaxError(_ error: YamlError, file: String) -> RuleError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return RuleError(RuleLocation(file: file, line: mark.line, column: mark.column), "invalid YAML: \(problem)")
        default:
            return RuleError(RuleLocation(file: file, line: 1, column: 1), "invalid YAML: \(error)")
        }
    }

    // MARK: Rules

    private mutating func parseRule(_ node: Node) -> Rule? {
        let before = errors.count
        guard let fields = mapping(node, Self.ruleKeys, required: ["id", "name", "actions"], what: "a rule") else { return nil }
        let id = fields["id"].flatMap { string($0, "id") }
        if let id, let idNode = fields["id"], id.isEmpty || !id.utf8.allSatisfy(Self.isSlugByte) {
            fail(idNode, "rule id '\(id)' must be made of a-z, 0-9, '_' and '-'")
        }
        let name = fields["name"].flatMap { string($0, "name") }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty, let nameNode = fields["name"] { fail(nameNode, "name must not be empty") }
        let projects = fields["projects"].flatMap { stringList($0, "projects") }
        let environment = fields["environment"].flatMap { string($0, "environment") }
        let enabled = fields["enabled"].flatMap { bool($0, "enabled") } ?? true
        let match = fields["match"].flatMap { matchMode($0, "match") } ?? .all
        let filterMatch = fields["filter_match"].flatMap { matchMode($0, "filter_match") } ?? .all
        let triggers = fields["triggers"].flatMap { list($0, "triggers") }?.compactMap { trigger($0) } ?? []
        let filters = fields["filters"].flatMap { list($0, "filters") }?.compactMap { filter($0) } ?? []
        var actions: [RuleAction] = []
        if let actionsNode = fields["actions"], let items = list(actionsNode, "actions") {
            actions = items.compactMap { action($0) }
            if items.isEmpty { fail(actionsNode, "a rule needs at least one action") }
        }
        var frequency = Duration.seconds(30 * 60)
        if let node = fields["frequency"], let text = string(node, "frequency") {
            if let parsed = RuleDuration.parse(text), parsed >= .seconds(5 * 60), parsed <= .seconds(30 * 86_400) {
                frequency = parsed
            } else {
                fail(node, "frequency '\(text)' must be a duration from 5m to 30d (like 30m, 1h, 1d)")
            }
        }
        guard errors.count == before, let id, let name else { return nil }
        return Rule(
            id: id, name: name, projects: projects, environment: environment, enabled: enabled, match: match, triggers: triggers,
            filterMatch: filterMatch, filters: filters, actions: actions, frequency: frequency, location: location(node))
    }

    private static func isSlugByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    // MARK: Triggers, filters, actions

    private mutating func trigger(_ node: Node) -> RuleTrigger? {
        if case .scalar(let scalar) = node {
            switch scalar.string {
            case "new_issue": return .newIssue
            case "regression": return .regression
            case "escalating": return .escalating
            case "new_high_priority_issue": return .newHighPriorityIssue
            case "every_event": return .everyEvent
            case "frequency", "unique_users":
                fail(node, "\(scalar.string) needs {count: N, interval: I}")
                return nil
            default:
                fail(node, "unknown trigger '\(scalar.string)' (expected \((Self.simpleTriggers + ["frequency", "unique_users"]).joined(separator: ", ")))")
                return nil
            }
        }
        guard let (name, keyNode, value) = singleKey(node, "trigger") else { return nil }
        switch name {
        case "frequency", "unique_users":
            guard let fields = mapping(value, ["count", "interval"], required: ["count", "interval"], what: name),
                let count = fields["count"].flatMap({ int($0, "count", minimum: 0) }),
                let interval = fields["interval"].flatMap({ triggerInterval($0) })
            else { return nil }
            return name == "frequency" ? .frequency(count: count, interval: interval) : .uniqueUsers(count: count, interval: interval)
        default:
            fail(keyNode, "unknown trigger '\(name)' (expected \((Self.simpleTriggers + ["frequency", "unique_users"]).joined(separator: ", ")))")
            return nil
        }
    }

    private mutating func triggerInterval(_ node: Node) -> Duration? {
        guard let text = string(node, "interval") else { return nil }
        guard RuleDuration.triggerIntervals.contains(text), let duration = RuleDuration.parse(text) else {
            fail(node, "unknown interval '\(text)' (expected \(RuleDuration.triggerIntervals.joined(separator: ", ")))")
            return nil
        }
        return duration
    }

    private mutating func filter(_ node: Node) -> RuleFilter? {
        guard let (name, keyNode, value) = singleKey(node, "filter") else { return nil }
        switch name {
        case "level":
            guard let fields = mapping(value, ["match", "value"], required: ["value"], what: "level"),
                let levelNode = fields["value"], let levelName = string(levelNode, "value")
            else { return nil }
            var comparison = RuleFilter.LevelComparison.eq
            if let matchNode = fields["match"], let text = string(matchNode, "match") {
                guard let parsed = RuleFilter.LevelComparison(rawValue: text) else {
                    fail(matchNode, "unknown level comparison '\(text)' (expected eq, gte, lte)")
                    return nil
                }
                comparison = parsed
            }
            guard let level = Level(name: levelName) else {
                fail(levelNode, "unknown level '\(levelName)' (expected debug, info, warning, error, fatal)")
                return nil
            }
            return .level(comparison, level)
        case "tag", "attribute":
            let keyName = name == "tag" ? "key" : "name"
            guard let fields = mapping(value, [keyName, "match", "value"], required: [keyName, "match"], what: name),
                let subjectNode = fields[keyName], let subject = string(subjectNode, keyName),
                let matchNode = fields["match"], let op = matchOperator(matchNode)
            else { return nil }
            if name == "attribute", !Self.attributeNames.contains(subject), !(subject.hasPrefix("tags.") && subject.count > 5) {
                fail(subjectNode, "unknown attribute '\(subject)' (expected \(Self.attributeNames.sorted().joined(separator: ", ")) or tags.<key>)")
                return nil
            }
            let text = fields["value"].flatMap { string($0, "value") }
            if op.needsValue, text == nil {
                fail(value, "'\(op.rawValue)' needs a value")
                return nil
            }
            return name == "tag" ? .tag(key: subject.lowercased(), op, value: text) : .attribute(name: subject, op, value: text)
        case "issue_category":
            guard let names = stringList(value, "issue_category") else { return nil }
            var categories: [GroupCategory] = []
            for name in names {
                guard let category = GroupCategory(name: name) else {
                    fail(value, "unknown issue category '\(name)' (expected \(GroupCategory.allCases.map(\.name).joined(separator: ", ")))")
                    return nil
                }
                categories.append(category)
            }
            return .issueCategory(categories)
        case "issue_type":
            guard let slugs = stringList(value, "issue_type") else { return nil }
            for slug in slugs where GroupTypeRegistry.standard.type(slug: slug) == nil {
                fail(value, "unknown issue type '\(slug)'")
                return nil
            }
            return .issueType(slugs)
        case "age":
            guard let fields = mapping(value, ["older_than", "newer_than"], required: [], what: "age") else { return nil }
            guard fields.count == 1, let (key, durationNode) = fields.first else {
                fail(value, "age needs exactly one of older_than, newer_than")
                return nil
            }
            guard let text = string(durationNode, key), let duration = RuleDuration.parse(text) else {
                fail(durationNode, "\(key) must be a duration like 30m, 12h, 1d, 2w")
                return nil
            }
            return key == "older_than" ? .olderThan(duration) : .newerThan(duration)
        case "occurrences":
            guard let fields = mapping(value, ["at_least"], required: ["at_least"], what: "occurrences"),
                let count = fields["at_least"].flatMap({ int($0, "at_least", minimum: 1) })
            else { return nil }
            return .occurrencesAtLeast(count)
        default:
            fail(keyNode, "unknown filter '\(name)' (expected level, tag, attribute, issue_category, issue_type, age, occurrences)")
            return nil
        }
    }

    private mutating func action(_ node: Node) -> RuleAction? {
        if case .scalar(let scalar) = node, scalar.string == "preview" { return .preview }
        guard let (name, keyNode, value) = singleKey(node, "action") else { return nil }
        switch name {
        case "email":
            guard let fields = mapping(value, ["to"], required: ["to"], what: "email"), let toNode = fields["to"],
                let addresses = stringList(toNode, "to")
            else { return nil }
            if addresses.isEmpty { fail(toNode, "email needs at least one address") }
            for address in addresses where !EmailAddress.isValid(address) {
                fail(toNode, "'\(address)' is not an email address")
            }
            return .email(to: addresses)
        case "webhook":
            guard let fields = mapping(value, ["url", "secret_env"], required: ["url"], what: "webhook") else { return nil }
            var url: URL?
            if let urlNode = fields["url"], let text = string(urlNode, "url") {
                if let parsed = URL(string: text), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
                    let host = parsed.host, !host.isEmpty
                {
                    url = parsed
                } else {
                    fail(urlNode, "'\(text)' is not an http or https URL")
                }
            }
            // Without `secret_env` the webhook is signed with its project's own secret.
            guard let secretNode = fields["secret_env"] else { return url.map { .webhook(url: $0, secretEnv: nil) } }
            guard let name = string(secretNode, "secret_env") else { return nil }
            guard let secret = environment[name], !secret.isEmpty else {
                fail(secretNode, "environment variable \(name) (the webhook's signing secret) is not set")
                return nil
            }
            return url.map { .webhook(url: $0, secretEnv: name) }
        case "preview":
            if case .scalar(let scalar) = value, scalar.string.isEmpty || scalar.string == "null" || scalar.string == "~" { return .preview }
            guard mapping(value, [], required: [], what: "preview") != nil else { return nil }
            return .preview
        default:
            fail(keyNode, "unknown action '\(name)' (expected email, webhook, preview)")
            return nil
        }
    }

    private mutating func matchOperator(_ node: Node) -> MatchOperator? {
        guard let text = string(node, "match") else { return nil }
        guard let op = MatchOperator(rawValue: text) else {
            fail(node, "unknown match operator '\(text)' (expected \(MatchOperator.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        return op
    }

    private mutating func matchMode(_ node: Node, _ key: String) -> RuleMatch? {
        guard let text = string(node, key) else { return nil }
        guard let mode = RuleMatch(rawValue: text) else {
            fail(node, "\(key) must be all, any or none, not '\(text)'")
            return nil
        }
        return mode
    }
}
