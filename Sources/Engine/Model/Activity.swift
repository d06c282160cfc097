public import Foundation

/// A change recorded on an issue: resolved, regressed, priority changed…
public struct Activity: Sendable, Hashable, Identifiable {
    /// Numeric id, assigned by the store (0 before it is stored).
    public var id: Int64
    /// The issue.
    public var groupID: Int64
    /// The project.
    public var projectID: Int64
    /// What happened.
    public var type: ActivityType
    /// Details (`{"event_id", "version"}` for a regression, `{"priority", "reason"}` for a priority change).
    public var data: [String: JSONValue]
    /// When it happened.
    public var createdAt: Date

    /// Creates an activity.
    public init(id: Int64 = 0, groupID: Int64, projectID: Int64, type: ActivityType, data: [String: JSONValue] = [:], createdAt: Date) {
        self.id = id
        self.groupID = groupID
        self.projectID = projectID
        self.type = type
        self.data = data
        self.createdAt = createdAt
    }
}
