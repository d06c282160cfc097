public import Foundation

/// How a resolved issue was resolved with respect to releases; decides whether a later event
/// is a regression (see `ResolutionCheck`).
public struct GroupResolution: Sendable, Hashable {
    /// "Resolved in release X" or "resolved in the next release".
    public enum Kind: Int, Sendable, Codable {
        /// Fixed in `release`: events from that release or newer regress.
        case inRelease = 0
        /// Fixed in whatever comes after `currentReleaseVersion`.
        case inNextRelease = 1
    }

    /// The issue.
    public var groupID: Int64
    /// The release the resolution names.
    public var releaseID: Int64
    /// The kind, or `nil` for a row written without one (treated like `inNextRelease`, as Sentry does).
    public var kind: Kind?
    /// For "next release": the version that was current when the issue was resolved.
    public var currentReleaseVersion: String?
    /// When the resolution was made.
    public var createdAt: Date

    /// Creates a resolution value.
    public init(groupID: Int64, releaseID: Int64, kind: Kind?, currentReleaseVersion: String?, createdAt: Date) {
        self.groupID = groupID
        self.releaseID = releaseID
        self.kind = kind
        self.currentReleaseVersion = currentReleaseVersion
        self.createdAt = createdAt
    }
}
