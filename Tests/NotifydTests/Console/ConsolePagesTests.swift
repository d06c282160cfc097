import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Templates
import Testing
@testable import notifyd

/// The console's pages over a seeded store: the stream with its search, tabs, pages and
/// sparklines; the issue page with the event rendered; events, rules, deliveries, the replay
/// and settings links of emails; a base URL with a path.
struct ConsolePagesTests {
    @Test func theStreamShowsTheDefaultSearchWithItsColumns() async throws {
        try await withTestDaemon { test in
            let fixture = try await IssueFixture.seed(test)
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let page = try await client.page("/organizations/acme/issues/", login)
                #expect(page.status == .ok)
                // Sentry's default: unresolved, high or medium priority, no feedback.
                for title in ["Database timeout", "Cache miss", "Render crash in checkout", "Missed check-in"] {
                    #expect(page.text.contains(title), "\(title)")
                }
                for title in ["Slow report", "Null pointer", "Flaky network", "User feedback", "Database timeout elsewhere"] {
                    #expect(!page.text.contains(">\(title)<"), "\(title)")
                }
                #expect(page.text.contains(#"href="/organizations/acme/issues/\#(fixture.id("BACKEND-1"))/""#))
                #expect(page.text.contains("BACKEND-1"))
                #expect(page.text.contains("<svg class=\"spark\""))
                #expect(page.text.contains("<time datetime="))
                // A read-only session gets no action buttons.
                #expect(!page.text.contains(#"value="resolve""#))
            }
        }
    }

    @Test(arguments: [
        ("is:resolved", ["Null pointer"], ["Database timeout"]), ("issue.category:feedback", ["User feedback"], ["Database timeout"]),
        ("is:ignored", ["Flaky network"], ["Cache miss"]), ("level:fatal", ["Render crash in checkout"], ["Cache miss"]),
        ("browser:Firefox timeout", ["Database timeout"], ["Cache miss"]),
    ])
    func theSearchBoxUsesTheAPIsSyntax(_ query: String, _ shown: [String], _ hidden: [String]) async throws {
        try await withTestDaemon { test in
            _ = try await IssueFixture.seed(test)
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let page = try await client.page("/organizations/acme/issues/?" + ConsoleLinks.query([("query", query)]), login)
                #expect(page.status == .ok)
                for title in shown { #expect(page.text.contains(title), "\(query): \(title)") }
                for title in hidden { #expect(!page.text.contains(">\(title)<"), "\(query): \(title)") }
            }
        }
    }

    @Test func aBadQueryShowsTheAPIsErrorWithACaretUnderItsTerm() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let page = try await client.page("/organizations/acme/issues/?" + ConsoleLinks.query([("query", "is:unresolved issue.priority:urgent")]), login)
                #expect(page.status == .badRequest)
                #expect(page.text.contains("Error parsing search query: Invalid priority value of &#39;urgent&#39;"))
                #expect(page.text.contains("is:unresolved issue.priority:urgent\n              ^</pre>"), "\(page.text)")
            }
        }
    }

    @Test func pagesFollowTheCursorAndAnEventOrShortIdGoesToItsIssue() async throws {
        try await withTestDaemon { test in
            var created: [Int64] = []
            for index in 0..<30 { created.append(try await test.createIssue(fingerprint: "paged-\(index)").id) }
            let ids = created
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                var seen = Set<String>()
                var url: String? = "/organizations/acme/issues/?query="
                var pages = 0
                while let next = url, pages < 5 {
                    let page = try await client.page(next, login)
                    #expect(page.status == .ok)
                    for id in ids where page.text.contains(#"name="id" value="\#(id)""#) || page.text.contains("/issues/\(id)/\"") { seen.insert(String(id)) }
                    url = Self.link(page.text, rel: "next")
                    pages += 1
                }
                #expect(pages == 2)
                #expect(seen.count == 30)
                let hit = try await client.page("/organizations/acme/issues/?query=BACKEND-3", login)
                #expect(hit.status == .seeOther)
                #expect(hit.headers[.location] == "/organizations/acme/issues/\(ids[2])/")
            }
        }
    }

    @Test func theIssuePageRendersTheEventForAPerson() async throws {
        try await withTestDaemon { test in
            let project = try test.project("acme", "backend")
            var message = IngestMessages.occurrence(projectID: project.id, fingerprint: ["detail"], title: "ValueError: could not load the user")
            message["event"] = .object(Self.pythonEvent(message["event"]!))
            let info = try await test.ingest(message)
            let eventID = message["event_id"]?.stringValue ?? ""
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.writeToken)
                let page = try await client.page("/organizations/acme/issues/\(info.group.id)/", login)
                #expect(page.status == .ok)
                for text in [
                    "ValueError", "could not load the user for order 1842", "KeyError", "load_user", "shop/views.py", "in app",
                    "uid = session[&#39;user_id&#39;]", "Local variables (2)", "https://shop.example.com/checkout/1842", "SELECT 1",
                    "ada@example.com", "CPython", "Firefox", "100%", #"value="resolve""#, #"value="ignore""#,
                ] {
                    #expect(page.text.contains(text), "\(text)")
                }
                // The newest exception first, the in-app frame open.
                let value = try #require(page.text.range(of: "ValueError"))
                let key = try #require(page.text.range(of: "KeyError"))
                #expect(value.lowerBound < key.lowerBound)
                #expect(page.text.contains(#"<details class="frame in-app" open>"#))
                // A writer may act but not delete.
                #expect(!page.text.contains(#"value="delete""#))
                let byShortID = try await client.page("/organizations/acme/issues/BACKEND-1/", login)
                #expect(byShortID.status == .ok)
                #expect(byShortID.text.contains("could not load the user"))
                let json = try await client.page("/organizations/acme/issues/\(info.group.id)/events/\(eventID)/json", login)
                #expect(json.status == .ok)
                #expect(try json.json()["data"]?["exception"] != nil)
                #expect(try await client.page("/organizations/acme/issues/\(info.group.id)/events/", login).status == .ok)
            }
        }
    }

    @Test func olderAndNewerWalkTheIssuesEvents() async throws {
        try await withTestDaemon { test in
            let project = try test.project("acme", "backend")
            let start = Date().addingTimeInterval(-600)
            var ingested: [String] = []
            var lastGroupID: Int64 = 0
            for index in 0..<3 {
                let message = IngestMessages.occurrence(projectID: project.id, fingerprint: ["walk"], at: start.addingTimeInterval(Double(index) * 60))
                lastGroupID = try await test.ingest(message).group.id
                ingested.append(try #require(message["event_id"]?.stringValue))
            }
            let (events, groupID) = (ingested, lastGroupID)
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let latest = try await client.page("/organizations/acme/issues/\(groupID)/", login)
                #expect(latest.text.contains("Event \(events[2])"))
                let older = try #require(Self.link(latest.text, rel: "prev"))
                let middle = try await client.page(older, login)
                #expect(middle.text.contains("Event \(events[1])"))
                let newer = try #require(Self.link(middle.text, rel: "next"))
                #expect(try await client.page(newer, login).text.contains("Event \(events[2])"))
                let unknown = try await client.page("/organizations/acme/issues/\(groupID)/?event=00000000000000000000000000000000", login)
                #expect(unknown.status == .notFound)
            }
        }
    }

    @Test func rulesDeliveriesReplayAndSettingsPagesAnswer() async throws {
        try await withTestDaemon { test in
            let group = try await test.createIssue()
            #expect(try await test.daemon.dispatcher.runOnce() == 1)
            let delivery = try #require(try await test.daemon.engine.store.read { try $0.deliveries(DeliveryFilter(groupID: group.id), limit: 5) }.first)
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.adminToken)
                let rules = try await client.page("/organizations/acme/alerts/rules/", login)
                #expect(rules.status == .ok)
                #expect(rules.text.contains("Preview every new issue"))
                #expect(rules.text.contains("rules.yml:2:"))
                let rule = try await client.page("/organizations/acme/alerts/rules/backend/preview-new-issues/details/", login)
                #expect(rule.status == .ok)
                #expect(rule.text.contains("a new issue is created"))
                #expect(rule.text.contains("/organizations/acme/issues/\(group.id)/"))
                #expect(rule.text.contains("preview → "))
                let outbox = try await client.page("/organizations/acme/deliveries/", login)
                #expect(outbox.status == .ok)
                #expect(outbox.text.contains("badge-delivered"))
                let one = try await client.page("/organizations/acme/deliveries/\(delivery.id)/", login)
                #expect(one.status == .ok)
                #expect(one.text.contains(#"value="\#(login.csrf)""#), "an admin may redeliver")
                let again = try await client.post("/organizations/acme/deliveries/\(delivery.id)/redeliver", login, fields: [])
                #expect(again.status == .seeOther)
                #expect(try await test.daemon.engine.store.read { try $0.delivery(id: delivery.id) }?.state == .pending)
                for path in ["/organizations/acme/replays/abc123/", "/settings/account/notifications/alerts/"] {
                    let page = try await client.page(path, login)
                    #expect(page.status == .ok, "\(path)")
                }
                #expect(try await client.page("/organizations/acme/alerts/rules/backend/nothing/details/", login).status == .notFound)
                #expect(try await client.page("/organizations/nobody/issues/", login).status == .notFound)
            }
        }
    }

    @Test func aBaseURLWithAPathServesPagesAssetsAndLinksUnderIt() async throws {
        try await withTestDaemon(configure: { $0.baseURL = "https://notifyd.test/notifyd" }) { test in
            let group = try await test.createIssue()
            try await test.withClient { client in
                let redirect = try await client.page("/notifyd/organizations/acme/issues/", nil)
                #expect(redirect.headers[.location]?.hasPrefix("/notifyd/login?next=%2Fnotifyd%2Forganizations") == true)
                let login = try await client.signIn(TestDaemon.readToken, root: "/notifyd")
                let page = try await client.page("/notifyd/organizations/acme/issues/", login)
                #expect(page.status == .ok)
                #expect(page.text.contains(#"href="/notifyd/organizations/acme/issues/\#(group.id)/""#))
                #expect(page.text.contains(#"href="/notifyd/_console/console.css?v="#))
                #expect(!page.text.contains(#"href="/organizations"#))
                #expect(try await client.page("/notifyd/_console/console.css", nil).status == .ok)
                #expect(try await client.page("/notifyd/organizations/acme/issues/\(group.id)/", login).status == .ok)
            }
        }
    }

    @Test func theRulesPageShowsTheErrorsOfTheRuleFilesLastChange() async throws {
        try await withTestDaemon { test in
            try Data("rules:\n  - id: broken\n    name: Broken\n    triggers: [nope]\n    actions: [{preview: {}}]\n".utf8)
                .write(to: URL(fileURLWithPath: test.daemon.configuration.rules).appendingPathComponent("rules.yml"))
            test.daemon.reloader.reload()
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let page = try await client.page("/organizations/acme/alerts/rules/", login)
                #expect(page.text.contains("The last change to the rule files has errors"))
                #expect(page.text.contains("rules.yml:4:"), "\(page.text)")
                // The rules in force are still the ones before.
                #expect(page.text.contains("Preview every new issue"))
            }
        }
    }

    @Test func aTemplateOrAssetInTheTemplatesFolderReplacesTheBuiltInOne() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-templates-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let console = directory.appendingPathComponent("console")
        try FileManager.default.createDirectory(at: console, withIntermediateDirectories: true)
        try Data("body { color: rebeccapurple; }".utf8).write(to: console.appendingPathComponent("console.css"))
        try Data("{{% CONTENT_TYPE: NOTIFYD_HTML}}<!DOCTYPE html><title>{{title}}</title><p>Our own sign-in page</p>".utf8)
            .write(to: console.appendingPathComponent("login.mustache"))
        try await withTestDaemon(configure: { $0.templates = directory.path }) { test in
            try await test.withClient { client in
                let login = try await client.page("/login", nil)
                #expect(login.text.contains("Our own sign-in page"))
                let css = try await client.page("/_console/console.css", nil)
                #expect(css.text == "body { color: rebeccapurple; }")
            }
        }
        // A broken override stops the start with its file and position.
        try Data("{{#open}} never closed".utf8).write(to: console.appendingPathComponent("issues.mustache"))
        await #expect(throws: TemplateError.self) {
            try await withTestDaemon(configure: { $0.templates = directory.path }) { _ in }
        }
    }

    /// The `href` of the link with `rel`, unescaped.
    static func link(_ html: String, rel: String) -> String? {
        guard let end = html.range(of: #"" rel="\#(rel)""#) else { return nil }
        let before = html[..<end.lowerBound]
        guard let start = before.range(of: #"href=""#, options: .backwards) else { return nil }
        return String(before[start.upperBound...]).replacingOccurrences(of: "&amp;", with: "&")
    }

    /// A Python SDK-shaped event: a chained exception with frames, a request, a user, contexts
    /// and breadcrumbs.
    static func pythonEvent(_ base: JSONValue) -> [String: JSONValue] {
        var event = base.objectValue ?? [:]
        let frame: JSONValue = [
            "filename": "shop/views.py", "function": "load_user", "lineno": 41, "in_app": true,
            "pre_context": ["def load_user(request):", "    session = request.session"], "context_line": "    uid = session['user_id']",
            "post_context": ["    return uid"], "vars": ["request": "<WSGIRequest>", "session": "{}"],
        ]
        event["exception"] = [
            "values": [
                ["type": "KeyError", "value": "'user_id'", "stacktrace": ["frames": [frame]]],
                [
                    "type": "ValueError", "value": "could not load the user for order 1842", "mechanism": ["type": "django", "handled": false],
                    "stacktrace": ["frames": [["filename": "django/core/handlers/base.py", "function": "_get_response", "lineno": 197, "in_app": false]]],
                ],
            ]
        ]
        event["request"] = ["method": "POST", "url": "https://shop.example.com/checkout/1842", "headers": ["User-Agent": "Firefox"]]
        event["user"] = ["id": "42", "email": "ada@example.com"]
        event["contexts"] = ["runtime": ["name": "CPython", "version": "3.12.3"]]
        event["breadcrumbs"] = ["values": [["category": "query", "message": "SELECT 1", "level": "info", "timestamp": 1_765_000_000]]]
        return event
    }
}
