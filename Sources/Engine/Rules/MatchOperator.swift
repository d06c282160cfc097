import Foundation

/// How tag and attribute filters compare values (Sentry's `MatchType`), case-insensitively.
///
/// An event may have several values for one key (several exceptions, a repeated tag); the
/// positive operators pass when *any* value matches, the negative ones when *none* does.
public enum MatchOperator: String, Sendable, Hashable, CaseIterable {
    case eq, ne, sw, nsw, ew, new, co, nc, `is`, ns, `in`, nin

    /// Whether the operator needs a value to compare with (`is`/`ns` only test presence).
    public var needsValue: Bool { self != .is && self != .ns }

    /// Applies the operator to the values an event has for the key.
    public func matches(_ values: [String], _ target: String?) -> Bool {
        matchesLowercased(values.map { $0.lowercased() }, target)
    }

    /// `matches` for values already lower-cased (the evaluator lower-cases an event's values
    /// once per signal, not once per rule).
    func matchesLowercased(_ values: [String], _ target: String?) -> Bool {
        switch self {
        case .is: return !values.isEmpty
        case .ns: return values.isEmpty
        default: break
        }
        let target = (target ?? "").lowercased()
        switch self {
        case .eq: return values.contains(target)
        case .ne: return !values.contains(target)
        case .sw: return values.contains { $0.hasPrefix(target) }
        case .nsw: return !values.contains { $0.hasPrefix(target) }
        case .ew: return values.contains { $0.hasSuffix(target) }
        case .new: return !values.contains { $0.hasSuffix(target) }
        case .co: return values.contains { $0.contains(target) }
        case .nc: return !values.contains { $0.contains(target) }
        case .in, .nin:
            // Sentry removes every space before splitting on commas.
            let set = Set(target.replacingOccurrences(of: " ", with: "").split(separator: ",").map(String.init))
            let found = values.contains { set.contains($0) }
            return self == .in ? found : !found
        case .is, .ns: return false  // handled above
        }
    }
}
