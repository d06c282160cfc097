import Engine

/// JSON views of events for CLI output, with Sentry's API field names (issues use the engine's
/// `IssueJSON`).
enum EventJSON {
    static func json(_ event: Event) -> JSONValue {
        .object([
            "eventID": .string(event.eventID),
            "dateCreated": .string(Timestamp.format(event.timestamp)),
            "platform": .string(event.platform),
            "release": event.release.map(JSONValue.string) ?? .null,
            "environment": event.environment.map(JSONValue.string) ?? .null,
            "tags": .array(event.tags.map { .object(["key": .string($0.key), "value": .string($0.value)]) }),
            "contexts": event.data["contexts"] ?? .object([:]),
            "user": event.data["user"] ?? .null,
        ])
    }
}
