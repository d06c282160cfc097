/// The severity level of an event or issue.
///
/// The raw value is the name carried in messages; `numericValue` is Sentry's `LOG_LEVELS_MAP`
/// (debug 10 … fatal 50), which orders levels for `level: {match: gte, …}` filters.
public enum Level: String, Sendable, Codable, CaseIterable, Comparable {
    case sample
    case debug
    case info
    case warning
    case error
    case fatal

    /// Sentry's numeric level.
    public var numericValue: Int {
        switch self {
        case .sample: return 0
        case .debug: return 10
        case .info: return 20
        case .warning: return 30
        case .error: return 40
        case .fatal: return 50
        }
    }

    /// Parses a level name; `warn` and `critical` are accepted as the SDKs' aliases.
    public init?(name: String) {
        switch name.lowercased() {
        case "warn": self = .warning
        case "critical": self = .fatal
        default:
            guard let level = Level(rawValue: name.lowercased()) else { return nil }
            self = level
        }
    }

    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.numericValue < rhs.numericValue }
}
