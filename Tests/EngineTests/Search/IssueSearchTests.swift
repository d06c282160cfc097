import Engine
import Foundation
import Testing

/// Issue searches on a seeded SQLite store (see `SearchFixture` for the issues): which issues
/// each query finds, the request's scope, range and environments, and the orders.
struct IssueSearchTests {
    /// Everything in the default 90 days except the hidden feedback, most recently seen first.
    static let everything = ["render-crash", "db-timeout", "flaky-network", "main-thread-io", "cache-miss", "null-pointer"]

    static func except(_ names: String...) -> [String] { everything.filter { !names.contains($0) } }

    static let matches: [(String?, [String])] = [
        (nil, ["render-crash", "db-timeout", "cache-miss"]),
        ("", everything),
        // statuses and substatuses
        ("is:unresolved", except("flaky-network", "null-pointer")),
        ("is:resolved", ["null-pointer"]),
        ("!is:resolved", except("null-pointer")),
        ("is:archived", ["flaky-network"]),
        ("is:archived_forever", ["flaky-network"]),
        ("is:new", except("flaky-network", "null-pointer")),
        ("!is:new", ["flaky-network", "null-pointer"]),
        ("is:regressed", []),
        ("status:[resolved, ignored]", ["flaky-network", "null-pointer"]),
        ("is:assigned", ["render-crash"]),
        ("is:unassigned", except("render-crash")),
        ("is:linked", []),
        ("is:unlinked", everything),
        // issue fields
        ("issue.priority:low", ["main-thread-io"]),
        ("issue.priority:[high, medium] !is:unresolved", ["flaky-network", "null-pointer"]),
        ("issue.category:performance", ["main-thread-io"]),
        ("issue.category:feedback", ["feedback"]),
        ("issue.type:feedback", ["feedback"]),
        ("!issue.category:error", ["feedback", "main-thread-io"]),
        ("level:error", ["db-timeout", "null-pointer"]),
        ("level:[fatal, warning]", ["render-crash", "flaky-network", "cache-miss"]),
        ("!level:error", except("db-timeout", "null-pointer")),
        // environments and releases
        ("environment:prod", ["render-crash", "db-timeout"]),
        ("environment:[staging, qa]", ["cache-miss"]),
        ("environment:stag*", ["cache-miss"]),
        ("!environment:prod", except("render-crash", "db-timeout")),
        ("has:environment", ["render-crash", "db-timeout", "cache-miss"]),
        ("!has:environment", ["flaky-network", "main-thread-io", "null-pointer"]),
        ("release:1.0", ["db-timeout"]),
        ("release:1.1", ["db-timeout"]),
        ("release:1.*", ["render-crash", "db-timeout"]),
        ("release:[2.0, 1.0-web]", ["render-crash", "cache-miss"]),
        ("!release:1.1", except("db-timeout")),
        ("has:release", ["render-crash", "db-timeout", "cache-miss"]),
        ("!has:release", ["flaky-network", "main-thread-io", "null-pointer"]),
        ("firstRelease:1.0", ["db-timeout"]),
        ("firstRelease:1.1", []),
        ("!first_release:1.0", except("db-timeout")),
        // tags; positive event terms must hold for one event
        ("browser:Firefox", ["db-timeout"]),
        ("browser:[Chrome, Safari]", ["db-timeout", "cache-miss"]),
        ("tags[browser]:Chr*", ["cache-miss"]),
        ("!browser:Firefox", except("db-timeout")),
        ("has:os", ["db-timeout"]),
        ("!has:browser", except("db-timeout", "cache-miss")),
        ("browser:Firefox os:linux release:1.0", ["db-timeout"]),
        ("browser:Safari release:1.1", ["db-timeout"]),
        // Tags come from the issue's tag index: Firefox was seen (in 1.0) and 1.1 was seen (in
        // Safari), so the issue matches though no one event has both.
        ("browser:Firefox release:1.1", ["db-timeout"]),
        ("browser:firefox", []),
        // free text
        ("timeout", ["db-timeout"]),
        ("TIMEOUT", ["db-timeout"]),
        ("database timeout", ["db-timeout"]),
        ("\"timeout database\"", []),
        ("\"render crash\"", ["render-crash"]),
        ("crash is:unresolved", ["render-crash"]),
        ("!message:timeout", except("db-timeout")),
        // dates (now = 2025-06-15T15:06:40Z) and counts
        ("firstSeen:-24h", ["render-crash"]),
        ("lastSeen:-24h", ["render-crash", "db-timeout"]),
        ("age:-4d", ["render-crash", "db-timeout", "flaky-network"]),
        ("firstSeen:+7d", ["cache-miss", "null-pointer"]),
        ("lastSeen:>2025-06-14", ["render-crash", "db-timeout"]),
        ("lastSeen:<=2025-06-10T15:06:40Z", ["main-thread-io", "cache-miss", "null-pointer"]),
        ("firstSeen:2025-06-13", ["flaky-network"]),
        ("firstSeen:2025-06-13T15:08:00", ["flaky-network"]),
        ("firstSeen:2025-06-13T15:20:00", []),
        ("timesSeen:>1", ["db-timeout"]),
        ("timesSeen:3", ["db-timeout"]),
        ("timesSeen:<=1", except("db-timeout")),
    ]

    @Test(arguments: matches)
    func queryFinds(query: String?, expected: [String]) async throws {
        let fixture = try await SearchFixture.make()
        let page = try await fixture.search(query)
        #expect(fixture.names(page.groups) == expected)
        #expect(page.hits == expected.count)
    }

    @Test func freeTextIgnoresTheCaseOfEveryLetter() async throws {
        let fixture = try await SearchFixture.make()
        let issue = try await SearchFixture.ingest(
            fixture.test, "umlaut", project: fixture.backend, title: "Ärger beim Speichern", level: "error", at: 0, SearchFixture.Seed())
        for query in ["ärger", "ÄRGER", "speichern", "\"BEIM SPEICHERN\""] {
            #expect(try await fixture.search(query).groups.map(\.id) == [issue.id], "\(query)")
        }
        #expect(try await fixture.search("ärgern").groups.isEmpty)
    }

    // MARK: Scope, range and environments

    @Test func searchesOnlyTheOrganizationAndTheProjectsAsked() async throws {
        let fixture = try await SearchFixture.make()
        #expect(fixture.names(try await fixture.search("", projectIDs: [fixture.frontend.id]).groups) == ["render-crash"])
        #expect(
            fixture.names(try await fixture.search("", projectIDs: [fixture.frontend.id, fixture.backend.id]).groups)
                == Self.everything)
        // A project of another organization is not searched, even when named.
        #expect(try await fixture.search("", projectIDs: [fixture.elsewhere.id]).groups.isEmpty)
        let globex = fixture.elsewhere.organizationID
        #expect(fixture.names(try await fixture.search("timeout", organizationID: globex).groups) == ["elsewhere"])
        #expect(try await fixture.search("", organizationID: 9999).groups.isEmpty)
    }

    @Test func dateRangeMatchesIssuesSeenWithinIt() async throws {
        let fixture = try await SearchFixture.make()
        let now = fixture.now
        let day = SearchFixture.day
        let all = try await fixture.search("", start: now - 200 * day)
        #expect(fixture.names(all.groups) == Self.everything + ["ancient"])
        // Seen within [−30 d, −15 d]: only the issue that was first seen before the end and last
        // seen after the start.
        let window = try await fixture.search("", start: now - 30 * day, end: now - 15 * day)
        #expect(fixture.names(window.groups) == ["null-pointer"])
        // An issue seen from −3 d to −1 h overlaps [−2.5 d, −2.4 d] without an event in it.
        let inside = try await fixture.search("", start: now - 2.5 * day, end: now - 2.4 * day)
        #expect(fixture.names(inside.groups) == ["db-timeout"])
        // Only an end: the 90 days before it.
        let before = try await fixture.search("", end: now - 15 * day)
        #expect(fixture.names(before.groups) == ["null-pointer", "ancient"])

        await #expect(throws: IssueSearchError(.invalidRange, "start must be before end")) {
            try await fixture.search("", start: now, end: now)
        }
    }

    @Test func environmentsOfTheRequestNarrowTheQuery() async throws {
        let fixture = try await SearchFixture.make()
        #expect(fixture.names(try await fixture.search("", environments: ["prod"]).groups) == ["render-crash", "db-timeout"])
        #expect(fixture.names(try await fixture.search("is:assigned", environments: ["prod", "staging"]).groups) == ["render-crash"])
        #expect(try await fixture.search("", environments: ["nowhere"]).groups.isEmpty)
    }

    @Test func badQueriesAreRefusedBeforeTheStoreIsRead() async throws {
        let fixture = try await SearchFixture.make()
        await #expect(throws: IssueSearchError(.invalidQuery, "Invalid priority value of 'x'")) {
            try await fixture.search("issue.priority:x")
        }
        await #expect(throws: IssueSearchError(.invalidLimit, "limit must be at least 1")) {
            try await fixture.search("", limit: 0)
        }
        // Larger limits are cut to Sentry's maximum.
        #expect(try await fixture.search("", limit: 1000).groups.count == Self.everything.count)
    }

    // MARK: Orders

    static let orders: [(IssueSort, [String])] = [
        (.date, everything),
        (.new, ["render-crash", "flaky-network", "db-timeout", "main-thread-io", "cache-miss", "null-pointer"]),
        // Ties (seen once) newest issue first.
        (.freq, ["db-timeout", "render-crash", "flaky-network", "null-pointer", "main-thread-io", "cache-miss"]),
    ]

    @Test(arguments: orders)
    func sortsBy(sort: IssueSort, expected: [String]) async throws {
        let fixture = try await SearchFixture.make()
        #expect(fixture.names(try await fixture.search("", sort: sort).groups) == expected)
    }

    @Test func hitsAreCountedUpToTheMaximum() async throws {
        let fixture = try await SearchFixture.make()
        let page = try await fixture.search("", limit: 2)
        #expect(page.groups.count == 2)
        #expect(page.hits == Self.everything.count)
        #expect(IssuePage.maximumHits == 1000)
    }
}
