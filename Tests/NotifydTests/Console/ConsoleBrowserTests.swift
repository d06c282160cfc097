import Engine
import Foundation
import TestPeers
import Testing
@testable import notifyd

/// The console in a real browser: a live `notifyd serve` that emails every new issue to an
/// aiosmtpd peer, and headless Chromium driven by selenium (`console_browser.py`) through it —
/// sign-in, search, paging, the issue link of a received email, an action, a regression,
/// sign-out, a read-only token, and payloads that must stay text.
///
/// The first test's screenshots of the stream and the issue page are written to the folder named
/// by `NOTIFYD_SCREENSHOTS` (`docs/images` for the README), else to a temporary folder that is
/// removed.
///
/// Serialized: each test runs a daemon, an SMTP server and a browser, on a small machine too.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ConsoleBrowserTests {
    static let ingestKey = "browser-ingest-key-0123456789abcd"
    static let adminToken = "browser-admin-token-0123456789ab"
    static let readerToken = "browser-reader-token-0123456789a"

    @Test func signInSearchPageOpenTheEmailedIssueResolveSeeItRegressAndSignOut() async throws {
        try await withConsoleDaemon { daemon in
            let results = try await daemon.ingest(Self.shop())
            #expect(results.allSatisfy { $0["status"] == "grouped" }, "\(results)")
            let title = Self.checkoutTitle(7)
            let link = try await daemon.emailedLink(title: title)
            #expect(link.hasPrefix(daemon.base + "/organizations/acme/issues/"), "\(link)")
            #expect(link.contains("referrer=alert_email"), "\(link)")

            let run = try await ConsoleBrowser.run(
                "flow", base: daemon.base, token: Self.adminToken, screenshots: daemon.screenshots,
                options: ["--link", link, "--search", "is:unresolved checkout"]
            ) { resolved in
                // Between the browser's resolve and its reload: the same fingerprint again.
                #expect(resolved.step == "resolved")
                let again = try await daemon.ingest([Self.occurrence(fingerprint: "checkout-7", title: title)])
                #expect(again.first?["is_regression"] == true, "\(again)")
            }

            let login = try run.step("login")
            #expect(login.url.contains("/login?next="), "\(login.url)")
            let stream = try run.step("stream")
            #expect(stream.url.hasPrefix(daemon.base + "/organizations/acme/issues/"), "\(stream.url)")
            #expect(stream.issues.count == 25)
            #expect(stream.hits == "33 issues")
            #expect(stream.buttons.contains("Sign out"))

            let search = try run.step("search")
            #expect(search.url.contains("query=is%3Aunresolved+checkout"), "\(search.url)")
            #expect(search.hits == "30 issues")
            #expect(search.issues.count == 25 && search.next && !search.previous)
            let next = try run.step("next")
            #expect(next.issues.count == 5 && next.previous && !next.next, "\(next.issues)")
            let found = search.issues + next.issues
            #expect(Set(found) == Set((1...30).map(Self.checkoutTitle)), "\(found)")

            let issue = try run.step("issue")
            #expect(issue.url == link)
            #expect(issue.heading == title)
            #expect(issue.title.hasPrefix("BACKEND-"))
            #expect(issue.badges.first == "unresolved", "\(issue.badges)")
            #expect(issue.frames == ["charge_card", "submit_order", "handle_request"], "\(issue.frames)")
            #expect(issue.text.contains("GatewayTimeout") && issue.text.contains("shop/payments.py"), "\(issue.text)")
            #expect(Set(["Resolve", "Ignore", "Delete"]).isSubset(of: issue.buttons), "\(issue.buttons)")
            #expect(issue.activity == ["First seen"], "\(issue.activity)")

            let resolved = try run.step("resolved")
            #expect(resolved.flash == "Resolved.")
            #expect(resolved.badges.first == "resolved", "\(resolved.badges)")
            #expect(resolved.activity.first == "Resolved", "\(resolved.activity)")
            #expect(resolved.buttons.contains("Unresolve") && !resolved.buttons.contains("Resolve"), "\(resolved.buttons)")

            let regressed = try run.step("regressed")
            #expect(regressed.badges.prefix(2) == ["unresolved", "regressed"], "\(regressed.badges)")
            #expect(regressed.activity.prefix(2) == ["Regressed in release shop@2.4.1", "Resolved"], "\(regressed.activity)")
            #expect(regressed.buttons.contains("Resolve"))

            let signedOut = try run.step("signed-out")
            #expect(signedOut.url == daemon.base + "/login", "\(signedOut.url)")
            #expect(!signedOut.buttons.contains("Sign out"))
            let after = try run.step("after-sign-out")
            #expect(after.url.hasPrefix(daemon.base + "/login?next="), "\(after.url)")

            for report in run.reports {
                #expect(report.dialogs.isEmpty && report.injected.isEmpty && report.console.isEmpty, "\(report.step): \(report)")
                #expect(!report.overflows, "\(report.step): \(report.scrollWidth) > \(report.innerWidth): \(report.spilling)")
            }
            for shot in [stream.screenshot, issue.screenshot] {
                #expect(shot.map { FileManager.default.fileExists(atPath: $0) } == true, "no screenshot \(shot ?? "")")
            }
        }
    }

    @Test func aReadOnlyTokenSeesNoActions() async throws {
        try await withConsoleDaemon { daemon in
            let results = try await daemon.ingest([Self.occurrence(fingerprint: "read-only", title: "Checkout failed for a reader")])
            let id = try #require(results.first?["group_id"]?.stringValue)
            let link = daemon.base + "/organizations/acme/issues/\(id)/"
            let run = try await ConsoleBrowser.run("readonly", base: daemon.base, token: Self.readerToken, screenshots: daemon.scratch, options: ["--link", link])

            let stream = try run.step("stream")
            #expect(stream.issues == ["Checkout failed for a reader"])
            let issue = try run.step("issue")
            #expect(issue.heading == "Checkout failed for a reader")
            for report in [stream, issue] {
                // Only the search and sign-out buttons: no form that changes an issue.
                #expect(report.buttons.allSatisfy { ["Search", "Sign out"].contains($0) }, "\(report.step): \(report.buttons)")
                #expect(report.checkboxes == 0)
                #expect(report.text.contains("reader · event:read"), "\(report.step)")
            }
        }
    }

    @Test func whatUsersSentStaysTextEverywhereAndTheLayoutHolds() async throws {
        try await withConsoleDaemon { daemon in
            let results = try await daemon.ingest([
                Self.hostile(fingerprint: "xss", url: "javascript:alert('xss-url')"),
                Self.hostile(fingerprint: "xss-data", url: "data:text/html,<script>alert('xss-data')</script>"),
                Self.hostile(fingerprint: "xss-link", url: "https://shop.example.com/cart?q=\"><img src=x onerror=alert('xss-href')>"),
            ])
            #expect(results.allSatisfy { $0["status"] == "grouped" }, "\(results)")
            let ids = results.compactMap { $0["group_id"]?.stringValue }
            var feedbackIDs: [String] = []
            for url in ["javascript:alert('xss-feedback')", "https://shop.example.com/\"><script>alert('xss-feedback')</script>"] {
                let answer = try await daemon.feedback([
                    "message": .string(Self.payload("feedback message")), "name": .string(Self.payload("name")),
                    "email": .string("\"><img src=x onerror=alert('xss-email')>@example.com"), "url": .string(url),
                    "tags": ["page": .string(Self.payload("page"))],
                ])
                feedbackIDs.append(try #require(answer["id"]?.stringValue, "\(answer)"))
            }
            let issues = daemon.base + "/organizations/acme/issues/"
            let search = ConsoleLinks.query([("query", "is:unresolved title:\(Self.script)"), ("sort", "<b>")])
            let broken = ConsoleLinks.query([("query", "is:\"><img src=x onerror=alert('xss-query')> (")])
            let pages = [issues + "?query=", issues + "?" + search, issues + "?" + broken, issues + "?query=issue.category%3Afeedback"]
                + (ids + feedbackIDs).map { issues + "\($0)/" } + [issues + "\(ids[0])/events/", daemon.base + "/organizations/acme/deliveries/"]

            let run = try await ConsoleBrowser.run(
                "pages", base: daemon.base, token: Self.adminToken, screenshots: daemon.scratch, options: pages.flatMap { ["--page", $0] })

            let canary = try run.step("canary")
            #expect(canary.canary, "with the policy bypassed, an inserted handler should have run")
            #expect(!canary.pwned)
            for report in run.reports {
                #expect(report.dialogs.isEmpty, "\(report.step) \(report.url): dialogs \(report.dialogs)")
                #expect(report.injected.isEmpty, "\(report.step) \(report.url): \(report.injected)")
                #expect(report.unsafeLinks.isEmpty, "\(report.step) \(report.url): \(report.unsafeLinks)")
                #expect(!report.pwned, "\(report.step) \(report.url)")
                #expect(!report.overflows, "\(report.step) \(report.url): \(report.scrollWidth) > \(report.innerWidth): \(report.spilling)")
                // Under the pages' own policy nothing was blocked: nothing tried to run.
                #expect(report.console.isEmpty, "\(report.step) \(report.url): \(report.console)")
            }
            // The payloads are there, as text.
            let (stream, query) = (try run.step("bypass-0"), try run.step("bypass-2"))
            let (xss, data, link, feedback) = (try run.step("bypass-4"), try run.step("bypass-5"), try run.step("bypass-6"), try run.step("bypass-7"))
            for field in ["title", "culprit", "message", "type", "value", "function", "filename", "crumb", "user", "tag"] {
                #expect(xss.text.contains("\(field) \(Self.script)"), "\(field) is not shown as text")
            }
            #expect(stream.text.contains("title \(Self.script)"))
            #expect(query.text.contains("<img src=x onerror=alert('xss-query')>"))
            #expect(feedback.text.contains("feedback message \(Self.script)") && feedback.text.contains("javascript:alert('xss-feedback')"))
            // Only the http(s) URL is a link, and its quote and angle brackets stay inside it.
            #expect(xss.text.contains("javascript:alert('xss-url')") && xss.links.isEmpty, "\(xss.links)")
            #expect(data.text.contains("data:text/html,<script>alert('xss-data')</script>") && data.links.isEmpty, "\(data.links)")
            #expect(link.links == ["https://shop.example.com/cart?q=%22%3E%3Cimg%20src=x%20onerror=alert(%27xss-href%27)%3E"], "\(link.links)")
        }
    }

    // MARK: Payloads

    static let script = "<script>window.__pwned=true;alert('xss')</script>"
    static let image = "\"><img src=x onerror=\"window.__pwned=true;alert('xss')\">"
    static let quote = "'><svg onload=alert('xss')>"
    /// An unbroken string as long as a bad day's generated identifier.
    static let long = String(repeating: "0123456789abcdefghij", count: 20)

    /// `label` followed by every payload and the long string.
    static func payload(_ label: String) -> String { "\(label) \(script) \(image) \(quote) \(long)" }

    /// An error whose every field a person might have typed carries the payloads.
    static func hostile(fingerprint: String, url: String) -> [String: JSONValue] {
        var message = occurrence(fingerprint: fingerprint, title: payload("title"), culprit: payload("culprit"))
        let frame: JSONValue = [
            "filename": .string(payload("filename")), "function": .string(payload("function")), "module": .string(payload("module")),
            "lineno": 7, "in_app": true, "context_line": .string(payload("context")), "pre_context": [.string(payload("before"))],
            "vars": .object([payload("variable"): .string(payload("variable value"))]),
        ]
        guard case .object(var event) = message["event"] else { return message }
        event["message"] = .string(payload("message"))
        event["tags"] = ["browser": .string(payload("tag")), "long": .string(long)]
        event["exception"] = [
            "values": [["type": .string(payload("type")), "value": .string(payload("value")), "mechanism": ["type": .string(payload("mechanism"))],
                        "stacktrace": ["frames": [frame]]]]
        ]
        event["breadcrumbs"] = [
            "values": [["timestamp": .double(Date().timeIntervalSince1970 - 5), "category": .string(payload("category")), "level": "error",
                        "message": .string(payload("crumb")), "data": .object([payload("key"): .string(payload("data"))])]]
        ]
        event["user"] = ["id": .string(payload("user")), "email": .string(payload("email")), "username": .string(payload("username"))]
        event["request"] = [
            "url": .string(url), "method": "GET", "query_string": .string(payload("query")),
            "headers": ["User-Agent": .string(payload("agent"))], "data": .string(payload("body")),
        ]
        event["contexts"] = ["runtime": ["name": .string(payload("runtime"))]]
        event["extra"] = .object([payload("extra"): .string(payload("extra value"))])
        message["event"] = .object(event)
        return message
    }

    // MARK: A shop's errors

    /// Thirty checkout errors (two pages of the stream), each seen one to six times over the
    /// last day by different customers, and three other errors a search for "checkout" leaves out.
    static func shop() -> [[String: JSONValue]] {
        var messages: [[String: JSONValue]] = []
        for number in 1...30 {
            for seen in 0...(number * 7 % 6) {
                messages.append(
                    occurrence(
                        fingerprint: "checkout-\(number)", title: checkoutTitle(number), level: number % 4 == 0 ? "warning" : "error",
                        hoursAgo: Double((number * 5 + seen * 7) % 23) + Double(number) / 100, customer: number + seen * 31))
            }
        }
        let others = ["ZeroDivisionError: division by zero", "OperationalError: database is locked", "RuntimeError: cache warm-up failed"]
        for (index, title) in others.enumerated() {
            messages.append(occurrence(fingerprint: "other-\(index)", title: title, culprit: "shop.reports in nightly", hoursAgo: Double(index) + 0.5))
        }
        return messages
    }

    /// The title of checkout error `number`: one of six kinds, for a numbered order.
    static func checkoutTitle(_ number: Int) -> String {
        let kinds = [
            "CardDeclined: card declined at checkout of order", "GatewayTimeout: payment gateway timed out at checkout of order",
            "KeyError: 'sku' missing at checkout of order", "IntegrityError: duplicate checkout of order",
            "ConnectionResetError: connection reset at checkout of order", "ValueError: coupon expired at checkout of order",
        ]
        return "\(kinds[number % kinds.count]) \(1000 + number * 37)"
    }

    /// An error occurrence as a Python shop reports it: a three-frame stack trace
    /// (`handle_request` → `submit_order` → `charge_card`, the innermost with its source lines
    /// and local variables), a customer, a request, breadcrumbs, a release and tags.
    static func occurrence(
        fingerprint: String, title: String, level: String = "error", culprit: String = "shop.checkout in submit_order", hoursAgo: Double = 0,
        customer: Int = 1
    ) -> [String: JSONValue] {
        let time = Date().addingTimeInterval(-hoursAgo * 3600 - 1)
        var message = IngestMessages.occurrence(projectID: 1, fingerprint: [fingerprint], title: title, level: level, at: time)
        message["culprit"] = .string(culprit)
        message["subtitle"] = "payment gateway"
        guard case .object(var event) = message["event"] else { return message }
        let charge: JSONValue = [
            "function": "charge_card", "filename": "shop/payments.py", "module": "shop.payments", "lineno": 17, "in_app": true,
            "pre_context": ["def charge_card(order, card):", "    request = gateway.authorize(order.total, card.token)"],
            "context_line": "    response = gateway.send(request, timeout=GATEWAY_TIMEOUT)",
            "post_context": ["    if not response.approved:", "        raise CardDeclined(response.reason)"],
            "vars": ["order": .string("<Order \(1000 + customer)>"), "card": "'visa-4242'"],
        ]
        let frames: [JSONValue] = [
            ["function": "handle_request", "filename": "shop/views.py", "module": "shop.views", "lineno": 88, "in_app": true],
            ["function": "submit_order", "filename": "shop/checkout.py", "module": "shop.checkout", "lineno": 41, "in_app": true],
            charge,
        ]
        let (type, value) = title.firstIndex(of: ":").map { (String(title[..<$0]), String(title[title.index($0, offsetBy: 2)...])) } ?? ("Error", title)
        event["exception"] = ["values": [["type": .string(type), "value": .string(value), "stacktrace": ["frames": .array(frames)]]]]
        event["user"] = ["id": .string("\(customer)"), "email": .string("customer\(customer)@example.com")]
        event["request"] = ["url": "https://shop.example.com/checkout/submit", "method": "POST"]
        event["breadcrumbs"] = [
            "values": [
                ["timestamp": .double(time.timeIntervalSince1970 - 2), "category": "http", "level": "info", "message": "POST /checkout/submit"],
                ["timestamp": .double(time.timeIntervalSince1970 - 1), "category": "gateway", "level": "warning", "message": "authorize: retrying"],
            ]
        ]
        event["release"] = .string("shop@2.4.\(customer % 3)")
        event["environment"] = "production"
        event["tags"] = ["browser": .string(["Firefox 128", "Chrome 126", "Safari 17"][customer % 3]), "region": .string(["eu", "us"][customer % 2])]
        message["event"] = .object(event)
        return message
    }
}
