/// How a list of conditions combines: every one, at least one, or none must pass.
public enum RuleMatch: String, Sendable, Hashable, CaseIterable {
    case all
    case any
    case none

    /// Combines lazily evaluated results; an empty list passes (Sentry: an empty filter list
    /// always passes).
    func combine<C: Collection>(_ conditions: C, _ passes: (C.Element) throws -> Bool) rethrows -> Bool {
        try combine(conditions, costlyLast: { _ in false }, passes)
    }

    /// Combines, evaluating the conditions `costlyLast` marks only after all the others (the
    /// outcome is the same; short-circuiting then usually spares the costly ones).
    func combine<C: Collection>(
        _ conditions: C, costlyLast isCostly: (C.Element) -> Bool, _ passes: (C.Element) throws -> Bool
    ) rethrows -> Bool {
        guard !conditions.isEmpty else { return true }
        func anyPasses() throws -> Bool {
            for condition in conditions where !isCostly(condition) {
                if try passes(condition) { return true }
            }
            for condition in conditions where isCostly(condition) {
                if try passes(condition) { return true }
            }
            return false
        }
        switch self {
        case .all:
            for condition in conditions where !isCostly(condition) {
                if try !passes(condition) { return false }
            }
            for condition in conditions where isCostly(condition) {
                if try !passes(condition) { return false }
            }
            return true
        case .any: return try anyPasses()
        case .none: return try !anyPasses()
        }
    }
}
