import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import notifyd

/// `PUT` and `DELETE /api/0/organizations/{org}/issues/`: bulk status changes and deletes by
/// `?id=` or by search, their scopes, bodies, and issues of other organizations left alone.
struct IssueMutationRoutesTests {
    /// The issue as the read token sees it (`nil` when it is not found).
    private static func issue(_ client: some TestClientProtocol, _ id: Int64, _ organization: String = "acme") async throws -> JSONValue? {
        let response = try await client.send(.get, IssuesPath.issue(id, organization), token: TestDaemon.readToken)
        guard response.status != .notFound else { return nil }
        #expect(response.status == .ok, "\(response.text)")
        return try response.json()
    }

    /// The issue's `[status, substatus]`.
    private static func status(_ client: some TestClientProtocol, _ id: Int64, _ organization: String = "acme") async throws -> [JSONValue] {
        let issue = try #require(try await issue(client, id, organization))
        return [issue["status"] ?? "absent", issue["substatus"] ?? "absent"]
    }

    /// The issue's activities, newest first.
    private static func activities(_ client: some TestClientProtocol, _ id: Int64) async throws -> [JSONValue] {
        let response = try await client.send(.get, "/api/0/organizations/acme/issues/\(id)/activities/", token: TestDaemon.readToken)
        return try #require(try response.json()["activity"]?.arrayValue)
    }

    /// The short ids the read token lists for a query.
    private static func list(_ client: some TestClientProtocol, _ query: String, _ organization: String = "acme") async throws -> [String] {
        try await client.send(.get, IssuesPath.list(organization, [("query", query)]), token: TestDaemon.readToken).shortIDs()
    }

    private static func put(
        _ client: some TestClientProtocol, _ parameters: [(String, String)], _ body: JSONValue, token: String = TestDaemon.writeToken
    ) async throws -> TestResponse {
        try await client.send(.put, IssuesPath.list("acme", parameters), token: token, json: body)
    }

    private static func delete(_ client: some TestClientProtocol, _ parameters: [(String, String)], token: String = TestDaemon.adminToken)
        async throws -> TestResponse
    {
        try await client.send(.delete, IssuesPath.list("acme", parameters), token: token)
    }

    // MARK: PUT

    @Test func changingStatusNeedsEventWrite() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            let ids = [("id", String(group.id))]
            try await test.withClient { client in
                let anonymous = try await client.send(.put, IssuesPath.list("acme", ids), json: ["status": "resolved"])
                #expect(anonymous.status == .unauthorized)
                let reader = try await Self.put(client, ids, ["status": "resolved"], token: TestDaemon.readToken)
                #expect(reader.status == .forbidden)
                #expect(reader.detail == "You do not have permission to perform this action (needs event:write).")
                #expect(try await Self.status(client, group.id) == ["unresolved", "new"])

                #expect(try await Self.put(client, ids, ["status": "resolved"]).status == .ok)
                #expect(try await Self.status(client, group.id) == ["resolved", .null])
                #expect(try await Self.put(client, ids, ["status": "unresolved"], token: TestDaemon.adminToken).status == .ok)
                #expect(try await Self.status(client, group.id) == ["unresolved", "ongoing"])
                let unknown = try await client.send(.put, IssuesPath.list("nobody", ids), token: TestDaemon.writeToken, json: ["status": "resolved"])
                #expect(unknown.status == .notFound)
            }
        }
    }

    @Test func resolvingIssuesByIDAnswersTheStatusAndRecordsAnActivity() async throws {
        try await withTestDaemon { test in
            let (first, second, bystander) = (
                try await test.createIssue(fingerprint: "first"), try await test.createIssue(fingerprint: "second"),
                try await test.createIssue(fingerprint: "bystander")
            )
            try await test.withClient { client in
                let response = try await Self.put(client, [("id", String(first.id)), ("id", String(second.id))], ["status": "resolved"])
                #expect(response.status == .ok, "\(response.text)")
                #expect(try response.json() == ["status": "resolved", "substatus": nil, "statusDetails": [:]])
                for group in [first, second] {
                    #expect(try await Self.status(client, group.id) == ["resolved", .null])
                    #expect(try await Self.activities(client, group.id).first?["type"] == "set_resolved")
                }
                #expect(try await Self.status(client, bystander.id) == ["unresolved", "new"])
            }
        }
    }

    /// Release resolutions: the body's `statusDetails`, a later release still covered by it, and
    /// a newer one, which regresses the issue.
    static let releaseResolutions: [(JSONValue, covered: String, newer: String)] = [
        (["inRelease": "1.2.0"], "1.1.0", "1.3.0"),
        (["inNextRelease": true], "1.0.0", "1.1.0"),
    ]

    @Test(arguments: releaseResolutions)
    func resolvingInAReleaseRegressesOnlyInANewerOne(_ details: JSONValue, covered: String, newer: String) async throws {
        try await withTestDaemon { test in
            let backend = try test.project("acme", "backend").id
            func sighting(_ release: String, at time: Date? = nil) -> [String: JSONValue] {
                IngestMessages.occurrence(projectID: backend, fingerprint: ["released"], at: time, release: release)
            }
            // Seen an hour ago: a regression must come more than a few seconds after the issue was last active.
            let group = try await test.ingest(sighting("1.0.0", at: Date().addingTimeInterval(-IssueFixture.hour))).group
            try await test.withClient { client in
                let response = try await Self.put(client, [("id", String(group.id))], ["status": "resolved", "statusDetails": details])
                #expect(response.status == .ok, "\(response.text)")
                #expect(try response.json() == ["status": "resolved", "substatus": nil, "statusDetails": details])
                let activity = try #require(try await Self.activities(client, group.id).first)
                #expect(activity["type"] == "set_resolved_in_release")
                #expect(activity["data"]?["version"] == (details["inRelease"] ?? ""))
            }
            #expect(try await test.ingest(sighting(covered)).isRegression == false)
            try await test.withClient { client async throws in
                #expect(try await Self.status(client, group.id) == ["resolved", .null])
            }
            #expect(try await test.ingest(sighting(newer)).isRegression == true)
            try await test.withClient { client async throws in
                #expect(try await Self.status(client, group.id) == ["unresolved", "regressed"])
            }
        }
    }

    @Test func ignoringArchivesForeverAndOnlyAnArchivedIssueEscalates() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            let ids = [("id", String(group.id))]
            try await test.withClient { client in
                let ignored = try await Self.put(client, ids, ["status": "ignored"])
                #expect(try ignored.json() == ["status": "ignored", "substatus": "archived_forever", "statusDetails": [:]])
                #expect(try await Self.status(client, group.id) == ["ignored", "archived_forever"])
                #expect(try await Self.activities(client, group.id).first?["type"] == "set_ignored")

                let escalating = try await Self.put(client, ids, ["status": "unresolved", "substatus": "escalating"])
                #expect(escalating.status == .ok, "\(escalating.text)")
                #expect(try escalating.json()["substatus"] == "escalating")
                let issue = try #require(try await Self.issue(client, group.id))
                #expect([issue["status"], issue["substatus"], issue["priority"]] == ["unresolved", "escalating", "high"])

                let ongoing = try await Self.put(client, ids, ["status": "unresolved", "substatus": "ongoing"])
                #expect(ongoing.status == .ok)
                // An unresolved issue cannot escalate through the API.
                let refused = try await Self.put(client, ids, ["status": "unresolved", "substatus": "escalating"])
                #expect(refused.status == .badRequest)
                #expect(refused.field == "status")
                #expect(refused.detail == "The status change was rejected: escalating_requires_archived")
                #expect(try await Self.status(client, group.id) == ["unresolved", "ongoing"])
            }
        }
    }

    @Test func aBulkChangeSkipsTheIssuesItDoesNotApplyTo() async throws {
        try await withTestDaemon { test in
            let archived = try await test.createIssue(fingerprint: "archived")
            let open = try await test.createIssue(fingerprint: "open")
            try await test.withClient { client in
                _ = try await Self.put(client, [("id", String(archived.id))], ["status": "ignored"])
                // Only the archived one can escalate; the open one is skipped, not an error.
                let both = try await Self.put(client, [("id", String(open.id)), ("id", String(archived.id))], ["status": "unresolved", "substatus": "escalating"])
                #expect(both.status == .ok, "\(both.text)")
                #expect(try await Self.status(client, archived.id) == ["unresolved", "escalating"])
                #expect(try await Self.status(client, open.id) == ["unresolved", "new"])
            }
        }
    }

    /// Bodies a PUT refuses, and the field each answer names.
    static let invalidBodies: [(JSONValue, String)] = [
        ([:], "status"), (["status": "done"], "status"), (["status": 1], "status"), (["status": nil], "status"),
        (["status": "unresolved", "substatus": "bogus"], "substatus"), (["status": "unresolved", "substatus": 3], "substatus"),
        (["status": "resolved", "substatus": "ongoing"], "substatus"), (["status": "ignored", "substatus": "ongoing"], "substatus"),
        (["status": "unresolved", "substatus": "archived_forever"], "substatus"),
        (["status": "resolved", "statusDetails": "soon"], "statusDetails"),
        (["status": "resolved", "statusDetails": ["inRelease": 2]], "statusDetails.inRelease"),
        (["status": "ignored", "statusDetails": ["inNextRelease": true]], "statusDetails"),
        ([["status": "resolved"]], "body"), ("resolved", "body"),
    ]

    @Test func anInvalidBodyOrIDIsABadRequestNamingTheField() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            try await test.withClient { client in
                for (body, field) in Self.invalidBodies {
                    let response = try await Self.put(client, [("id", String(group.id))], body)
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(response.field == field, "\(body): \(response.text)")
                }
                let notJSON = try await client.send(
                    .put, IssuesPath.list("acme", [("id", String(group.id))]), token: TestDaemon.writeToken, body: Data("status=resolved".utf8))
                #expect(notJSON.status == .badRequest)
                for ids in [[("id", "abc")], [("id", String(group.id)), ("id", "1.5")]] {
                    let response = try await Self.put(client, ids, ["status": "resolved"])
                    #expect(response.status == .badRequest)
                    #expect(response.detail == "Group ids must be integers")
                    #expect(response.field == "id")
                }
                #expect(try await Self.status(client, group.id) == ["unresolved", "new"])
            }
        }
    }

    @Test func unknownIDsAndOtherOrganizationsIssuesAreSkipped() async throws {
        try await withTestDaemon { test in
            let (own, foreign) = (try await test.createIssue(), try await test.createIssue("other", "web"))
            try await test.withClient { client in
                for ids in [["999999"], [String(foreign.id)], [String(foreign.id), "999999"]] {
                    let response = try await Self.put(client, ids.map { ("id", $0) }, ["status": "resolved"])
                    #expect(response.status == .noContent, "\(ids): \(response.text)")
                }
                let mixed = try await Self.put(client, [("id", "999999"), ("id", String(foreign.id)), ("id", String(own.id))], ["status": "ignored"])
                #expect(mixed.status == .ok)
                #expect(try await Self.status(client, own.id) == ["ignored", "archived_forever"])
                #expect(try await Self.status(client, foreign.id, "other") == ["unresolved", "new"])
            }
        }
    }

    @Test func withoutIDsTheQuerysMatchesChange() async throws {
        try await withTestDaemon { test in
            let fixture = try await IssueFixture.seed(test)
            try await test.withClient { client in
                let warnings = try await Self.put(client, [("query", "level:warning")], ["status": "resolved"])
                #expect(warnings.status == .ok, "\(warnings.text)")
                #expect(try await Self.list(client, "is:resolved") == ["BACKEND-5", "BACKEND-2", "BACKEND-4"])
                // No query is the default query: the unresolved issues of high and medium priority.
                #expect(try await Self.put(client, [], ["status": "resolved"]).status == .ok)
                #expect(try await Self.list(client, "is:unresolved") == ["BACKEND-3"])
                #expect(try await Self.list(client, "", "other") == ["WEB-1"])
                #expect(try await Self.status(client, try #require(fixture.ids["WEB-1"]), "other") == ["unresolved", "new"])

                #expect(try await Self.put(client, [("query", "level:debug")], ["status": "resolved"]).status == .noContent)
                let bad = try await Self.put(client, [("query", "a OR b")], ["status": "resolved"])
                #expect(bad.status == .badRequest)
                #expect(bad.detail?.hasPrefix("Error parsing search query: ") == true)
            }
        }
    }

    // MARK: DELETE

    @Test func deletingNeedsEventAdmin() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            let ids = [("id", String(group.id))]
            try await test.withClient { client in
                for token in [TestDaemon.readToken, TestDaemon.writeToken] {
                    let response = try await Self.delete(client, ids, token: token)
                    #expect(response.status == .forbidden)
                    #expect(response.detail == "You do not have permission to perform this action (needs event:admin).")
                }
                #expect(try await Self.issue(client, group.id) != nil)
                #expect(try await Self.delete(client, ids).status == .noContent)
                #expect(try await Self.issue(client, group.id) == nil)
            }
        }
    }

    @Test func deletingByIDRemovesTheIssueAndItsFingerprint() async throws {
        try await withTestDaemon { test in
            let (doomed, kept) = (try await test.createIssue(fingerprint: "doomed"), try await test.createIssue(fingerprint: "kept"))
            try await test.withClient { client async throws in
                #expect(try await Self.delete(client, [("id", String(doomed.id))]).status == .noContent)
                #expect(try await Self.issue(client, doomed.id) == nil)
                #expect(try await Self.list(client, "") == ["BACKEND-2"])
                #expect(try await Self.issue(client, kept.id) != nil)
            }
            // The same fingerprint again makes a new issue.
            let again = try await test.ingest(IngestMessages.occurrence(projectID: try test.project("acme", "backend").id, fingerprint: ["doomed"]))
            #expect(again.isNew)
            #expect(again.group.id != doomed.id)
            try await test.withClient { client async throws in
                #expect(try await Self.issue(client, again.group.id)?["shortId"] == "BACKEND-3")
            }
        }
    }

    @Test func unknownIDsAndOtherOrganizationsIssuesAreNotDeleted() async throws {
        try await withTestDaemon { test in
            let (own, foreign) = (try await test.createIssue(), try await test.createIssue("other", "web"))
            try await test.withClient { client in
                let response = try await Self.delete(client, [("id", String(foreign.id)), ("id", "999999"), ("id", String(own.id))])
                #expect(response.status == .noContent)
                #expect(try await Self.issue(client, own.id) == nil)
                #expect(try await Self.issue(client, foreign.id, "other") != nil)
                #expect(try await Self.delete(client, [("id", "999999")]).status == .noContent)
                let bad = try await Self.delete(client, [("id", "abc")])
                #expect(bad.status == .badRequest)
                #expect(bad.detail == "Group ids must be integers")
            }
        }
    }

    @Test func withoutIDsTheQuerysMatchesAreDeleted() async throws {
        try await withTestDaemon { test in
            _ = try await IssueFixture.seed(test)
            try await test.withClient { client in
                #expect(try await Self.delete(client, [("query", "level:warning")]).status == .noContent)
                #expect(try await Self.list(client, "") == ["FRONTEND-1", "BACKEND-1", "BACKEND-6", "BACKEND-3", "BACKEND-4"])
                // No query is the default query.
                #expect(try await Self.delete(client, []).status == .noContent)
                #expect(try await Self.list(client, "") == ["BACKEND-3", "BACKEND-4"])
                #expect(try await Self.list(client, "issue.category:feedback") == ["BACKEND-7"])
                #expect(try await Self.list(client, "", "other") == ["WEB-1"])
                #expect(try await Self.delete(client, [("query", "level:debug")]).status == .noContent)
                let bad = try await Self.delete(client, [("query", "is:nonsense")])
                #expect(bad.status == .badRequest)
                #expect(bad.field == "query")
            }
        }
    }
}
