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

    /// The payload.
    public var payload: Payload
    /// The fingerprint as sent (unhashed): its first part keys batches and broker partitions.
    public var rawFingerprint: [String]

    /// Creates a message.
    public init(payload: Payload, rawFingerprint: [String]) {
        self.payload = payload
        self.rawFingerprint = rawFingerprint
    }

    /// The message id (the occurrence id, or the status change id).
    public var id: String {
        switch payload {
        case .occurrence(let occurrence, _): return occurrence.id
        case .statusChange(let change): return change.id
        }
    }

    /// The project the message is for.
    public var projectID: Int64 {
        switch payload {
        case .occurrence(let occurrence, _): return occurrence.projectID
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
        if case .statusChange = payload { return true }
        return false
    }
}
