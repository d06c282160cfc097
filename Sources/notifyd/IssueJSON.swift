import Engine

/// JSON views of issues and events for CLI output, with Sentry's API field names.
enum IssueJSON {
    static func group(_ group: Group, projectSlug: String) -> JSONValue {
        .object([
            "id": .string(String(group.id)),
            "shortId": .string(ShortID.format(projectSlug: projectSlug, number: group.shortID)),
            "title": .string(group.title),
            "culprit": .string(group.culprit),
            "level": .string(group.level.rawValue),
            "status": .string(group.status.name),
            "substatus": group.substatus.map { .string($0.name) } ?? .null,
            "priority": .string(group.priority.name),
            "count": .string(String(group.timesSeen)),
            "firstSeen": .string(Timestamp.format(group.firstSeen)),
            "lastSeen": .string(Timestamp.format(group.lastSeen)),
            "type": .int(Int64(group.type)),
            "metadata": .object(group.metadata),
        ])
    }

    static func event(_ event: Event) -> JSONValue {
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
