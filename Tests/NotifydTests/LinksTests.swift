import Foundation
import Templates
import TestPeers
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Issue 13 point 5, "every link notifyd writes works": a live daemon sends every kind of email
/// to aiosmtpd and every webhook to the Standard Webhooks receiver, `notifyd preview` renders
/// every kind it offers, and a signed-in Python client follows every link of theirs under the
/// base URL — with the base URL at the root and with a path prefix the daemon itself serves.
struct LinksTests {
    static let key = "links-test-ingest-key-0123456789"
    static let token = "links-test-admin-token-0123456789"
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let replayID = "7c1e5f0a2b3d4e6f8091a2b3c4d5e6f7"

    @Test(.timeLimit(.minutes(2)))
    func everyLinkOfTheEmailsWebhooksAndPreviewsOpensAPage() async throws {
        try await checkLinks(prefix: "")
    }

    @Test(.timeLimit(.minutes(2)))
    func underABaseURLWithAPathEveryLinkOpensAPage() async throws {
        try await checkLinks(prefix: "/notifyd")
    }

    /// Makes every email and webhook happen for real on a daemon whose base URL is
    /// `http://127.0.0.1:PORT<prefix>`, renders the previews, and follows all their links.
    private func checkLinks(prefix: String) async throws {
        let smtp = try SMTPServer()
        defer { smtp.stop() }
        let receiver = try WebhookReceiver(secret: Self.secret)
        defer { receiver.stop() }
        try await withTemporaryDirectory { directory in
            let port = try LoopbackSocket.freePort()
            let base = "http://127.0.0.1:\(port)\(prefix)"
            let config = try Self.configuration(in: directory, port: port, base: base, smtp: smtp.url, hook: receiver.url("/ok"))
            let daemon = try await DaemonProcess(["--config", config.path], in: directory, environment: ["LINKS_HOOK_SECRET": Self.secret])
            defer { if daemon.process.isRunning { daemon.signal(SIGKILL) } }  // when a check threw before the graceful stop

            try await Self.makeEveryNotification(daemon)
            let arrived = try await Self.waitForNotifications(smtp: smtp, receiver: receiver, previews: directory.appendingPathComponent("previews"))
            let (emails, hooks) = (try smtp.received().count, try receiver.payloads().count)
            #expect(arrived, "\(emails) emails, \(hooks) webhooks\n\(daemon.stderr.suffix(3000))")

            var links = Set<String>()
            for message in try smtp.received() {
                for part in message.parsed.parts {
                    links.formUnion(part.type == "text/html" ? Self.hrefs(part.text) : Self.urls(part.text))
                }
            }
            for payload in try receiver.payloads() { Self.urls(in: payload, into: &links) }
            links.formUnion(try Self.previewLinks(directory.appendingPathComponent("previews")))
            for kind in MailKind.allCases {
                let out = directory.appendingPathComponent("sample-\(kind.rawValue)")
                let run = try await NotifydProcess.run(
                    ["preview", kind.rawValue, "--out", out.path, "--base-url", base, "--rules", directory.appendingPathComponent("rules").path],
                    in: directory, environment: ProcessInfo.processInfo.environment.merging(["LINKS_HOOK_SECRET": Self.secret]) { $1 })
                #expect(run.exitCode == 0, "\(run)")
                links.formUnion(try Self.previewLinks(out))
            }

            // Every link is a whole URL (an unset value once made `href="nil"`); links to other
            // sites (the feedback's page, mailto:) are not notifyd's to follow.
            for link in links {
                let scheme = URLComponents(string: link)?.scheme
                #expect(scheme == "http" || scheme == "https" || (scheme == "mailto" && link.contains("@")), "not a link: \(link)")
            }
            let ours = links.filter { $0.hasPrefix(base + "/") }.sorted()
            for (kind, pattern) in Self.expectedKinds(prefix: prefix) {
                #expect(ours.contains { $0.contains(pattern) }, "no \(kind) link among \(ours)")
            }
            #expect(links.contains("https://shop.example.com/checkout?step=2"), "the feedback's page link is missing: \(links.sorted())")

            let answers = try await LinkChecker.check(ours, root: base, token: Self.token)
            #expect(Set(answers.filter { $0.kind == "link" }.map(\.url)) == Set(ours))
            for answer in answers {
                switch answer.kind {
                case "asset":
                    #expect(answer.status == 200 && !answer.contentType.hasPrefix("text/html"), "\(answer)")
                case "page-link" where answer.url.hasSuffix("/json"):  // an issue page's link to the event's raw JSON
                    #expect(answer.status == 200 && answer.contentType.hasPrefix("application/json"), "\(answer)")
                default:
                    #expect(answer.status == 200 && answer.contentType.hasPrefix("text/html"), "\(answer)")
                    #expect(!answer.final.contains("/login"), "signed out by \(answer)")
                }
            }
            let assets = answers.filter { $0.kind == "asset" }.map(\.url)
            for asset in ["/_console/console.css", "/_console/console.js", "/_console/icon.svg"] {
                #expect(assets.contains { $0.hasPrefix(base + asset) }, "no page links \(asset): \(assets)")
            }
            #expect(await daemon.stop() == 0)
        }
    }

    /// The links every run must have found, by what identifies them.
    private static func expectedKinds(prefix: String) -> [(String, String)] {
        [
            ("issue (with the event's environment)", "\(prefix)/organizations/example/issues/1/?referrer=alert_email&alert_type=email"),
            ("environment", "&environment=production"),
            ("mute", "?referrer=alert_email&mute=1"),
            ("rule", "\(prefix)/organizations/example/alerts/rules/example/new-errors/details/"),
            ("feedback rule", "/alerts/rules/example/new-feedback/details/"),
            ("regression rule", "/alerts/rules/example/regressions/details/"),
            ("settings", "\(prefix)/settings/account/notifications/alerts/"),
            ("replay", "\(prefix)/organizations/example/replays/\(replayID)/"),
            ("webhook", "?referrer=webhooks_plugin"),
        ]
    }

    // MARK: The daemon and what happens to it

    static func configuration(in directory: URL, port: Int, base: String, smtp: String, hook: String) throws -> URL {
        let rules = directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        let actions = """
                actions:
                  - email: {to: [team@example.com]}
                  - webhook: {url: "\(hook)", secret_env: LINKS_HOOK_SECRET}
                  - preview: {}
            """
        let ruleFile = """
            rules:
              - id: new-errors
                name: New errors to the team
                triggers: [new_issue]
                filters:
                  - issue_category: error
            \(actions)
              - id: new-feedback
                name: New feedback to the team
                triggers: [new_issue]
                filters:
                  - issue_category: feedback
            \(actions)
              - id: regressions
                name: Regressions to the team
                triggers: [regression]
            \(actions)
            """
        try Data(ruleFile.utf8).write(to: rules.appendingPathComponent("links.yml"))
        let text = """
            listen: 127.0.0.1:\(port)
            base_url: \(base)
            database: data/notifyd.sqlite
            rules: rules
            previews: previews
            smtp:
              url: \(smtp)
              from: notifyd@example.com
            dispatcher:
              poll_interval: 100ms
            organizations:
              - slug: example
                projects:
                  - slug: example
                    ingest_keys: [\(key)]
            tokens:
              - name: admin
                token: \(token)
                scopes: [event:admin]
            """
        let url = directory.appendingPathComponent("notifyd.yml")
        try Data(text.utf8).write(to: url)
        return url
    }

    /// A new error issue (issue 1, with a release and an environment), user feedback with a
    /// replay and anonymous feedback, and the error's regression (resolved through the API,
    /// then seen again).
    static func makeEveryNotification(_ daemon: DaemonProcess) async throws {
        let ingest = ["Authorization": "Bearer \(key)", "Content-Type": "application/json"]
        let admin = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
        let occurrences = "/api/0/projects/example/example/occurrences/"
        var answer = try await daemon.request("POST", occurrences, headers: ingest, body: Data(occurrence(release: "shop@1.0.0").utf8))
        #expect(answer.status == 200, "\(answer.text)")
        let feedback = """
            {"message": "The pay button does nothing", "name": "Ada", "email": "ada@example.com",
             "url": "https://shop.example.com/checkout?step=2", "environment": "production", "replay_id": "\(replayID)"}
            """
        answer = try await daemon.request("POST", "/api/0/projects/example/example/feedback/", headers: ingest, body: Data(feedback.utf8))
        #expect(answer.status == 201, "\(answer.text)")
        // Anonymous, no page, no replay: the email has no links for them.
        answer = try await daemon.request(
            "POST", "/api/0/projects/example/example/feedback/", headers: ingest, body: Data(#"{"message": "Nothing happens"}"#.utf8))
        #expect(answer.status == 201, "\(answer.text)")
        answer = try await daemon.request(
            "PUT", "/api/0/organizations/example/issues/?id=1", headers: admin, body: Data(#"{"status": "resolved"}"#.utf8))
        #expect(answer.status == 200, "\(answer.text)")
        answer = try await daemon.request("POST", occurrences, headers: ingest, body: Data(occurrence(release: "shop@1.1.0").utf8))
        #expect(answer.status == 200, "\(answer.text)")
    }

    static func occurrence(release: String) -> String {
        let now = Date().timeIntervalSince1970
        let id = { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }
        return """
            {"id": "\(id())", "project_id": 1, "fingerprint": ["links-checkout"], "issue_title": "Checkout failed",
             "subtitle": "card declined", "type": 1, "detection_time": \(now), "level": "error", "culprit": "checkout",
             "event": {"event_id": "\(id())", "project_id": 1, "platform": "python", "timestamp": \(now),
                       "environment": "production", "release": "\(release)", "tags": {"url": "https://shop.example.com/checkout"}}}
            """
    }

    /// Whether four emails, four webhooks and four previews (new error, two feedbacks,
    /// regression) arrived within 20 s.
    static func waitForNotifications(smtp: SMTPServer, receiver: WebhookReceiver, previews: URL) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while clock.now < deadline {
            let written = ((try? FileManager.default.contentsOfDirectory(atPath: previews.path)) ?? []).filter { $0.hasSuffix(".eml") }
            if try smtp.received().count >= 4, try receiver.payloads().count >= 4, written.count >= 4 { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    // MARK: Finding links

    /// The links of the HTML and text files of a preview folder.
    static func previewLinks(_ folder: URL) throws -> Set<String> {
        var links = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            if name.hasSuffix(".html") { links.formUnion(hrefs(text)) }
            if name.hasSuffix(".txt") { links.formUnion(urls(text)) }
        }
        return links
    }

    /// Every `href` of an HTML text, its character references resolved.
    static func hrefs(_ html: String) -> Set<String> {
        Set(html.matches(of: #/href="([^"]*)"/#).map { match in
            var value = String(match.output.1)
            for (reference, character) in [("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&#x3D;", "="), ("&amp;", "&")] {
                value = value.replacingOccurrences(of: reference, with: character)
            }
            return value
        })
    }

    /// Every http(s) URL of a plain text.
    static func urls(_ text: String) -> Set<String> {
        Set(text.matches(of: #/https?://[^\s<>"]+/#).map { String($0.output) })
    }

    /// Every http(s) URL among the string values of a JSON value, at any depth.
    static func urls(in value: Any, into links: inout Set<String>) {
        switch value {
        case let text as String where text.hasPrefix("http://") || text.hasPrefix("https://"): links.insert(text)
        case let object as [String: Any]: for member in object.values { urls(in: member, into: &links) }
        case let array as [Any]: for element in array { urls(in: element, into: &links) }
        default: break
        }
    }
}
