public import Foundation

/// Which deliveries a listing of the outbox shows, newest first: one state, one issue, or all,
/// continuing below a position a previous page ended at.
public struct DeliveryFilter: Sendable, Hashable {
    /// Only deliveries in this state.
    public var state: Delivery.State?
    /// Only deliveries about this issue.
    public var groupID: Int64?
    /// Only deliveries created before this one (by creation time, then id): the next page.
    public var before: (createdAt: Date, id: String)?

    /// Creates a filter.
    public init(state: Delivery.State? = nil, groupID: Int64? = nil, before: (createdAt: Date, id: String)? = nil) {
        self.state = state
        self.groupID = groupID
        self.before = before
    }

    public static func == (lhs: DeliveryFilter, rhs: DeliveryFilter) -> Bool {
        lhs.state == rhs.state && lhs.groupID == rhs.groupID && lhs.before?.createdAt == rhs.before?.createdAt && lhs.before?.id == rhs.before?.id
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(state)
        hasher.combine(groupID)
        hasher.combine(before?.createdAt)
        hasher.combine(before?.id)
    }
}
