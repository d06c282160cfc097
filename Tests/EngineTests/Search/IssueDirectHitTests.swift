import Engine
import Foundation
import Testing

/// Direct hits: issues found by the id of one of their events, or by short id.
struct IssueDirectHitTests {
    @Test func eventIDFindsTheIssuesHavingThatEvent() async throws {
        let fixture = try await SearchFixture.make()
        let eventID = Messages.newID()
        let backend = fixture.backend
        let group = try await SearchFixture.ingest(
            fixture.test, "with-event", project: backend, title: "With event", level: "error", at: -60, SearchFixture.Seed(eventID: eventID))
        let organizationID = fixture.organizationID

        #expect(try await fixture.engine.issues(eventID: eventID, organizationID: organizationID).map(\.id) == [group.id])
        // A UUID with dashes, in upper case, is the same id.
        let uuid = UUID(uuidString: eventID.replacingOccurrences(
            of: #"(\w{8})(\w{4})(\w{4})(\w{4})(\w{12})"#, with: "$1-$2-$3-$4-$5", options: .regularExpression))!
        #expect(try await fixture.engine.issues(eventID: uuid.uuidString, organizationID: organizationID).map(\.id) == [group.id])
        // Another organization does not see it; other text is not an event id.
        #expect(try await fixture.engine.issues(eventID: eventID, organizationID: fixture.elsewhere.organizationID).isEmpty)
        #expect(try await fixture.engine.issues(eventID: "timeout", organizationID: organizationID).isEmpty)
        #expect(try await fixture.engine.issues(eventID: Messages.newID(), organizationID: organizationID).isEmpty)
    }

    @Test func anEventSharedByTwoIssuesFindsBoth() async throws {
        let fixture = try await SearchFixture.make()
        let (eventID, first, second) = try await fixture.twoIssuesSharingAnEvent()
        let found = try await fixture.engine.issues(eventID: eventID, organizationID: fixture.organizationID)
        #expect(found.map(\.id) == [first.id, second.id])
    }

    @Test func shortIDFindsTheIssueInTheOrganization() async throws {
        let fixture = try await SearchFixture.make()
        let engine = fixture.engine
        let organizationID = fixture.organizationID
        // db-timeout was the backend project's first issue, render-crash the frontend's.
        #expect(try await engine.issue(shortID: "BACKEND-1", organizationID: organizationID)?.id == fixture.ids["db-timeout"])
        #expect(try await engine.issue(shortID: "backend-2", organizationID: organizationID)?.id == fixture.ids["cache-miss"])
        #expect(try await engine.issue(shortID: " FRONTEND-1 ", organizationID: organizationID)?.id == fixture.ids["render-crash"])
        // globex has a backend project too; each organization sees its own.
        let globex = fixture.elsewhere.organizationID
        #expect(try await engine.issue(shortID: "BACKEND-1", organizationID: globex)?.id == fixture.ids["elsewhere"])
        for missing in ["BACKEND-Z9", "NOPE-1", "timeout", "BACKEND-", "-1"] {
            #expect(try await engine.issue(shortID: missing, organizationID: organizationID) == nil, "\(missing)")
        }
    }
}
