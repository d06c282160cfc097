import Engine
import Foundation

/// Builders for `ingest-occurrences` messages, with the defaults of Sentry's test helpers
/// (`build_occurrence`: title "something bad happened", subtitle "it was bad", culprit "api/123").
enum Messages {
    /// A fresh 32-hex-digit id.
    static func newID() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }

    /// An embedded event body.
    static func event(
        id: String, projectID: Int64, timestamp: Double = 1_750_000_000, platform: JSONValue = "python",
        release: String? = nil, environment: String? = nil, tags: JSONValue = .object([:]), extra: [String: JSONValue] = [:]
    ) -> [String: JSONValue] {
        var event: [String: JSONValue] = [
            "event_id": .string(id), "project_id": .int(projectID), "timestamp": .double(timestamp), "platform": platform, "tags": tags,
        ]
        if let release { event["release"] = .string(release) }
        if let environment { event["environment"] = .string(environment) }
        for (key, value) in extra { event[key] = value }
        return event
    }

    /// An occurrence message with an embedded event; every field can be overridden or removed
    /// afterwards through the returned dictionary.
    static func occurrence(
        projectID: Int64, fingerprint: [String] = ["some-fingerprint"], type: Int = 1, title: String = "something bad happened",
        subtitle: String = "it was bad", culprit: String = "api/123", level: String = "warning", id: String = newID(),
        eventID: String = newID(), timestamp: Double = 1_750_000_000, release: String? = nil, environment: String? = nil,
        embedEvent: Bool = true
    ) -> [String: JSONValue] {
        var message: [String: JSONValue] = [
            "id": .string(id),
            "project_id": .int(projectID),
            "event_id": .string(eventID),
            "fingerprint": .array(fingerprint.map(JSONValue.string)),
            "issue_title": .string(title),
            "subtitle": .string(subtitle),
            "resource_id": "1234",
            "evidence_data": .object(["Test": 123]),
            "evidence_display": .array([
                .object(["name": "hi", "value": "bye", "important": true]),
                .object(["name": "what", "value": "where", "important": false]),
            ]),
            "type": .int(Int64(type)),
            "detection_time": .double(timestamp),
            "level": .string(level),
            "culprit": .string(culprit),
            "payload_type": "occurrence",
        ]
        if embedEvent {
            message["event"] = .object(
                event(id: eventID, projectID: projectID, timestamp: timestamp, release: release, environment: environment))
        }
        return message
    }

    /// A status-change message.
    static func statusChange(
        projectID: Int64, fingerprint: [String] = ["some-fingerprint"], status: GroupStatus, substatus: GroupSubstatus?,
        id: String = newID()
    ) -> [String: JSONValue] {
        [
            "id": .string(id),
            "project_id": .int(projectID),
            "fingerprint": .array(fingerprint.map(JSONValue.string)),
            "new_status": .int(Int64(status.rawValue)),
            "new_substatus": substatus.map { .int(Int64($0.rawValue)) } ?? .null,
            "payload_type": "status_change",
        ]
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The message as a `JSONValue`.
    var json: JSONValue { .object(self) }
}

extension MessageResult {
    /// The refusal, when the message was invalid.
    var messageError: MessageError? {
        if case .invalid(let error) = outcome { return error }
        return nil
    }

    /// The drop reason, when the message was dropped.
    var dropReason: DropReason? {
        if case .dropped(let reason) = outcome { return reason }
        return nil
    }
}
