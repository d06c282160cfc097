/// What became of one envelope item (or of the store endpoint's event).
public struct SDKItemResult: Sendable, Hashable {
    /// What happened.
    public enum Outcome: Sendable, Hashable {
        /// The item became an occurrence of an issue: an error event, or a feedback report (each
        /// report its own issue).
        case issue(groupID: Int64, isNew: Bool)
        /// The occurrence was handed to a broker; the issue is decided by the consumer later.
        case queued
        /// The occurrence is valid but made no issue (noise gate, creation quota, a duplicate
        /// event id within the deduplication window).
        case dropped(DropReason)
        /// Accepted and counted, but not turned into an issue: transactions, sessions, client
        /// reports, attachments, and item types notifyd does not know.
        case ignored
        /// The item was not processed; the error names it and says why.
        case failed(EnvelopeItemError)
    }

    /// The item's position in the envelope (0 for the store endpoint).
    public var index: Int
    /// The item type.
    public var type: String
    /// The id of the event made from the item (32 hex digits): the error event's id, or the
    /// feedback report's. `nil` for ignored and failed items.
    public var eventID: String?
    /// For feedback about an event notifyd has grouped (`associated_event_id`, a user report's
    /// `event_id`): the issue of that event.
    public var linkedGroupID: Int64?
    /// What happened.
    public var outcome: Outcome

    /// Creates a result.
    public init(index: Int, type: String, eventID: String? = nil, linkedGroupID: Int64? = nil, outcome: Outcome) {
        self.index = index
        self.type = type
        self.eventID = eventID
        self.linkedGroupID = linkedGroupID
        self.outcome = outcome
    }

    /// The error, when the item failed.
    public var error: EnvelopeItemError? {
        if case .failed(let error) = outcome { return error }
        return nil
    }

    /// The issue's id, when the item became an occurrence of one.
    public var groupID: Int64? {
        if case .issue(let groupID, _) = outcome { return groupID }
        return nil
    }
}
