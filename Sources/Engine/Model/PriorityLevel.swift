/// How urgent an issue is (Sentry's `PriorityLevel`: low 25, medium 50, high 75).
public enum PriorityLevel: Int, Sendable, Codable, CaseIterable, Comparable {
    case low = 25
    case medium = 50
    case high = 75

    /// Lower-case name, as in `issue.priority:high` and API responses.
    public var name: String {
        switch self {
        case .low: return "low"
        case .medium: return "medium"
        case .high: return "high"
        }
    }

    /// Parses a name case-insensitively.
    public init?(name: String) {
        switch name.lowercased() {
        case "low": self = .low
        case "medium": self = .medium
        case "high": self = .high
        default: return nil
        }
    }

    public static func < (lhs: PriorityLevel, rhs: PriorityLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
