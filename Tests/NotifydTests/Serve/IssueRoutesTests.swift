import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import notifyd

/// `GET /api/0/organizations/{org}/issues/{id}/`, `…/events/latest/` and `…/activities/`:
/// bearer tokens, scopes, and issues looked up within their organization only.
struct IssueRoutesTests {
    @Test func anIssueIsFoundByIdAndByShortID() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            try await test.withClient { client in
                for key in ["\(group.id)", "BACKEND-1", "backend-1"] {
                    let response = try await client.send(.get, "/api/0/organizations/acme/issues/\(key)/", token: TestDaemon.readToken)
                    #expect(response.status == .ok, "\(key): \(response.text)")
                    let issue = try response.json()
                    #expect(issue["id"] == .string(String(group.id)))
                    #expect(issue["shortId"] == "BACKEND-1")
                    #expect(issue["title"] == "something bad happened")
                    #expect(issue["status"] == "unresolved")
                    #expect(issue["issueCategory"] == "error")
                }
            }
        }
    }

    @Test func theLatestEventIsTheLastOccurrences() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            let backend = try test.project("acme", "backend").id
            let later = IngestMessages.occurrence(projectID: backend, fingerprint: ["seeded"])
            _ = await test.daemon.engine.ingest(batch: [later.json.serialized()], projectID: backend)
            try await test.withClient { client in
                let response = try await client.send(.get, "/api/0/organizations/acme/issues/\(group.id)/events/latest/", token: TestDaemon.readToken)
                #expect(response.status == .ok, "\(response.text)")
                let event = try response.json()
                #expect(event["id"] == later["event_id"])
                #expect(event["eventID"] == later["event_id"])
                #expect(event["groupID"] == .string(String(group.id)))
                #expect(event["platform"] == "python")
                #expect(event["tags"]?.arrayValue?.contains(["key": "browser", "value": "Firefox"]) == true, "\(event)")
            }
        }
    }

    @Test func resolvingAnIssueAddsAnActivity() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            let path = "/api/0/organizations/acme/issues/\(group.id)/activities/"
            try await test.withClient { client in
                let before = try await client.send(.get, path, token: TestDaemon.readToken)
                #expect(before.status == .ok)
                let initial = try #require(try before.json()["activity"]?.arrayValue)
                #expect(!initial.contains { $0["type"] == "set_resolved" })

                _ = try await test.daemon.engine.changeStatus(groupID: group.id, to: .resolved)
                let after = try await client.send(.get, path, token: TestDaemon.readToken)
                let activities = try #require(try after.json()["activity"]?.arrayValue)
                #expect(activities.count == initial.count + 1)
                // Newest first.
                let newest = try #require(activities.first)
                #expect(newest["type"] == "set_resolved")
                #expect(newest["id"]?.stringValue != nil)
                #expect(newest["dateCreated"]?.stringValue != nil)
            }
        }
    }

    // MARK: Tokens and scopes

    @Test func aMissingOrWrongTokenIsUnauthorized() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            try await test.withClient { client in
                for suffix in ["", "events/latest/", "activities/"] {
                    let path = "/api/0/organizations/acme/issues/\(group.id)/\(suffix)"
                    for token in [nil, "wrong-token-0123456789abcdef", TestDaemon.backendKey] {
                        let response = try await client.send(.get, path, token: token)
                        #expect(response.status == .unauthorized, "\(path) with \(token ?? "no token")")
                        #expect(response.detail == "Invalid token")
                        #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="api""#)
                    }
                    let basic = try await client.send(.get, path, headers: [.authorization: "Basic \(TestDaemon.readToken)"])
                    #expect(basic.status == .unauthorized)
                }
            }
        }
    }

    @Test func everyScopeReadsAndATokenWithoutScopesIsForbidden() async throws {
        try await withTestDaemon(configure: { $0.tokens.append(.init(name: "none", token: "no-scope-token-0123456789", scopes: [])) }) { test in
            let group = try await test.createIssue()
            let path = "/api/0/organizations/acme/issues/\(group.id)/"
            try await test.withClient { client in
                for token in [TestDaemon.readToken, TestDaemon.writeToken, TestDaemon.adminToken] {
                    let response = try await client.send(.get, path, token: token)
                    #expect(response.status == .ok)
                }
                let forbidden = try await client.send(.get, path, token: "no-scope-token-0123456789")
                #expect(forbidden.status == .forbidden)
                #expect(forbidden.detail == "You do not have permission to perform this action (needs event:read).")
            }
        }
    }

    // MARK: Not found

    @Test func anIssueOfAnotherOrganizationIsNotFound() async throws {
        try await withTestDaemon { test in
            let foreign = try await test.createIssue("other", "web")
            try await test.withClient { client in
                for path in [
                    "/api/0/organizations/acme/issues/\(foreign.id)/", "/api/0/organizations/acme/issues/WEB-1/",
                    "/api/0/organizations/acme/issues/\(foreign.id)/events/latest/", "/api/0/organizations/acme/issues/\(foreign.id)/activities/",
                ] {
                    let response = try await client.send(.get, path, token: TestDaemon.readToken)
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.detail == "The requested resource does not exist")
                }
                let own = try await client.send(.get, "/api/0/organizations/other/issues/WEB-1/", token: TestDaemon.readToken)
                #expect(own.status == .ok)
            }
        }
    }

    @Test func anUnknownOrganizationOrIssueIsNotFound() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            try await test.withClient { client in
                for path in [
                    "/api/0/organizations/nobody/issues/\(group.id)/", "/api/0/organizations/nobody/issues/\(group.id)/activities/",
                    "/api/0/organizations/acme/issues/999999/", "/api/0/organizations/acme/issues/BACKEND-ZZ/",
                    "/api/0/organizations/acme/issues/NOTHING-1/", "/api/0/organizations/acme/issues/not-a-short-id!/",
                ] {
                    let response = try await client.send(.get, path, token: TestDaemon.readToken)
                    #expect(response.status == .notFound, "\(path): \(response.text)")
                }
            }
        }
    }
}
