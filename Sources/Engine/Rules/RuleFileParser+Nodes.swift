internal import Yams

/// Typed access to YAML nodes, recording a positioned error for anything of the wrong shape.
extension RuleFileParser {
    func location(_ node: Node) -> RuleLocation {
        RuleLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func fail(_ node: Node, _ message: String) {
        errors.append(RuleError(location(node), message))
    }

    static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "a value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The members of a mapping by key; unknown, duplicate and missing keys are recorded as
    /// errors, and the known members are still returned so the rest can be checked too. `nil`
    /// only when the node is not a mapping.
    mutating func mapping(_ node: Node, _ allowed: Set<String>, required: Set<String>, what: String) -> [String: Node]? {
        guard case .mapping(let members) = node else {
            fail(node, "\(what) must be a mapping, not \(Self.kind(node))")
            return nil
        }
        var fields: [String: Node] = [:]
        for (keyNode, value) in members {
            guard case .scalar(let key) = keyNode else {
                fail(keyNode, "keys must be plain names")
                continue
            }
            if !allowed.contains(key.string) {
                let expected = allowed.isEmpty ? "no keys" : allowed.sorted().joined(separator: ", ")
                fail(keyNode, "unknown key '\(key.string)' in \(what) (expected \(expected))")
            } else if fields[key.string] != nil {
                fail(keyNode, "duplicate key '\(key.string)'")
            } else {
                fields[key.string] = value
            }
        }
        for key in required.sorted() where fields[key] == nil {
            fail(node, "\(what) is missing '\(key)'")
        }
        return fields
    }

    /// The one key of a single-key mapping (`- frequency: {…}`), its node and its value.
    mutating func singleKey(_ node: Node, _ what: String) -> (String, Node, Node)? {
        guard case .mapping(let members) = node, members.count == 1, let (keyNode, value) = members.first,
            case .scalar(let key) = keyNode
        else {
            fail(node, "a \(what) is a name or a mapping with one key (like `- frequency: {count: 100, interval: 1h}`)")
            return nil
        }
        return (key.string, keyNode, value)
    }

    mutating func list(_ node: Node, _ key: String) -> [Node]? {
        guard case .sequence(let items) = node else {
            fail(node, "\(key) must be a list, not \(Self.kind(node))")
            return nil
        }
        return Array(items)
    }

    mutating func string(_ node: Node, _ key: String) -> String? {
        guard case .scalar(let scalar) = node else {
            fail(node, "\(key) must be a value, not \(Self.kind(node))")
            return nil
        }
        return scalar.string
    }

    /// A list of values, or a single value as a one-element list.
    mutating func stringList(_ node: Node, _ key: String) -> [String]? {
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let items):
            var values: [String] = []
            for item in items {
                guard let value = string(item, key) else { return nil }
                values.append(value)
            }
            return values
        default:
            fail(node, "\(key) must be a value or a list of values, not \(Self.kind(node))")
            return nil
        }
    }

    mutating func int(_ node: Node, _ key: String, minimum: Int) -> Int? {
        guard let text = string(node, key) else { return nil }
        guard let value = Int(text), value >= minimum else {
            fail(node, "\(key) must be a whole number of at least \(minimum), not '\(text)'")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, _ key: String) -> Bool? {
        guard let text = string(node, key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail(node, "\(key) must be true or false, not '\(text)'")
            return nil
        }
    }
}
