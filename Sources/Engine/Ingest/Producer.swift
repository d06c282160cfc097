import Foundation

/// Builds `ingest-occurrences` messages and sends them through a `MessageTransport` (Sentry's
/// `produce_occurrence_to_kafka`). Fingerprints are sent raw; the consumer hashes them.
public struct Producer: Sendable {
    /// Why a message could not be produced.
    public struct ProduceError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What was wrong.
        public var reason: String
        public var description: String { reason }
    }

    /// Where messages go.
    public let transport: any MessageTransport

    /// Creates a producer.
    public init(transport: any MessageTransport) { self.transport = transport }

    /// Produces an occurrence, with its event embedded when `event` is given.
    ///
    /// - Parameters:
    ///   - occurrence: the occurrence; its `fingerprint` holds the *raw* parts.
    ///   - event: the event body (`event_id`, `project_id`, `platform`, `timestamp`, …), or `nil`
    ///     when the event is already stored.
    /// - Returns: the processing result for the in-process transport, `nil` for a broker.
    @discardableResult
    public func produce(occurrence: IssueOccurrence, event: [String: JSONValue]?) async throws -> MessageResult? {
        if let event {
            let eventID = event["event_id"]?.stringValue.flatMap(UUIDText.normalize)
            guard eventID == UUIDText.normalize(occurrence.eventID) else {
                throw ProduceError(reason: "Event id on occurrence and event_data must be the same")
            }
        }
        guard case .object(var payload) = occurrence.json else { preconditionFailure("an occurrence always serializes to an object") }
        payload["payload_type"] = "occurrence"
        if let event, !event.isEmpty { payload["event"] = .object(event) }
        return try await transport.send(
            key: Self.partitionKey(fingerprint: occurrence.fingerprint, projectID: occurrence.projectID),
            value: JSONValue.object(payload).serialized())
    }

    /// Produces a status change; its `fingerprint` holds the *raw* parts.
    @discardableResult
    public func produce(statusChange: StatusChange) async throws -> MessageResult? {
        let payload: JSONValue = .object([
            "id": .string(statusChange.id),
            "project_id": .int(statusChange.projectID),
            "fingerprint": .array(statusChange.fingerprint.map(JSONValue.string)),
            "new_status": .int(Int64(statusChange.newStatus)),
            "new_substatus": statusChange.newSubstatus.map { .int(Int64($0)) } ?? .null,
            "payload_type": "status_change",
        ])
        return try await transport.send(
            key: Self.partitionKey(fingerprint: statusChange.fingerprint, projectID: statusChange.projectID), value: payload.serialized())
    }

    /// `<raw fingerprint[0]>-<project_id>`, or `nil` for an empty fingerprint (the broker then
    /// picks a partition).
    public static func partitionKey(fingerprint: [String], projectID: Int64) -> String? {
        guard let first = fingerprint.first else { return nil }
        return "\(first)-\(projectID)"
    }
}
