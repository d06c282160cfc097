import Engine
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import notifyd

/// Issues at known times for the tests of the organization issues endpoints, created through
/// the engine in this order, so their ids ascend down the table (times are before the seeding):
///
/// | short id | title | level, priority | seen | other |
/// | --- | --- | --- | --- | --- |
/// | BACKEND-1 | Database timeout | error, high | 3 d, 2 d, 2 h ago | releases 1.0, 1.0, 1.1; production |
/// | BACKEND-2 | Cache miss | warning, medium | 10 d | release 2.0, staging |
/// | BACKEND-3 | Slow report | info, low | 5 d | |
/// | BACKEND-4 | Null pointer | error, high | 20 d | resolved |
/// | BACKEND-5 | Flaky network | warning, medium | 2 d | ignored (archived forever) |
/// | BACKEND-6 | Missed check-in | error, high | 6 h | cron monitor failure (type 4001) |
/// | BACKEND-7 | User feedback | info, medium | 1 d | feedback (type 6001) |
/// | FRONTEND-1 | Render crash in checkout | fatal, high | 30 min | release 1.0-web, production |
/// | WEB-1 | Database timeout elsewhere | error, high | 1 h | organization `other` |
struct IssueFixture {
    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86_400

    /// Issue ids by short id.
    let ids: [String: Int64]
    /// The id of each issue's first event, by short id.
    let eventIDs: [String: String]

    /// The id of an issue as the API writes it.
    func id(_ shortID: String) -> String { ids[shortID].map { String($0) } ?? "unknown \(shortID)" }

    static func seed(_ test: TestDaemon) async throws -> IssueFixture {
        let (backend, frontend, web) = (try test.project("acme", "backend"), try test.project("acme", "frontend"), try test.project("other", "web"))
        let now = Date()
        var ids: [String: Int64] = [:]
        var eventIDs: [String: String] = [:]
        func seed(
            _ project: Project, _ title: String, level: String = "error", ago: TimeInterval, priority: Int? = nil, type: Int = 1,
            release: String? = nil, environment: String? = nil
        ) async throws {
            var message = IngestMessages.occurrence(
                projectID: project.id, fingerprint: [title], title: title, level: level, at: now.addingTimeInterval(-ago), release: release,
                environment: environment)
            message["type"] = .int(Int64(type))
            message["initial_issue_priority"] = priority.map { .int(Int64($0)) }
            let info = try await test.ingest(message)
            let shortID = ShortID.format(projectSlug: project.slug, number: info.group.shortID)
            ids[shortID] = info.group.id
            eventIDs[shortID] = message["event_id"]?.stringValue
        }
        try await seed(backend, "Database timeout", ago: 3 * day, priority: 75, release: "1.0", environment: "production")
        try await seed(backend, "Cache miss", level: "warning", ago: 10 * day, release: "2.0", environment: "staging")
        try await seed(backend, "Slow report", level: "info", ago: 5 * day, priority: 25)
        try await seed(backend, "Null pointer", ago: 20 * day, priority: 75)
        try await seed(backend, "Flaky network", level: "warning", ago: 2 * day)
        try await seed(backend, "Missed check-in", ago: 6 * hour, type: 4001)
        try await seed(backend, "User feedback", level: "info", ago: day, type: 6001)
        try await seed(
            frontend, "Render crash in checkout", level: "fatal", ago: 0.5 * hour, priority: 75, release: "1.0-web", environment: "production")
        try await seed(web, "Database timeout elsewhere", ago: hour, priority: 75)
        for (ago, release) in [(2 * day, "1.0"), (2 * hour, "1.1")] {
            try await test.ingest(
                IngestMessages.occurrence(
                    projectID: backend.id, fingerprint: ["Database timeout"], title: "Database timeout", at: now.addingTimeInterval(-ago),
                    release: release, environment: "production"))
        }
        let engine = test.daemon.engine
        _ = try await engine.changeStatus(groupID: try #require(ids["BACKEND-4"]), to: .resolved)
        _ = try await engine.changeStatus(groupID: try #require(ids["BACKEND-5"]), to: .ignored, substatus: .forever)
        return IssueFixture(ids: ids, eventIDs: eventIDs)
    }
}

/// Paths of the organization issues endpoints.
enum IssuesPath {
    /// `/api/0/organizations/{organization}/issues/` with query parameters (repeat a name to
    /// repeat the parameter), encoded as JavaScript's `encodeURIComponent` does.
    static func list(_ organization: String = "acme", _ parameters: [(String, String)] = []) -> String {
        let path = "/api/0/organizations/\(organization)/issues/"
        guard !parameters.isEmpty else { return path }
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()")
        let query = parameters.map { name, value in "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)" }
        return path + "?" + query.joined(separator: "&")
    }

    /// `/api/0/organizations/{organization}/issues/{issue}/`.
    static func issue(_ id: Int64, _ organization: String = "acme") -> String { "/api/0/organizations/\(organization)/issues/\(id)/" }
}

/// One link of Sentry's `Link` header: `<url>; rel="next"; results="true"; cursor="…"`.
struct PageLink: Sendable {
    /// The URL's path and query, for the test client.
    var path: String
    var results: Bool
    var cursor: String
}

extension TestResponse {
    /// The `shortId`s of a list of issues.
    func shortIDs() throws -> [String] {
        try #require(try json().arrayValue, "\(text)").map { $0["shortId"]?.stringValue ?? "?" }
    }

    /// The links of the `Link` header by `rel`; their URLs must be the daemon's (`https://notifyd.test`).
    func links() throws -> [String: PageLink] {
        let header = try #require(headers[HTTPField.Name("Link")!], "no Link header")
        var links: [String: PageLink] = [:]
        for match in header.matches(of: /<([^>]*)>([^<]*)/) {
            var parameters: [String: String] = [:]
            for parameter in match.2.matches(of: /(\w+)="([^"]*)"/) { parameters[String(parameter.1)] = String(parameter.2) }
            let url = try #require(URLComponents(string: String(match.1)), "\(match.1)")
            #expect(url.scheme == "https" && url.host == "notifyd.test", "\(match.1)")
            let rel = try #require(parameters["rel"], "\(header)")
            links[rel] = PageLink(
                path: url.percentEncodedPath + "?" + (url.percentEncodedQuery ?? ""), results: try #require(parameters["results"]) == "true",
                cursor: try #require(parameters["cursor"]))
        }
        return links
    }
}
