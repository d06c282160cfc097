/// A validated `ingest-occurrences` message, ready for the consumer.
public struct IngestMessage: Sendable, Hashable {
    /// What the message asks for.
    public enum Payload: Sendable, Hashable {
        /// Group an occurrence. `event` is the embedded event; `nil` means the event is already
        /// stored and is looked up by `occurrence.eventID`.
        case occurrence(IssueOccurrence, event: Event?)
        /// Change the status of the issue the fingerprint belongs to.
        case statusChange(StatusChange)
    }

    /// The payload with its store rows encoded, which happens where messages are decoded.
    indirect enum Prepared: Sendable, Hashable {
        case occurrence(OccurrenceRow, event: EventRow?)
        case statusChange(StatusChange)
    }

    let prepared: Prepared
    /// The fingerprint as sent (unhashed): its first part keys batches and broker partitions.
    public let rawFingerprint: [String]

    /// Creates a message, encoding the rows it will store.
    public init(payload: Payload, rawFingerprint: [String]) {
        self.init(payload: payload, rawFingerprint: rawFingerprint, rawEventMembers: [:])
    }

    /// Creates a message whose event also stores `rawEventMembers` (JSON text by key) verbatim.
    init(payload: Payload, rawFingerprint: [String], rawEventMembers: [String: String]) {
        switch payload {
        case .occurrence(let occurrence, let event):
            prepared = .occurrence(OccurrenceRow(occurrence), event: event.map { EventRow($0, rawMembers: rawEventMembers) })
        case .statusChange(let change): prepared = .statusChange(change)
        }
        self.rawFingerprint = rawFingerprint
    }

    /// The payload.
    public var payload: Payload {
        switch prepared {
        case .occurrence(let row, let event): return .occurrence(row.occurrence, event: event?.event)
        case .statusChange(let change): return .statusChange(change)
        }
    }

    /// The message id (the occurrence id, or the status change id).
    public var id: String {
        switch prepared {
        case .occurrence(let row, _): return row.occurrence.id
        case .statusChange(let change): return change.id
        }
    }

    /// The project the message is for.
    public var projectID: Int64 {
        switch prepared {
        case .occurrence(let row, _): return row.occurrence.projectID
        case .statusChange(let change): return change.projectID
        }
    }

    /// The key that orders work: messages with the same key are applied one after another, in
    /// order. It is the raw first fingerprint part, as in Sentry's batch consumer.
    public var groupKey: String { rawFingerprint.first ?? "" }

    /// The broker partition key, `<raw fingerprint[0]>-<project_id>`, so every message of one
    /// issue lands on one partition.
    public var partitionKey: String { "\(groupKey)-\(projectID)" }

    /// Whether this is a status change.
    public var isStatusChange: Bool {
        if case .statusChange = prepared { return true }
        return false
    }
}
