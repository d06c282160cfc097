public import Foundation

/// The fact that an issue has been seen in an environment; its creation is the
/// "new issue in this environment" signal environment-scoped rules fire on.
public struct GroupEnvironment: Sendable, Hashable {
    /// The issue.
    public var groupID: Int64
    /// The environment.
    public var environmentID: Int64
    /// The release of the first event in that environment.
    public var firstReleaseID: Int64?
    /// When the issue was first seen there.
    public var firstSeen: Date

    /// Creates a group-environment value.
    public init(groupID: Int64, environmentID: Int64, firstReleaseID: Int64?, firstSeen: Date) {
        self.groupID = groupID
        self.environmentID = environmentID
        self.firstReleaseID = firstReleaseID
        self.firstSeen = firstSeen
    }
}
