import Engine
import Foundation
import Hummingbird

/// Sentry's organization issues endpoints: list and search, bulk status change and delete, one
/// issue, its latest event and its activity. Bearer tokens with `event:read` (GET),
/// `event:write` (PUT) and `event:admin` (DELETE).
struct IssueRoutes {
    let daemon: Daemon

    func register(on router: Router<DaemonRequestContext>) {
        router.get("/api/0/organizations/{organization}/issues") { request, context -> Response in try await list(request, context) }
        router.put("/api/0/organizations/{organization}/issues") { request, context -> Response in try await update(request, context) }
        router.delete("/api/0/organizations/{organization}/issues") { request, context -> Response in try await delete(request, context) }
        router.get("/api/0/organizations/{organization}/issues/{issue}") { request, context -> Response in
            try daemon.authorize(request, scope: .read)
            let (group, project, organization) = try await issue(context)
            return .json(daemon.issueJSON.json(group, project: project, organization: organization))
        }
        router.get("/api/0/organizations/{organization}/issues/{issue}/events/latest") { request, context -> Response in
            try daemon.authorize(request, scope: .read)
            let (group, _, _) = try await issue(context)
            guard let event = try await daemon.engine.latestEvent(groupID: group.id) else {
                throw APIError.notFound("The issue has no event")
            }
            var json = EventJSON.json(event)
            if case .object(var fields) = json {
                fields["id"] = .string(event.eventID)
                fields["groupID"] = .string(String(group.id))
                json = .object(fields)
            }
            return .json(json)
        }
        router.get("/api/0/organizations/{organization}/issues/{issue}/activities") { request, context -> Response in
            try daemon.authorize(request, scope: .read)
            let (group, _, _) = try await issue(context)
            let activities = try await daemon.engine.activities(groupID: group.id)
            return .json(.object(["activity": .array(activities.reversed().map(Self.json))]))
        }
    }

    static func json(_ activity: Activity) -> JSONValue {
        .object([
            "id": .string(String(activity.id)), "type": .string(activity.type.name), "data": .object(activity.data),
            "dateCreated": .string(Timestamp.format(activity.createdAt)),
        ])
    }

    /// The organization of the path; 404 when there is none.
    func organization(_ context: DaemonRequestContext) async throws -> Organization {
        let slug = try context.parameters.require("organization")
        guard let organization = try await daemon.engine.store.read({ try $0.organization(slug: slug) }) else {
            throw APIError.notFound("The requested resource does not exist")
        }
        return organization
    }

    /// The issue of the path, by numeric id or short id (`EXAMPLE-1A`), within the organization.
    func issue(_ context: DaemonRequestContext) async throws -> (Group, Project, Organization) {
        let organization = try await organization(context)
        let key = try context.parameters.require("issue")
        let found = try await daemon.engine.store.read { reader -> (Group, Project)? in
            var group: Group?
            if let id = Int64(key) {
                group = try reader.group(id: id)
            } else if let (slug, number) = ShortID.parse(key), let project = try reader.project(organizationID: organization.id, slug: slug) {
                group = try reader.group(projectID: project.id, shortID: number)
            }
            guard let group, let project = try reader.project(id: group.projectID), project.organizationID == organization.id else { return nil }
            return (group, project)
        }
        guard let (group, project) = found, group.status != .pendingDeletion else {
            throw APIError.notFound("The requested resource does not exist")
        }
        return (group, project, organization)
    }
}
