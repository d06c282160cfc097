/// Why a valid message did not change an issue.
public enum DropReason: Sendable, Hashable, CustomStringConvertible {
    /// A new fingerprint below its type's noise threshold: the occurrence is stored, no issue yet.
    case noiseReduction
    /// The per-(project, type) issue-creation quota is used up: the occurrence is stored, no issue.
    case rateLimited
    /// The message id was processed in the last five minutes.
    case duplicate
    /// A status change for a fingerprint that has no issue.
    case groupNotFound
    /// The fingerprint belongs to an issue of another category (an error fingerprint reused by
    /// a performance occurrence): the occurrence is stored, the issue is left alone.
    case categoryMismatch
    /// A later status change for the same issue in the same batch replaced this one.
    case pruned
    /// The status change is not a valid transition (`missing_substatus`, `invalid_substatus`…);
    /// the issue is unchanged.
    case statusChangeRejected(String)

    /// The snake-case name used in API answers and metric labels.
    public var description: String {
        switch self {
        case .noiseReduction: return "noise_reduction"
        case .rateLimited: return "rate_limited"
        case .duplicate: return "duplicate"
        case .groupNotFound: return "group_not_found"
        case .categoryMismatch: return "category_mismatch"
        case .pruned: return "pruned"
        case .statusChangeRejected(let reason): return reason
        }
    }
}
