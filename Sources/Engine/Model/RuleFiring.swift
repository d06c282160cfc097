public import Foundation

/// A row of fire history: a rule fired for an issue on an event.
public struct RuleFiring: Sendable, Hashable {
    /// The rule.
    public var ruleID: String
    /// The issue.
    public var groupID: Int64
    /// The event (`nil` for status changes).
    public var eventID: String?
    /// The firing's notification UUID.
    public var notificationUUID: String
    /// When it fired.
    public var firedAt: Date

    /// Creates a fire-history row.
    public init(ruleID: String, groupID: Int64, eventID: String?, notificationUUID: String, firedAt: Date) {
        self.ruleID = ruleID
        self.groupID = groupID
        self.eventID = eventID
        self.notificationUUID = notificationUUID
        self.firedAt = firedAt
    }
}
