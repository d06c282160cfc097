import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import notifyd

/// The console's POST forms: each status action through the engine's status path (activities
/// recorded as from the API), Post/Redirect/Get with a message, and the checks that refuse a
/// forged form or a session without the scope.
struct ConsoleActionsTests {
    @Test(arguments: [
        ("resolved", [("action", "resolve")], GroupStatus.resolved, GroupSubstatus?.none, ActivityType.setResolved, "Resolved."),
        ("resolved_next_release", [("action", "resolve_next_release")], .resolved, nil, .setResolvedInRelease, "Resolved in the next release."),
        ("ignored", [("action", "ignore"), ("ignore", "forever")], .ignored, .forever, .setIgnored, "Ignored."),
        ("ignored", [("action", "ignore"), ("ignore", "until_escalating")], .ignored, .untilEscalating, .setIgnored, "Ignored."),
    ])
    func anActionChangesTheIssueThroughTheStatusPath(
        _ notice: String, _ fields: [(String, String)], _ status: GroupStatus, _ substatus: GroupSubstatus?, _ activity: ActivityType, _ message: String
    ) async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.writeToken)
                let response = try await client.post("/organizations/acme/issues/\(group.id)/", login, fields: fields)
                #expect(response.status == .seeOther)
                let location = try #require(response.headers[.location])
                #expect(location == "/organizations/acme/issues/\(group.id)/?done=\(notice)")
                let stored = try #require(try await test.daemon.engine.group(id: group.id))
                #expect(stored.status == status)
                #expect(stored.substatus == substatus)
                #expect(try await test.daemon.engine.activities(groupID: group.id).map(\.type).contains(activity))
                let page = try await client.page(location, login)
                #expect(page.text.contains(#"<div class="flash flash-ok" role="status">\#(message)</div>"#))
                #expect(page.text.contains(#"value="unresolve""#))
                let back = try await client.post("/organizations/acme/issues/\(group.id)/", login, fields: [("action", "unresolve")])
                #expect(back.headers[.location] == "/organizations/acme/issues/\(group.id)/?done=unresolved")
                #expect(try await test.daemon.engine.group(id: group.id)?.status == .unresolved)
            }
        }
    }

    @Test func aFormWithoutTheSessionsTokenOrFromAnotherSiteIsRefused() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.adminToken)
                let forged = try await client.post("/organizations/acme/issues/\(group.id)/", login, fields: [("action", "resolve")], csrf: "guess")
                #expect(forged.status == .forbidden)
                let crossSite = try await client.post(
                    "/organizations/acme/issues/\(group.id)/", login, fields: [("action", "resolve")], origin: "https://evil.example")
                #expect(crossSite.status == .forbidden)
                let noSession = try await client.postForm("/organizations/acme/issues/\(group.id)/", cookie: nil, fields: [("csrf", login.csrf), ("action", "resolve")])
                #expect(noSession.status == .forbidden)
                #expect(try await test.daemon.engine.group(id: group.id)?.status == .unresolved)
            }
        }
    }

    @Test func aSessionActsOnlyWithinItsTokensScopes() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            try await test.withClient { client in
                let reader = try await client.signIn(TestDaemon.readToken)
                let page = try await client.page("/organizations/acme/issues/\(group.id)/", reader)
                #expect(!page.text.contains(#"name="action""#))
                let resolve = try await client.post("/organizations/acme/issues/\(group.id)/", reader, fields: [("action", "resolve")])
                #expect(resolve.status == .forbidden)

                let writer = try await client.signIn(TestDaemon.writeToken)
                let delete = try await client.post("/organizations/acme/issues/\(group.id)/", writer, fields: [("action", "delete")])
                #expect(delete.status == .forbidden)
                #expect(try await test.daemon.engine.group(id: group.id) != nil)

                let admin = try await client.signIn(TestDaemon.adminToken)
                #expect(try await client.page("/organizations/acme/issues/\(group.id)/", admin).text.contains(#"value="delete""#))
                let deleted = try await client.post("/organizations/acme/issues/\(group.id)/", admin, fields: [("action", "delete")])
                #expect(deleted.headers[.location] == "/organizations/acme/issues/?done=deleted")
                #expect(try await test.daemon.engine.group(id: group.id) == nil)
            }
        }
    }

    @Test func theStreamsBulkFormActsOnTheSelectedIssuesAndComesBack() async throws {
        try await withTestDaemon { test in
            let first = try await test.createIssue(fingerprint: "bulk-1")
            let second = try await test.createIssue(fingerprint: "bulk-2")
            let other = try await test.createIssue("other", "web", fingerprint: "bulk-3")
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.writeToken)
                let back = "/organizations/acme/issues/?query=is%3Aunresolved"
                let response = try await client.post(
                    "/organizations/acme/issues/", login,
                    fields: [("back", back), ("action", "resolve"), ("id", String(first.id)), ("id", String(second.id)), ("id", String(other.id))])
                #expect(response.headers[.location] == back + "&done=resolved&count=2")
                #expect(try await test.daemon.engine.group(id: first.id)?.status == .resolved)
                #expect(try await test.daemon.engine.group(id: second.id)?.status == .resolved)
                // Another organization's issue is out of reach.
                #expect(try await test.daemon.engine.group(id: other.id)?.status == .unresolved)
                let page = try await client.page(back + "&done=resolved&count=2", login)
                #expect(page.text.contains("2 issues resolved."))
                let none = try await client.post("/organizations/acme/issues/", login, fields: [("back", back), ("action", "resolve")])
                #expect(none.headers[.location] == back + "&done=none")
                let away = try await client.post("/organizations/acme/issues/", login, fields: [("back", "https://evil.example/"), ("action", "resolve")])
                #expect(away.headers[.location] == "/organizations/acme/issues/?done=none")
            }
        }
    }

    /// What users sent is text wherever it shows: no markup of theirs, no link but http(s).
    @Test func whatUsersSentIsEscapedEverywhere() async throws {
        try await withTestDaemon { test in
            let project = try test.project("acme", "backend")
            let payload = #"<script>alert(1)</script>"><img src=x onerror=alert(2)>"#
            var message = IngestMessages.occurrence(projectID: project.id, fingerprint: ["xss"], title: payload)
            message["culprit"] = .string(payload)
            var event = ConsolePagesTests.pythonEvent(message["event"]!)
            event["tags"] = [payload: .string(payload)]
            event["request"] = ["method": .string(payload), "url": "javascript:alert(3)"]
            event["user"] = ["email": .string(payload)]
            event["breadcrumbs"] = ["values": [["category": .string(payload), "message": .string(payload)]]]
            event["exception"] = ["values": [["type": .string(payload), "value": .string(payload), "stacktrace": ["frames": [["function": .string(payload), "filename": .string(payload), "in_app": true, "context_line": .string(payload)]]]]]]
            message["event"] = .object(event)
            let group = try await test.ingest(message).group
            let feedback = try await test.daemon.engine.createFeedback(
                projectID: project.id, FeedbackInput(message: payload, name: payload, email: "a@example.com", url: "javascript:alert(4)"))
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.adminToken)
                for path in [
                    "/organizations/acme/issues/?query=", "/organizations/acme/issues/\(group.id)/", "/organizations/acme/issues/\(group.id)/events/",
                    "/organizations/acme/issues/?query=issue.category%3Afeedback", "/organizations/acme/issues/\(feedback.group.id)/",
                ] {
                    let page = try await client.page(path, login)
                    #expect(page.status == .ok, "\(path)")
                    #expect(!page.text.contains("<script>alert"), "\(path)")
                    #expect(!page.text.contains("<img src=x"), "\(path)")
                    #expect(!page.text.lowercased().contains("href=\"javascript:"), "\(path)")
                    #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path)")
                }
            }
        }
    }
}
