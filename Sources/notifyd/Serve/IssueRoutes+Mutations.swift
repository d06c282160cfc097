import Engine
import Foundation
import Hummingbird

extension IssueRoutes {
    /// What a PUT asks for.
    struct StatusUpdate {
        var status: GroupStatus
        var substatus: GroupSubstatus?
        var resolution: StatusChange.Resolution?
        var details: JSONValue
    }

    /// `PUT ?id=…` with `{"status", "substatus"?, "statusDetails"?}`: changes each issue through
    /// the same path as status-change messages. Without ids, the first 1,000 matches of the
    /// query. Unknown or out-of-scope ids are skipped, as Sentry does; nothing matched → 204.
    func update(_ request: Request, _ context: DaemonRequestContext) async throws -> Response {
        try daemon.authorize(request, scope: .write)
        let organization = try await organization(context)
        let body = RequestBody(maxBytes: daemon.configuration.limits.maxBodyBytes, maxDepth: daemon.configuration.limits.maxJSONDepth)
        let (value, _) = try await body.json(request)
        let change = try Self.statusUpdate(value)
        let ids = try await targetIDs(request, organization: organization)
        var matched = 0
        // An issue the change does not apply to is skipped, as Sentry's bulk mutation does; only
        // when it applied to none is the reason the answer.
        var rejection: APIError?
        for id in ids {
            do {
                let result = try await daemon.engine.changeStatus(groupID: id, to: change.status, substatus: change.substatus, resolution: change.resolution)
                switch result.outcome {
                case .statusChanged: matched += 1
                case .dropped(.statusChangeRejected(let reason)):
                    rejection = rejection ?? APIError.badRequest("The status change was rejected: \(reason)", field: "status")
                case .invalid(let error): rejection = rejection ?? APIError.badRequest(error.reason, field: error.field)
                case .failed(let reason): throw APIError(.internalServerError, reason)
                default: break
                }
            } catch let error as EngineError where error.code == .notFound {
                continue  // deleted meanwhile
            }
        }
        if matched == 0, let rejection { throw rejection }
        guard matched > 0 else { return Response(status: .noContent) }
        return .json(
            .object([
                "status": .string(change.status.name), "substatus": change.substatus.map { .string($0.name) } ?? .null,
                "statusDetails": change.details,
            ]))
    }

    /// `DELETE ?id=…`: removes the issues (unknown or out-of-scope ids are ignored); without ids
    /// the first 1,000 matches of the query. Always 204.
    func delete(_ request: Request, _ context: DaemonRequestContext) async throws -> Response {
        try daemon.authorize(request, scope: .admin)
        let organization = try await organization(context)
        let parameters = FormParameters(request.uri.query)
        let ids = try parameters.all("id").map(Self.issueID)
        if ids.isEmpty {
            _ = try await search { try await daemon.engine.deleteIssues(matching: try searchRequest(parameters, organization: organization)) }
        } else {
            _ = try await daemon.engine.deleteIssues(organizationID: organization.id, ids: ids)
        }
        return Response(status: .noContent)
    }

    /// The ids of `?id=` that name issues of the organization (the others are skipped), or the
    /// ids of the first 1,000 issues the request's search matches.
    private func targetIDs(_ request: Request, organization: Organization) async throws -> [Int64] {
        let parameters = FormParameters(request.uri.query)
        let ids = try parameters.all("id").map(Self.issueID)
        var search = try searchRequest(parameters, organization: organization)
        guard ids.isEmpty else {
            // Within the organization and, when `project` is given, those projects.
            let (organizationID, projectIDs) = (organization.id, Set(search.projectIDs))
            return try await daemon.engine.store.read { reader in
                try ids.filter { id in
                    guard let group = try reader.group(id: id), projectIDs.isEmpty || projectIDs.contains(group.projectID) else { return false }
                    return try reader.project(id: group.projectID)?.organizationID == organizationID
                }
            }
        }
        search.limit = IssueSearchRequest.maximumLimit
        var found: [Int64] = []
        while found.count < 1000 {
            let page = try await self.search { try await daemon.engine.searchIssues(search) }
            found += page.groups.map(\.id)
            guard page.next.hasResults, !page.groups.isEmpty else { break }
            search.cursor = page.next.cursor
        }
        return Array(found.prefix(1000))
    }

    static func issueID(_ text: String) throws -> Int64 {
        guard let id = Int64(text) else { throw APIError.badRequest("Group ids must be integers", field: "id") }
        return id
    }

    static func statusUpdate(_ value: JSONValue) throws -> StatusUpdate {
        guard case .object(let fields) = value else { throw APIError.badRequest("Expected a JSON object", field: "body") }
        guard case .string(let name)? = fields["status"] else { throw APIError.badRequest("This field is required.", field: "status") }
        let statuses: [String: GroupStatus] = ["resolved": .resolved, "unresolved": .unresolved, "ignored": .ignored, "archived": .ignored]
        guard let status = statuses[name] else {
            throw APIError.badRequest("'\(name)' is not a valid choice (resolved, unresolved, ignored)", field: "status")
        }
        var substatus: GroupSubstatus?
        switch fields["substatus"] {
        case nil, .null?: break
        case .string(let text)?:
            guard let value = GroupSubstatus.allCases.first(where: { $0.name == text }) else {
                throw APIError.badRequest("'\(text)' is not a valid substatus", field: "substatus")
            }
            guard status != .resolved, value.status == status else {
                throw APIError.badRequest("The substatus '\(text)' does not go with the status '\(name)'", field: "substatus")
            }
            substatus = value
        default: throw APIError.badRequest("Expected a string", field: "substatus")
        }
        var resolution: StatusChange.Resolution?
        let details = fields["statusDetails"] ?? .object([:])
        switch details {
        case .null: break
        case .object(let members):
            if case .string(let version)? = members["inRelease"] {
                resolution = .inRelease(version)
            } else if members["inRelease"] != nil {
                throw APIError.badRequest("Expected a release version", field: "statusDetails.inRelease")
            } else if case .bool(true)? = members["inNextRelease"] {
                resolution = .inNextRelease
            }
            if resolution != nil, status != .resolved {
                throw APIError.badRequest("inRelease and inNextRelease go with the status resolved", field: "statusDetails")
            }
        default: throw APIError.badRequest("Expected an object", field: "statusDetails")
        }
        // Sentry's defaults: an unresolved issue is ongoing, an ignored one archived for ever.
        if substatus == nil, status == .unresolved { substatus = .ongoing }
        if substatus == nil, status == .ignored { substatus = .forever }
        return StatusUpdate(status: status, substatus: substatus, resolution: resolution, details: details == .null ? .object([:]) : details)
    }
}
