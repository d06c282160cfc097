public import Foundation

/// The JSON body of a webhook: Sentry's legacy webhook fields (`id`, `project`,
/// `project_name`, `project_slug`, `logger`, `level`, `culprit`, `message`, `url`,
/// `triggering_rules`, `event`), plus `action` (`issue.created`, `issue.regressed`,
/// `issue.escalating`, `event.alert`) and an `issue` object with the issues API's field names.
public struct WebhookPayload: Sendable {
    /// Links point here (`https://notifyd.example.com`).
    public var baseURL: String
    /// The issue types, for slugs and categories.
    public var registry: GroupTypeRegistry

    /// Creates a payload builder.
    public init(baseURL: String, registry: GroupTypeRegistry = .standard) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.registry = registry
    }

    /// The body for a delivery, read from the store.
    public func body(for delivery: Delivery, in reader: any StoreReader) throws -> Data {
        let records = try DeliveryRecords(delivery, in: reader)
        return json(
            delivery: delivery, group: records.group, event: records.event, project: records.project, organization: records.organization
        ).serialized()
    }

    func json(delivery: Delivery, group: Group, event: Event?, project: Project, organization: Organization) -> JSONValue {
        let permalink = IssueJSON(baseURL: baseURL, registry: registry).permalink(group, organization: organization)
        var eventJSON: JSONValue = .null
        if let event {
            var data = event.data
            data["event_id"] = .string(event.eventID)
            data["id"] = .string(event.eventID)
            data["project"] = .int(event.projectID)
            data["timestamp"] = .double(event.timestamp.timeIntervalSince1970)
            data["datetime"] = .string(Timestamp.format(event.timestamp))
            data["received"] = .double(event.received.timeIntervalSince1970)
            data["platform"] = .string(event.platform)
            data["level"] = .string(event.level.rawValue)
            data["environment"] = event.environment.map(JSONValue.string) ?? .null
            data["release"] = event.release.map(JSONValue.string) ?? .null
            data["tags"] = .array(event.tags.map { .array([.string($0.key), .string($0.value)]) })
            eventJSON = .object(data)
        }
        let issue = IssueJSON(baseURL: baseURL, registry: registry).json(group, project: project, organization: organization)
        return .object([
            "action": .string(delivery.kind.rawValue),
            "id": .string(String(group.id)),
            "project": .string(project.slug),
            "project_name": .string(project.name),
            "project_slug": .string(project.slug),
            "logger": event?.tag("logger").map(JSONValue.string) ?? event?.data["logger"] ?? .null,
            "level": .string((event?.level ?? group.level).rawValue),
            "culprit": .string(group.culprit),
            "message": .string(event?.message ?? group.message),
            "url": .string(permalink + "?referrer=webhooks_plugin"),
            "triggering_rules": .array(delivery.ruleNames.map(JSONValue.string)),
            "event": eventJSON,
            "issue": issue,
        ])
    }
}
