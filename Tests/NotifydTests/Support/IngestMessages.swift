import Engine
import Foundation

/// Builders for `ingest-occurrences` messages as the HTTP ingest endpoint takes them (the
/// shape of `EngineTests`' `Messages`, which this target cannot import).
enum IngestMessages {
    /// A fresh 32-hex-digit id.
    static func newID() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }

    /// An error occurrence with an embedded event, detected a moment ago; change or remove
    /// fields through the returned dictionary.
    static func occurrence(
        projectID: Int64, fingerprint: [String] = ["http-test"], title: String = "something bad happened", level: String = "error",
        id: String = newID()
    ) -> [String: JSONValue] {
        let eventID = newID()
        let now = Date().timeIntervalSince1970 - 0.25
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
            "event": .object([
                "event_id": .string(eventID), "project_id": .int(projectID), "platform": "python", "timestamp": .double(now),
                "tags": .object(["browser": "Firefox"]),
            ]),
        ]
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The message as a `JSONValue`.
    var json: JSONValue { .object(self) }
}
