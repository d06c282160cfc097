/// The lifecycle state of an issue (Sentry's `GroupStatus`; the integer values are Sentry's).
public enum GroupStatus: Int, Sendable, Codable, CaseIterable {
    case unresolved = 0
    case resolved = 1
    case ignored = 2
    case pendingDeletion = 3
    case deletionInProgress = 4
    case pendingMerge = 5
    case reprocessing = 6

    /// The lower-case name used in search (`is:resolved`) and API responses.
    public var name: String {
        switch self {
        case .unresolved: return "unresolved"
        case .resolved: return "resolved"
        case .ignored: return "ignored"
        case .pendingDeletion: return "pending_deletion"
        case .deletionInProgress: return "deletion_in_progress"
        case .pendingMerge: return "pending_merge"
        case .reprocessing: return "reprocessing"
        }
    }
}
