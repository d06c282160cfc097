public import Foundation

/// Turns the JSON of an `ingest-occurrences` message into an `IngestMessage`, validating every
/// field and normalizing ids and fingerprints as Sentry's consumer does.
///
/// Where Sentry is loose this decoder is strict, and says so in the field's error: the
/// fingerprint must be a non-empty list of strings (Sentry would hash a string character by
/// character), `level` must be a known level, a priority must be 25/50/75, and the embedded
/// event must have a string `platform` and a valid `timestamp`.
public struct MessageDecoder: Sendable {
    /// The types `type` may name.
    public var registry: GroupTypeRegistry
    /// The clock for `received` defaults and generated status-change ids.
    public var now: @Sendable () -> Date

    /// Creates a decoder.
    public init(registry: GroupTypeRegistry = .standard, now: @escaping @Sendable () -> Date = Date.init) {
        self.registry = registry
        self.now = now
    }

    /// Decodes one message from its JSON bytes.
    ///
    /// The event's bulky members (`bulkyEventKeys`) are validated and stored as sent but not
    /// parsed: the returned message's `Event.data` leaves them out, while the stored event and
    /// every event read back from the store has them.
    public func decode(_ data: Data) throws(MessageError) -> IngestMessage {
        let parsed: (value: JSONValue, raw: [String: String])
        do {
            parsed = try JSONValue.parse(data, keepingRaw: Self.bulkyEventKeys, of: "event")
        } catch {
            throw MessageError(.notJSON, field: "", "the message is not JSON: \(error.description)")
        }
        return try decode(parsed.value, rawEventMembers: parsed.raw)
    }

    /// Decodes one message from parsed JSON.
    public func decode(_ value: JSONValue) throws(MessageError) -> IngestMessage {
        try decode(value, rawEventMembers: [:])
    }

    /// Event members stored verbatim: nothing on the ingest or rule path looks inside them.
    static let bulkyEventKeys: Set<String> = ["stacktrace", "breadcrumbs", "exception", "debug_meta", "modules", "extra"]

    private func decode(_ value: JSONValue, rawEventMembers: [String: String]) throws(MessageError) -> IngestMessage {
        guard let object = value.objectValue else {
            throw MessageError(.notJSON, field: "", "the message must be a JSON object, got \(value.typeName)")
        }
        let fields = Fields(object, path: "")
        let payloadType = try fields.optionalString("payload_type") ?? "occurrence"
        switch payloadType {
        case "occurrence": return try decodeOccurrence(fields, rawEventMembers: rawEventMembers)
        case "status_change": return try decodeStatusChange(fields)
        default:
            throw MessageError(
                .invalidValue, field: "payload_type", "unknown payload type '\(payloadType)' (expected occurrence or status_change)")
        }
    }

    // MARK: Occurrences

    private func decodeOccurrence(_ fields: Fields, rawEventMembers: [String: String]) throws(MessageError) -> IngestMessage {
        let id = try fields.uuid("id")
        let projectID = try fields.int("project_id")
        let rawFingerprint = try fields.fingerprint()
        let issueTitle = try fields.string("issue_title")
        let subtitle = try fields.string("subtitle")
        let typeID = try fields.int("type")
        guard let type = registry.type(id: Int(typeID)) else {
            throw MessageError(.unknownGroupType, field: "type", "no group type with the id \(typeID) is registered")
        }
        guard let detectionValue = fields["detection_time"], !detectionValue.isNull else {
            throw MessageError(.missingField, field: "detection_time", "required field is missing")
        }
        guard let detectionTime = Timestamp.parse(detectionValue) else {
            throw MessageError(
                .invalidValue, field: "detection_time", "expected epoch seconds or an ISO 8601 date-time, got \(detectionValue.serializedString())")
        }
        let levelName = try fields.optionalString("level") ?? "info"
        guard let level = Level(name: levelName) else {
            throw MessageError(.invalidValue, field: "level", "unknown level '\(levelName)' (expected debug, info, warning, error or fatal)")
        }
        // `priority` replaced `initial_issue_priority` in Sentry; both are accepted and `priority` wins.
        let initialPriority = try fields.priority("initial_issue_priority")
        let priority = try fields.priority("priority") ?? initialPriority
        let evidenceData = try fields.optionalObject("evidence_data") ?? [:]
        let evidenceDisplay = try fields.evidenceDisplay()
        let payloadEventID = try fields.optionalUUID("event_id")

        var event: Event?
        var eventID = payloadEventID
        if let eventValue = fields["event"], !eventValue.isNull {
            guard let eventObject = eventValue.objectValue else {
                throw MessageError(.wrongType, field: "event", "expected object, got \(eventValue.typeName)")
            }
            let decoded = try decodeEvent(
                Fields(eventObject, path: "event."), projectID: projectID, payloadEventID: payloadEventID, level: level,
                issueTitle: issueTitle)
            event = decoded
            eventID = eventID ?? decoded.eventID
        }
        guard let eventID else {
            throw MessageError(.missingField, field: "event_id", "the message must contain either event_id or an embedded event")
        }
        let occurrence = IssueOccurrence(
            id: id, projectID: projectID, eventID: eventID, fingerprint: Fingerprint.hash(rawFingerprint), issueTitle: issueTitle,
            subtitle: subtitle, resourceID: try fields.optionalString("resource_id"), evidenceData: evidenceData,
            evidenceDisplay: evidenceDisplay, type: type.id, detectionTime: detectionTime, level: level,
            culprit: try fields.optionalString("culprit") ?? "", priority: priority, assignee: try fields.assignee())
        // A bulky member sent as null is left out, as null members of the parsed event are.
        let raw = event == nil ? [:] : rawEventMembers.filter { $0.value != "null" }
        return IngestMessage(payload: .occurrence(occurrence, event: event), rawFingerprint: rawFingerprint, rawEventMembers: raw)
    }

    /// Event keys kept besides the required ones: Sentry's list, plus the message and exception
    /// keys so that emails can show what happened.
    static let keptEventKeys: Set<String> = [
        "breadcrumbs", "contexts", "debug_meta", "dist", "environment", "extra", "modules", "release", "request", "sdk",
        "server_name", "stacktrace", "trace_id", "transaction", "user", "logentry", "message", "exception", "logger",
    ]

    private func decodeEvent(
        _ fields: Fields, projectID: Int64, payloadEventID: String?, level: Level, issueTitle: String
    ) throws(MessageError) -> Event {
        guard fields["project_id"] != nil, !(fields["project_id"]!.isNull) else {
            throw MessageError(.missingField, field: "event.project_id", "required field is missing")
        }
        let eventProjectID = try fields.int("project_id")
        guard eventProjectID == projectID else {
            throw MessageError(
                .mismatch, field: "event.project_id",
                "project_id in occurrence (\(projectID)) is different from project_id in event (\(eventProjectID))")
        }
        let eventID = try fields.optionalUUID("event_id")
        guard let eventID = eventID ?? payloadEventID else {
            throw MessageError(.missingField, field: "event_id", "the message must contain an event_id")
        }
        if let payloadEventID, payloadEventID != eventID {
            throw MessageError(
                .mismatch, field: "event_id", "event_id in occurrence (\(payloadEventID)) is different from event_id in event (\(eventID))")
        }
        let platform = try fields.string("platform")
        guard let timestampValue = fields["timestamp"], !timestampValue.isNull else {
            throw MessageError(.missingField, field: "event.timestamp", "required field is missing")
        }
        guard let timestamp = Timestamp.parse(timestampValue) else {
            throw MessageError(
                .invalidValue, field: "event.timestamp", "expected epoch seconds or an ISO 8601 date-time, got \(timestampValue.serializedString())")
        }
        var received = now()
        if let receivedValue = fields["received"], !receivedValue.isNull {
            guard let parsed = Timestamp.parse(receivedValue) else {
                throw MessageError(.invalidValue, field: "event.received", "expected epoch seconds or an ISO 8601 date-time")
            }
            received = parsed
        }
        let tags = try fields.tags()
        let release = try fields.optionalString("release").flatMap { $0.isEmpty ? nil : $0 }
        let environment = try fields.optionalString("environment").flatMap { $0.isEmpty ? nil : $0 }

        var data: [String: JSONValue] = [:]
        for (key, value) in fields.object where Self.keptEventKeys.contains(key) && !value.isNull {
            data[key] = value
        }
        data["metadata"] = .object(["title": .string(issueTitle)])
        return Event(
            eventID: eventID, projectID: projectID, timestamp: timestamp, received: received, platform: platform, level: level,
            release: release, environment: environment, tags: tags, data: data)
    }

    // MARK: Status changes

    private func decodeStatusChange(_ fields: Fields) throws(MessageError) -> IngestMessage {
        let rawFingerprint = try fields.fingerprint()
        let projectID = try fields.int("project_id")
        let newStatus = try fields.int("new_status")
        guard GroupStatus(rawValue: Int(newStatus)) != nil else {
            throw MessageError(.invalidValue, field: "new_status", "unknown status \(newStatus)")
        }
        var newSubstatus: Int?
        if let value = fields["new_substatus"], !value.isNull {
            let substatus = try fields.int("new_substatus")
            guard GroupSubstatus(rawValue: Int(substatus)) != nil else {
                throw MessageError(.invalidValue, field: "new_substatus", "unknown substatus \(substatus)")
            }
            newSubstatus = Int(substatus)
        }
        let id = try fields.optionalUUID("id") ?? UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let change = StatusChange(
            id: id, projectID: projectID, fingerprint: Fingerprint.hash(rawFingerprint), newStatus: Int(newStatus),
            newSubstatus: newSubstatus)
        return IngestMessage(payload: .statusChange(change), rawFingerprint: rawFingerprint)
    }
}
