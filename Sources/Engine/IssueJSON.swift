/// The JSON form of an issue with the issues API's field names (`id` as a string, `shortId`,
/// `title`, `culprit`, `level`, `status`, `substatus`, `priority`, `count`, `firstSeen`,
/// `lastSeen`, `project`, `type`, `issueCategory`, `metadata`, `permalink`): what API responses,
/// webhook bodies and `notifyd issues --json` show.
public struct IssueJSON: Sendable {
    /// Where permalinks point (`https://notifyd.example.com`).
    public var baseURL: String
    /// The issue types, for slugs and categories.
    public var registry: GroupTypeRegistry

    /// Creates a serializer.
    public init(baseURL: String, registry: GroupTypeRegistry = .standard) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.registry = registry
    }

    /// The issue's page.
    public func permalink(_ group: Group, organization: Organization) -> String {
        "\(baseURL)/organizations/\(organization.slug)/issues/\(group.id)/"
    }

    /// The issue as JSON.
    public func json(_ group: Group, project: Project, organization: Organization) -> JSONValue {
        let type = registry.type(id: group.type)
        return .object([
            "id": .string(String(group.id)),
            "shortId": .string(ShortID.format(projectSlug: project.slug, number: group.shortID)),
            "title": .string(group.title),
            "culprit": .string(group.culprit),
            "level": .string(group.level.rawValue),
            "status": .string(group.status.name),
            "substatus": group.substatus.map { .string($0.name) } ?? .null,
            "priority": .string(group.priority.name),
            "count": .string(String(group.timesSeen)),
            "firstSeen": .string(Timestamp.format(group.firstSeen)),
            "lastSeen": .string(Timestamp.format(group.lastSeen)),
            "type": .string(type?.slug ?? String(group.type)),
            "issueCategory": .string(type?.category.name ?? "error"),
            "metadata": .object(group.metadata),
            "permalink": .string(permalink(group, organization: organization)),
            "project": .object(["id": .string(String(project.id)), "slug": .string(project.slug), "name": .string(project.name)]),
        ])
    }
}
