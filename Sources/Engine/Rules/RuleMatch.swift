/// How a list of conditions combines: every one, at least one, or none must pass.
public enum RuleMatch: String, Sendable, Hashable, CaseIterable {
    case all
    case any
    case none

    /// Combines lazily evaluated results; an empty list passes (Sentry: an empty filter list
    /// always passes).
    func combine<C: Collection>(_ conditions: C, _ passes: (C.Element) throws -> Bool) rethrows -> Bool {
        guard !conditions.isEmpty else { return true }
        switch self {
        case .all: return try conditions.allSatisfy(passes)
        case .any: return try conditions.contains(where: passes)
        case .none: return try !conditions.contains(where: passes)
        }
    }
}
