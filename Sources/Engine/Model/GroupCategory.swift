/// The broad family an issue type belongs to (Sentry's `GroupCategory`).
public enum GroupCategory: Int, Sendable, Codable, CaseIterable {
    case error = 1
    case performance = 2
    /// Deprecated in Sentry (merged into performance); kept so stored ids stay meaningful.
    case profile = 3
    case cron = 4
    case replay = 5
    case feedback = 6
    case uptime = 7
    case metricAlert = 8

    /// The name used in search (`issue.category:feedback`) and rule filters.
    public var name: String {
        switch self {
        case .error: return "error"
        case .performance: return "performance"
        case .profile: return "profile"
        case .cron: return "cron"
        case .replay: return "replay"
        case .feedback: return "feedback"
        case .uptime: return "uptime"
        case .metricAlert: return "metric_alert"
        }
    }

    /// Parses a category name.
    public init?(name: String) {
        guard let category = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = category
    }
}
