/// The kinds of activity recorded on an issue (Sentry's `ActivityType`; integer values are Sentry's).
public enum ActivityType: Int, Sendable, Codable, CaseIterable {
    case setResolved = 1
    case setUnresolved = 2
    case setIgnored = 3
    case setRegression = 6
    case firstSeen = 9
    case assigned = 11
    case setResolvedInRelease = 13
    case setResolvedByAge = 15
    case setResolvedInCommit = 16
    case autoSetOngoing = 24
    case setEscalating = 25
    case setPriority = 26

    /// The snake-case name used in API responses.
    public var name: String {
        switch self {
        case .setResolved: return "set_resolved"
        case .setUnresolved: return "set_unresolved"
        case .setIgnored: return "set_ignored"
        case .setRegression: return "set_regression"
        case .firstSeen: return "first_seen"
        case .assigned: return "assigned"
        case .setResolvedInRelease: return "set_resolved_in_release"
        case .setResolvedByAge: return "set_resolved_by_age"
        case .setResolvedInCommit: return "set_resolved_in_commit"
        case .autoSetOngoing: return "auto_set_ongoing"
        case .setEscalating: return "set_escalating"
        case .setPriority: return "set_priority"
        }
    }
}
