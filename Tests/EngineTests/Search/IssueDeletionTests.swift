import Engine
import Foundation
import Testing

/// Deleting issues by id and by search: scope, what goes with an issue, and what a later
/// occurrence of a deleted issue's fingerprint does.
struct IssueDeletionTests {
    @Test func deletesTheOrganizationsIssuesAndIgnoresOtherIDs() async throws {
        let fixture = try await SearchFixture.make()
        let engine = fixture.engine
        let ids = fixture.ids
        let deleted = try await engine.deleteIssues(
            organizationID: fixture.organizationID, ids: [ids["db-timeout"]!, ids["cache-miss"]!, ids["cache-miss"]!, ids["elsewhere"]!, 99_999])
        #expect(deleted == 2)
        #expect(try await engine.group(id: ids["db-timeout"]!) == nil)
        #expect(try await engine.group(id: ids["cache-miss"]!) == nil)
        #expect(try await engine.group(id: ids["elsewhere"]!) != nil, "another organization's issue is ignored")
        #expect(fixture.names(try await fixture.search("").groups) == ["render-crash", "flaky-network", "main-thread-io", "null-pointer"])
        #expect(try await engine.deleteIssues(organizationID: fixture.organizationID, ids: []) == 0)
    }

    @Test func everythingHangingOnAnIssueGoesWithIt() async throws {
        let fixture = try await SearchFixture.make()
        let engine = fixture.engine
        let acme = fixture.ids.filter { $0.key != "elsewhere" }.map(\.value)
        #expect(try await engine.deleteIssues(organizationID: fixture.organizationID, ids: acme) == acme.count)

        // What is left is the other organization's issue and what hangs on it.
        let elsewhere = fixture.ids["elsewhere"]!
        let counts = try await fixture.test.rowCounts()
        for table in ["issue_group", "group_hash", "occurrence", "event"] {
            #expect(counts[table] == 1, "\(table)")
        }
        #expect(counts["group_environment"] == 0)
        #expect(counts["activity"] == (try await engine.activities(groupID: elsewhere)).count)
        #expect(counts["rule_status"] == 0 && counts["rule_fire_history"] == 0 && counts["group_resolution"] == 0)
        #expect(try await engine.latestEvent(groupID: elsewhere) != nil)
    }

    @Test func anEventAnotherIssueStillUsesIsKept() async throws {
        let fixture = try await SearchFixture.make()
        let (eventID, first, second) = try await fixture.twoIssuesSharingAnEvent()
        #expect(try await fixture.engine.deleteIssues(organizationID: fixture.organizationID, ids: [first.id]) == 1)
        #expect(try await fixture.engine.latestEvent(groupID: second.id)?.eventID == eventID)
    }

    @Test func theFingerprintOfADeletedIssueMakesANewIssue() async throws {
        let fixture = try await SearchFixture.make()
        let engine = fixture.engine
        let old = try #require(try await engine.group(id: fixture.ids["db-timeout"]!))
        #expect(try await engine.deleteIssues(organizationID: fixture.organizationID, ids: [old.id]) == 1)

        let recreated = try await SearchFixture.ingest(
            fixture.test, "db-timeout", project: fixture.backend, title: "Database timeout", level: "error", at: 0,
            SearchFixture.Seed(priority: 75))
        #expect(recreated.id != old.id)
        #expect(recreated.timesSeen == 1 && recreated.substatus == .new)
        #expect(recreated.shortID > old.shortID, "short ids are not reused")
        #expect(try await fixture.test.group(fingerprint: "db-timeout")?.id == recreated.id)
    }

    @Test func deletesTheFirstMatchesOfASearch() async throws {
        let fixture = try await SearchFixture.make()
        let engine = fixture.engine
        let organizationID = fixture.organizationID
        #expect(try await engine.deleteIssues(matching: IssueSearchRequest(organizationID: organizationID, query: "is:resolved")) == 1)
        #expect(try await engine.group(id: fixture.ids["null-pointer"]!) == nil)
        // No query is the default query.
        #expect(try await engine.deleteIssues(matching: IssueSearchRequest(organizationID: organizationID)) == 3)
        #expect(fixture.names(try await fixture.search("").groups) == ["flaky-network", "main-thread-io"])
        // The other organization is untouched; nothing left to match deletes nothing.
        #expect(try await engine.group(id: fixture.ids["elsewhere"]!) != nil)
        #expect(try await engine.deleteIssues(matching: IssueSearchRequest(organizationID: organizationID, query: "is:resolved")) == 0)
        await #expect(throws: IssueSearchError(.invalidQuery, "Invalid priority value of 'x'")) {
            try await engine.deleteIssues(matching: IssueSearchRequest(organizationID: organizationID, query: "issue.priority:x"))
        }
    }
}
