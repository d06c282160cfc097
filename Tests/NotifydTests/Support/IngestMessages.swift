import Engine
import Foundation

/// Builders for `ingest-occurrences` messages as the HTTP ingest endpoint takes them (the
/// shape of `EngineTests`' `Messages`, which this target cannot import).
enum IngestMessages {
    /// A fresh 32-hex-digit id.
    static func newID() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }

    /// An error occurrence with an embedded event, detected at `time` (by default a moment ago),
    /// in a release and environment if given; change or remove fields through the returned
    /// dictionary.
    static func occurrence(
        projectID: Int64, fingerprint: [String] = ["http-test"], title: String = "something bad happened", level: String = "error",
        id: String = newID(), at time: Date? = nil, release: String? = nil, environment: String? = nil
    ) -> [String: JSONValue] {
        let eventID = newID()
        let now = time?.timeIntervalSince1970 ?? Date().timeIntervalSince1970 - 0.25
        var event: [String: JSONValue] = [
            "event_id": .string(eventID), "project_id": .int(projectID), "platform": "python", "timestamp": .double(now),
            "tags": .object(["browser": "Firefox"]),
        ]
        event["release"] = release.map(JSONValue.string)
        event["environment"] = environment.map(JSONValue.string)
        return [
            "id": .string(id),
            "project_id": .int(projectID),
            "event_id": .string(eventID),
            "fingerprint": .array(fingerprint.map(JSONValue.string)),
            "issue_title": .string(title),
            "subtitle": "it was bad",
            "culprit": "api/123",
            "type": 1,
            "detection_time": .double(now),
            "level": .string(level),
            "payload_type": "occurrence",
            "event": .object(event),
        ]
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The message as a `JSONValue`.
    var json: JSONValue { .object(self) }
}
