import Engine
import Foundation
import HTTPTypes
import Hummingbird

extension IssueRoutes {
    /// `GET …/issues/`: Sentry's issue stream. An event id in `query` (or a short id with
    /// `shortIdLookup=1`) answers that issue directly with `X-Sentry-Direct-Hit: 1`; otherwise
    /// a page of the search, with `Link` (previous/next cursors) and `X-Hits`.
    func list(_ request: Request, _ context: DaemonRequestContext) async throws -> Response {
        try daemon.authorize(request, scope: .read)
        let organization = try await organization(context)
        let parameters = FormParameters(request.uri.query)
        let search = try searchRequest(parameters, organization: organization)
        let projects = try await daemon.engine.store.read { try $0.projects(organizationID: organization.id) }
        let byID = Dictionary(uniqueKeysWithValues: projects.map { ($0.id, $0) })
        let serialize = { (groups: [Group], matchingEventID: String?) -> JSONValue in
            .array(
                groups.compactMap { group in
                    guard let project = byID[group.projectID] else { return nil }
                    var json = daemon.issueJSON.json(group, project: project, organization: organization)
                    if let matchingEventID, case .object(var fields) = json {
                        fields["matchingEventId"] = .string(matchingEventID)
                        json = .object(fields)
                    }
                    return json
                })
        }
        let directHit: HTTPFields = [HTTPField.Name("X-Sentry-Direct-Hit")!: "1"]

        // Direct hits ignore the date range, as Sentry's do.
        if let text = search.query?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let inScope = { (group: Group) in search.projectIDs.isEmpty || search.projectIDs.contains(group.projectID) }
            let matches = try await daemon.engine.issues(eventID: text, organizationID: organization.id).filter(inScope)
            if !matches.isEmpty {
                let eventID = text.lowercased().replacingOccurrences(of: "-", with: "")
                return .json(serialize(matches, matches.count == 1 ? eventID : nil), headers: matches.count == 1 ? directHit : [:])
            }
            if parameters["shortIdLookup"] == "1",
                let group = try await daemon.engine.issue(shortID: text, organizationID: organization.id), inScope(group)
            {
                return .json(serialize([group], nil), headers: directHit)
            }
        }

        let page = try await self.search { try await daemon.engine.searchIssues(search) }
        var headers: HTTPFields = [HTTPField.Name("X-Hits")!: String(page.hits), HTTPField.Name("X-Max-Hits")!: String(IssuePage.maximumHits)]
        headers[HTTPField.Name("Link")!] = link(parameters, organization: organization, page: page)
        return .json(serialize(page.groups, nil), headers: headers)
    }

    /// Sentry's `Link` header: the same URL with the previous and next cursors.
    private func link(_ parameters: FormParameters, organization: Organization, page: IssuePage) -> String {
        let base = "\(daemon.configuration.effectiveBaseURL)/api/0/organizations/\(organization.slug)/issues/"
        // From the decoded parameters: re-reading the raw query would encode its escapes again
        // when it has characters a URL may not contain (`level:[error,%20fatal]` as curl sends it).
        func url(_ cursor: String) -> String {
            base + "?" + parameters.encoded(excluding: "cursor", adding: ("cursor", cursor))
        }
        return [("previous", page.previous), ("next", page.next)].map { rel, link in
            "<\(url(link.cursor))>; rel=\"\(rel)\"; results=\"\(link.hasResults)\"; cursor=\"\(link.cursor)\""
        }.joined(separator: ", ")
    }

    /// The search the request's parameters describe: `query` (absent = the default query, empty
    /// = everything), `project` (repeatable ids; -1 or none = every project), `environment`
    /// (repeatable), `statsPeriod` or `start` + `end`, `sort`, `limit`, `cursor`.
    func searchRequest(_ parameters: FormParameters, organization: Organization) throws -> IssueSearchRequest {
        var search = IssueSearchRequest(organizationID: organization.id)
        search.query = parameters["query"]
        for text in parameters.all("project") {
            guard let id = Int64(text) else { throw APIError.badRequest("Invalid project parameter. Values must be numbers.", field: "project") }
            if id != -1 { search.projectIDs.append(id) }
        }
        search.environments = parameters.all("environment").filter { !$0.isEmpty }
        let now = Date()
        if let period = parameters["statsPeriod"], !period.isEmpty {
            guard let seconds = Self.period(period) else {
                throw APIError.badRequest("Invalid statsPeriod: \(period)", field: "statsPeriod")
            }
            (search.start, search.end) = (now.addingTimeInterval(-seconds), now)
        } else if parameters["start"] != nil || parameters["end"] != nil {
            let start = parameters["start"].flatMap(Self.date)
            let end = parameters["end"].flatMap(Self.date)
            guard let start, let end else { throw APIError.badRequest("start and end are both required, as ISO 8601 dates", field: "start") }
            guard start < end else { throw APIError.badRequest("start must be before end", field: "start") }
            (search.start, search.end) = (start, end)
        }
        if let sort = parameters["sort"] {
            guard let value = IssueSort(rawValue: sort) else {
                throw APIError.badRequest("Invalid sort '\(sort)' (date, new or freq)", field: "sort")
            }
            search.sort = value
        }
        if let limit = parameters["limit"] {
            guard let value = Int(limit), value >= 1 else { throw APIError.badRequest("invalid limit", field: "limit") }
            search.limit = min(value, IssueSearchRequest.maximumLimit)
        }
        search.cursor = parameters["cursor"]
        return search
    }

    /// Runs a search, turning its errors into Sentry's answers.
    func search<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as IssueSearchError {
            if error.code == .invalidQuery {
                throw APIError.badRequest("Error parsing search query: \(error.message)", field: "query")
            }
            throw APIError.badRequest(error.message, field: error.code == .invalidCursor ? "cursor" : nil)
        }
    }

    /// `<n>[smhdw]` (Sentry's `statsPeriod`) in seconds.
    static func period(_ text: String) -> TimeInterval? {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = text.last.flatMap({ units[$0] }), let amount = Int(text.dropLast()), amount > 0 else { return nil }
        return TimeInterval(amount) * unit
    }

    /// An ISO 8601 date-time (`2026-11-24T12:00:00Z`, fractions allowed) or date (`2026-11-24`, UTC).
    static func date(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text + "T00:00:00Z", strategy: .iso8601)
    }
}
