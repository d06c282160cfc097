import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import notifyd

/// `GET /api/0/organizations/{org}/issues/`: the HTTP side of Sentry's issue stream (parameters,
/// errors, headers, pages, direct hits) over `IssueFixture`. The search semantics themselves are
/// `EngineTests/Search`'s.
struct IssueSearchRoutesTests {
    /// The read token's list answer for parameters, checked to be 200.
    private static func list(
        _ client: some TestClientProtocol, _ parameters: [(String, String)], organization: String = "acme"
    ) async throws -> TestResponse {
        let response = try await client.send(.get, IssuesPath.list(organization, parameters), token: TestDaemon.readToken)
        #expect(response.status == .ok, "\(parameters): \(response.text)")
        return response
    }

    /// Expects a 400 for the parameters that names `field` and whose detail starts with `detail`.
    private static func expectBadRequest(
        _ client: some TestClientProtocol, _ parameters: [(String, String)], field: String, detail: String = ""
    ) async throws {
        let response = try await client.send(.get, IssuesPath.list("acme", parameters), token: TestDaemon.readToken)
        #expect(response.status == .badRequest, "\(parameters)")
        #expect(response.field == field, "\(parameters): \(response.text)")
        #expect(response.detail?.hasPrefix(detail) == true, "\(parameters): \(response.text)")
    }

    // MARK: Tokens and organizations

    @Test func aMissingOrWrongTokenIsUnauthorizedAndEveryScopeReads() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                for token in [nil, "wrong-token-0123456789abcdef", TestDaemon.backendKey] {
                    let response = try await client.send(.get, IssuesPath.list(), token: token)
                    #expect(response.status == .unauthorized, "\(token ?? "no token")")
                    #expect(response.detail == "Invalid token")
                }
                for token in [TestDaemon.readToken, TestDaemon.writeToken, TestDaemon.adminToken] {
                    let response = try await client.send(.get, IssuesPath.list(), token: token)
                    #expect(response.status == .ok)
                    #expect(try response.json() == [])
                }
                let unknown = try await client.send(.get, IssuesPath.list("nobody"), token: TestDaemon.readToken)
                #expect(unknown.status == .notFound)
                #expect(unknown.detail == "The requested resource does not exist")
            }
        }
    }

    // MARK: Queries

    @Test func withoutAQueryTheStreamIsUnresolvedHighAndMediumIssues() async throws {
        try await withTestDaemon { test in
            let fixture = try await IssueFixture.seed(test)
            try await test.withClient { client in
                let response = try await Self.list(client, [])
                // Not the low-priority BACKEND-3, the resolved BACKEND-4, the ignored BACKEND-5,
                // the feedback BACKEND-7 nor the other organization's WEB-1.
                #expect(try response.shortIDs() == ["FRONTEND-1", "BACKEND-1", "BACKEND-6", "BACKEND-2"])
                #expect(response.headers[HTTPField.Name("X-Hits")!] == "4")
                #expect(response.headers[HTTPField.Name("X-Max-Hits")!] == "1000")
                #expect(response.headers[HTTPField.Name("X-Sentry-Direct-Hit")!] == nil)
                let first = try #require(try response.json().arrayValue?.first)
                #expect(first["id"] == .string(fixture.id("FRONTEND-1")))
                #expect(first["project"]?["slug"] == "frontend")
                #expect(first["matchingEventId"] == nil)

                // An empty query filters nothing but feedback, which shows only when asked for.
                let everything = try await Self.list(client, [("query", "")])
                #expect(try everything.shortIDs() == ["FRONTEND-1", "BACKEND-1", "BACKEND-6", "BACKEND-5", "BACKEND-3", "BACKEND-2", "BACKEND-4"])
                #expect(everything.headers[HTTPField.Name("X-Hits")!] == "7")
            }
        }
    }

    /// Queries and the short ids they list, most recently seen first.
    static let queries: [(String, [String])] = [
        ("is:unresolved", ["FRONTEND-1", "BACKEND-1", "BACKEND-6", "BACKEND-3", "BACKEND-2"]),
        ("is:resolved", ["BACKEND-4"]),
        ("is:ignored", ["BACKEND-5"]),
        ("is:archived_forever", ["BACKEND-5"]),
        ("!is:unresolved", ["BACKEND-5", "BACKEND-4"]),
        ("issue.priority:low", ["BACKEND-3"]),
        ("issue.priority:[high, medium]", ["FRONTEND-1", "BACKEND-1", "BACKEND-6", "BACKEND-5", "BACKEND-2", "BACKEND-4"]),
        ("issue.category:cron", ["BACKEND-6"]),
        ("issue.category:feedback", ["BACKEND-7"]),
        ("issue.type:monitor_check_in_failure", ["BACKEND-6"]),
        ("level:warning", ["BACKEND-5", "BACKEND-2"]),
        ("level:[fatal, info]", ["FRONTEND-1", "BACKEND-3"]),
        ("!level:error", ["FRONTEND-1", "BACKEND-5", "BACKEND-3", "BACKEND-2"]),
        ("environment:production", ["FRONTEND-1", "BACKEND-1"]),
        ("release:1.1", ["BACKEND-1"]),
        (#"release:"1.0-web""#, ["FRONTEND-1"]),
        ("timeout", ["BACKEND-1"]),
        (#""RENDER crash""#, ["FRONTEND-1"]),
        ("is:unresolved level:error timeout", ["BACKEND-1"]),
        ("timesSeen:>1", ["BACKEND-1"]),
        ("timesSeen:1", ["FRONTEND-1", "BACKEND-6", "BACKEND-5", "BACKEND-3", "BACKEND-2", "BACKEND-4"]),
        ("firstSeen:-1d", ["FRONTEND-1", "BACKEND-6"]),
        ("firstSeen:+7d", ["BACKEND-2", "BACKEND-4"]),
        ("lastSeen:-3h", ["FRONTEND-1", "BACKEND-1"]),
    ]

    @Test func queriesListTheirMatchesInTheOrganizationOnly() async throws {
        try await withTestDaemon { test in
            _ = try await IssueFixture.seed(test)
            try await test.withClient { client in
                for (query, expected) in Self.queries {
                    let response = try await Self.list(client, [("query", query)])
                    #expect(try response.shortIDs() == expected, "\(query)")
                    #expect(response.headers[HTTPField.Name("X-Hits")!] == String(expected.count), "\(query)")
                }
                // The other organization sees its own issue for the same words.
                let other = try await Self.list(client, [("query", "timeout")], organization: "other")
                #expect(try other.shortIDs() == ["WEB-1"])
            }
        }
    }

    /// Queries that do not parse, and Sentry's detail for each.
    static let badQueries: [(String, String)] = [
        ("a OR b", #"Boolean statements containing "OR" or "AND" are not supported in this search"#),
        ("is:nonsense", #"Invalid value for "is" search, valid values are ["#),
        ("count():>1", "Aggregate filters (count()) are not supported in issue searches."),
        ("issue.priority:urgent", "Invalid priority value of 'urgent'"),
        ("firstSeen:yesterday", "first_seen: Invalid date: yesterday. Expected +/-duration"),
    ]

    @Test func aQueryThatDoesNotParseIsABadRequest() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                for (query, detail) in Self.badQueries {
                    try await Self.expectBadRequest(client, [("query", query)], field: "query", detail: "Error parsing search query: \(detail)")
                }
            }
        }
    }

    // MARK: Projects, environments and dates

    @Test func projectsAndEnvironmentsNarrowTheSearch() async throws {
        try await withTestDaemon { test in
            _ = try await IssueFixture.seed(test)
            let (backend, frontend) = (String(try test.project("acme", "backend").id), String(try test.project("acme", "frontend").id))
            let web = String(try test.project("other", "web").id)
            try await test.withClient { client in
                let cases: [([(String, String)], [String])] = [
                    ([("project", frontend)], ["FRONTEND-1"]),
                    ([("project", backend), ("project", frontend)], ["FRONTEND-1", "BACKEND-1", "BACKEND-6", "BACKEND-2"]),
                    ([("project", "-1")], ["FRONTEND-1", "BACKEND-1", "BACKEND-6", "BACKEND-2"]),
                    // Another organization's project is not searched.
                    ([("project", web)], []),
                    ([("environment", "production")], ["FRONTEND-1", "BACKEND-1"]),
                    ([("environment", "production"), ("environment", "staging")], ["FRONTEND-1", "BACKEND-1", "BACKEND-2"]),
                    ([("environment", "production"), ("project", backend)], ["BACKEND-1"]),
                ]
                for (parameters, expected) in cases {
                    #expect(try await Self.list(client, parameters).shortIDs() == expected, "\(parameters)")
                }
                for value in ["backend", "1.5", ""] {
                    try await Self.expectBadRequest(client, [("project", value)], field: "project")
                }
            }
        }
    }

    @Test func statsPeriodAndStartEndLimitWhenIssuesWereSeen() async throws {
        try await withTestDaemon { test in
            _ = try await IssueFixture.seed(test)
            try await test.withClient { client in
                let now = Date()
                func iso(_ hoursAgo: Double) -> String { now.addingTimeInterval(-hoursAgo * IssueFixture.hour).formatted(.iso8601) }
                let cases: [([(String, String)], [String])] = [
                    ([("statsPeriod", "1h")], ["FRONTEND-1"]),
                    ([("statsPeriod", "3h")], ["FRONTEND-1", "BACKEND-1"]),
                    ([("statsPeriod", "1d")], ["FRONTEND-1", "BACKEND-1", "BACKEND-6"]),
                    // Seen between 4 and 1 hours ago: BACKEND-1 (first 3 days, last 2 hours ago) only.
                    ([("start", iso(4)), ("end", iso(1))], ["BACKEND-1"]),
                    // Seen between 30 days and 4 days 23 hours ago: first seen 5, 10 and 20 days ago.
                    ([("start", iso(30 * 24)), ("end", iso(5 * 24 - 1))], ["BACKEND-3", "BACKEND-2", "BACKEND-4"]),
                ]
                for (parameters, expected) in cases {
                    let response = try await Self.list(client, [("query", "")] + parameters)
                    #expect(try response.shortIDs() == expected, "\(parameters)")
                }
                let bad: [([(String, String)], String)] = [
                    ([("statsPeriod", "1y")], "statsPeriod"), ([("statsPeriod", "h")], "statsPeriod"), ([("statsPeriod", "-1h")], "statsPeriod"),
                    ([("start", iso(4))], "start"), ([("end", iso(1))], "start"), ([("start", "yesterday"), ("end", iso(1))], "start"),
                    ([("start", iso(1)), ("end", iso(4))], "start"), ([("start", iso(1)), ("end", iso(1))], "start"),
                ]
                for (parameters, field) in bad {
                    try await Self.expectBadRequest(client, parameters, field: field)
                }
                try await Self.expectBadRequest(client, [("start", iso(1)), ("end", iso(4))], field: "start", detail: "start must be before end")
            }
        }
    }

    // MARK: Order and pages

    @Test func sortOrdersByLastSeenFirstSeenOrTimesSeen() async throws {
        try await withTestDaemon { test in
            _ = try await IssueFixture.seed(test)
            try await test.withClient { client in
                let orders: [(String, [String])] = [
                    ("date", ["FRONTEND-1", "BACKEND-1", "BACKEND-6", "BACKEND-5", "BACKEND-3", "BACKEND-2", "BACKEND-4"]),
                    ("new", ["FRONTEND-1", "BACKEND-6", "BACKEND-5", "BACKEND-1", "BACKEND-3", "BACKEND-2", "BACKEND-4"]),
                    // Ties (seen once) newest issue first.
                    ("freq", ["BACKEND-1", "FRONTEND-1", "BACKEND-6", "BACKEND-5", "BACKEND-4", "BACKEND-3", "BACKEND-2"]),
                ]
                for (sort, expected) in orders {
                    #expect(try await Self.list(client, [("query", ""), ("sort", sort)]).shortIDs() == expected, "\(sort)")
                }
                for sort in ["user", "DATE", ""] {
                    try await Self.expectBadRequest(client, [("sort", sort)], field: "sort")
                }
            }
        }
    }

    @Test func limitAndCursorAreChecked() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                for limit in ["0", "-1", "ten", "1.5", ""] {
                    try await Self.expectBadRequest(client, [("limit", limit)], field: "limit", detail: "invalid limit")
                }
                for cursor in ["garbage", "1:2", "1:2:3", "x:1:0", ""] {
                    try await Self.expectBadRequest(client, [("cursor", cursor)], field: "cursor", detail: "Invalid cursor parameter.")
                }
            }
        }
    }

    @Test func aLimitAbove100IsCutTo100() async throws {
        try await withTestDaemon { test in
            let backend = try test.project("acme", "backend").id
            let messages = (1...101).map { IngestMessages.occurrence(projectID: backend, fingerprint: ["many-\($0)"]).json.serialized() }
            let results = await test.daemon.engine.ingest(batch: messages, projectID: backend)
            #expect(results.allSatisfy { $0.groupInfo?.isNew == true })
            try await test.withClient { client in
                let response = try await Self.list(client, [("limit", "500")])
                #expect(try response.shortIDs().count == 100)
                #expect(response.headers[HTTPField.Name("X-Hits")!] == "101")
                let next = try #require(try response.links()["next"])
                #expect(next.results)
                #expect(try await client.send(.get, next.path, token: TestDaemon.readToken).shortIDs().count == 1)
            }
        }
    }

    @Test func followingNextLinksWalksEveryIssueOnceWhileIssuesArrive() async throws {
        try await withTestDaemon { test in
            let backend = try test.project("acme", "backend").id
            let start = Date().addingTimeInterval(-IssueFixture.day)
            // Seven matching issues an hour apart, and one the query leaves out.
            var paged: [String] = []
            for index in 1...8 {
                let title = index == 4 ? "Unrelated" : "Paged failure \(index)"
                let message = IngestMessages.occurrence(
                    projectID: backend, fingerprint: [title], title: title, at: start.addingTimeInterval(Double(index) * IssueFixture.hour))
                let group = try await test.ingest(message).group
                if index != 4 { paged.insert(ShortID.format(projectSlug: "backend", number: group.shortID), at: 0) }
            }
            let expected = paged
            // Brackets, quotes and spaces must survive the trip through the Link header.
            let query = #"is:unresolved level:[error, fatal] "paged failure""#
            try await test.withClient { client in
                var response = try await Self.list(client, [("query", query), ("limit", "3")])
                #expect(response.headers[HTTPField.Name("X-Hits")!] == "7")
                var links = try response.links()
                #expect(links["previous"]?.results == false)
                var seen = try response.shortIDs()
                var pages = 1
                var arrivals = 0
                while let next = links["next"], next.results {
                    #expect(next.path.contains("limit=3"), "\(next.path)")
                    // Newer matching issues arrive between the pages: they sort first, so they
                    // must neither appear in nor shift the later pages.
                    arrivals += 1
                    let late = IngestMessages.occurrence(projectID: backend, fingerprint: ["late-\(arrivals)"], title: "Paged failure late")
                    try await test.ingest(late)
                    response = try await client.send(.get, next.path, token: TestDaemon.readToken)
                    #expect(response.status == .ok, "\(next.path): \(response.text)")
                    #expect(try response.links()["previous"]?.results == true)
                    seen += try response.shortIDs()
                    links = try response.links()
                    pages += 1
                    try #require(pages <= 5, "the walk does not end: \(seen)")
                }
                #expect(seen == expected)
                #expect(pages == 3)
                // The last page says so, and its next link reads as an empty page.
                let end = try #require(links["next"])
                #expect(try await client.send(.get, end.path, token: TestDaemon.readToken).shortIDs() == [])

                // The previous link of the second page leads back to the first page.
                let first = try await Self.list(client, [("query", query), ("limit", "3"), ("sort", "new")])
                let second = try await client.send(.get, try #require(try first.links()["next"]).path, token: TestDaemon.readToken)
                let back = try await client.send(.get, try #require(try second.links()["previous"]).path, token: TestDaemon.readToken)
                #expect(try back.shortIDs() == first.shortIDs())
            }
        }
    }

    @Test func linksKeepTheParametersOfAHandWrittenURL() async throws {
        try await withTestDaemon { test in
            _ = try await IssueFixture.seed(test)
            try await test.withClient { client in
                // Brackets and a comma as curl users type them, not percent-encoded, and an
                // encoded plus sign (first seen more than an hour ago).
                let first = try await client.send(
                    .get, "/api/0/organizations/acme/issues/?query=level:[error,%20fatal]%20firstSeen:%2B1h&limit=2&sort=new",
                    token: TestDaemon.readToken)
                #expect(try first.shortIDs() == ["BACKEND-6", "BACKEND-1"])
                let next = try #require(try first.links()["next"])
                #expect(next.results)
                let second = try await client.send(.get, next.path, token: TestDaemon.readToken)
                #expect(second.status == .ok, "\(next.path): \(second.text)")
                #expect(try second.shortIDs() == ["BACKEND-4"], "\(next.path)")
                #expect(try second.links()["next"]?.results == false)
            }
        }
    }

    @Test func aPlusInTheQueryStringIsASpaceAsFormsAndSentryReadIt() async throws {
        try await withTestDaemon { test in
            _ = try await IssueFixture.seed(test)
            try await test.withClient { client in
                // As Python's `requests` encodes `params={"query": "level:[error, fatal] firstSeen:+1h"}`.
                let plus = try await client.send(
                    .get, "/api/0/organizations/acme/issues/?query=level%3A%5Berror%2C+fatal%5D+firstSeen%3A%2B1h&sort=new", token: TestDaemon.readToken)
                #expect(plus.status == .ok, "\(plus.text)")
                #expect(try plus.shortIDs() == ["BACKEND-6", "BACKEND-1", "BACKEND-4"])
                // The Link header keeps the encoded plus a plus.
                let next = try #require(try plus.links()["next"])
                #expect(next.path.contains("%2B1h"), "\(next.path)")
            }
        }
    }

    // MARK: Direct hits

    @Test func anEventIDIsADirectHit() async throws {
        try await withTestDaemon { test in
            let fixture = try await IssueFixture.seed(test)
            let eventID = try #require(fixture.eventIDs["BACKEND-4"])
            let characters = Array(eventID.uppercased())
            let dashed = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
            try await test.withClient { client in
                // The resolved BACKEND-4 was seen 20 days ago: direct hits ignore the query's
                // status and the date range.
                for (query, extra) in [(eventID, [(String, String)]()), (dashed, [("statsPeriod", "1h")]), (" \(eventID) ", [])] {
                    let response = try await Self.list(client, [("query", query)] + extra)
                    #expect(response.headers[HTTPField.Name("X-Sentry-Direct-Hit")!] == "1", "\(query)")
                    let issues = try #require(try response.json().arrayValue)
                    #expect(issues.map { $0["shortId"] } == ["BACKEND-4"], "\(query)")
                    #expect(issues.first?["matchingEventId"] == .string(eventID))
                    #expect(issues.first?["id"] == .string(fixture.id("BACKEND-4")))
                }
                // Not in the requested projects, or another organization's event: no direct hit,
                // and as free text the id matches no issue.
                let frontend = String(try test.project("acme", "frontend").id)
                let foreign = try #require(fixture.eventIDs["WEB-1"])
                for parameters in [[("query", eventID), ("project", frontend)], [("query", foreign)], [("query", IngestMessages.newID())]] {
                    let response = try await Self.list(client, parameters)
                    #expect(response.headers[HTTPField.Name("X-Sentry-Direct-Hit")!] == nil, "\(parameters)")
                    #expect(try response.json() == [], "\(parameters)")
                }
            }
        }
    }

    @Test func aShortIDIsADirectHitOnlyWithShortIdLookup() async throws {
        try await withTestDaemon { test in
            let fixture = try await IssueFixture.seed(test)
            try await test.withClient { client in
                for query in ["BACKEND-4", "backend-4"] {
                    let response = try await Self.list(client, [("shortIdLookup", "1"), ("query", query)])
                    #expect(response.headers[HTTPField.Name("X-Sentry-Direct-Hit")!] == "1", "\(query)")
                    let issues = try #require(try response.json().arrayValue)
                    #expect(issues.map { $0["id"] } == [.string(fixture.id("BACKEND-4"))])
                    #expect(issues.first?["matchingEventId"] == nil)
                }
                // Without the flag, another organization's short id, or one that does not exist,
                // the query is free text, which no title contains.
                for parameters in [
                    [("query", "BACKEND-4")], [("shortIdLookup", "0"), ("query", "BACKEND-4")], [("shortIdLookup", "1"), ("query", "WEB-1")],
                    [("shortIdLookup", "1"), ("query", "BACKEND-99")],
                ] {
                    let response = try await Self.list(client, parameters)
                    #expect(response.headers[HTTPField.Name("X-Sentry-Direct-Hit")!] == nil, "\(parameters)")
                    #expect(try response.json() == [], "\(parameters)")
                }
            }
        }
    }
}
