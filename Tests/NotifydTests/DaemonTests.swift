import Foundation
import TestPeers
import Testing

/// `notifyd serve` as a process: configuration errors, the printed summary, rule reload on
/// SIGHUP, graceful shutdown, and the whole path through the real port (ingest → rule fires →
/// preview file written).
@Suite(.serialized)
struct DaemonTests {
    static let key = "daemon-test-key-0123456789abcdef"

    /// A configuration on a free port with one project whose key is also an admin token.
    static func configuration(in directory: URL, organization: String = "acme", project: String = "backend", extra: String = "") throws -> URL {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("rules"), withIntermediateDirectories: true)
        let text = """
            listen: 127.0.0.1:0
            base_url: http://notifyd.test
            database: data/notifyd.sqlite
            rules: rules
            previews: previews
            organizations:
              - slug: \(organization)
                projects:
                  - slug: \(project)
                    ingest_keys: [\(key)]
            tokens:
              - name: admin
                token: \(key)
                scopes: [event:admin]
            \(extra)
            """
        let url = directory.appendingPathComponent("notifyd.yml")
        try Data(text.utf8).write(to: url)
        return url
    }

    static func occurrence(fingerprint: String, projectID: Int = 1) -> String {
        let now = Date().timeIntervalSince1970
        return """
            {"id": "\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))", "project_id": \(projectID),
             "fingerprint": ["\(fingerprint)"], "issue_title": "Checkout failed", "subtitle": "card declined", "type": 1,
             "detection_time": \(now), "level": "error", "culprit": "checkout",
             "event": {"event_id": "\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))", "project_id": \(projectID),
                       "platform": "python", "timestamp": \(now), "environment": "prod", "tags": {"browser": "Firefox"}}}
            """
    }

    /// What the receiver got, once it got something or `deadline` passed.
    static func hooks(_ receiver: WebhookReceiver, until deadline: ContinuousClock.Instant) async throws -> [WebhookReceiver.Received] {
        var hooks: [WebhookReceiver.Received] = []
        while ContinuousClock.now < deadline {
            hooks = try receiver.received()
            if !hooks.isEmpty { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return hooks
    }

    static let previewRule = """
        rules:
          - id: new-to-preview
            name: New issues to the preview folder
            triggers: [new_issue]
            actions:
              - preview: {}
        """

    @Test func aConfigurationErrorNamesTheKeyAndExitsBeforeBinding() async throws {
        try await withTemporaryDirectory { directory in
            let config = try Self.configuration(in: directory, extra: "limits:\n  max_batch: many")
            let run = try await NotifydProcess.run(["serve", "--config", config.path], in: directory)
            #expect(run.exitCode == 2)
            #expect(run.stderr.contains("notifyd.yml:"), "\(run)")
            #expect(run.stderr.contains("limits.max_batch"), "\(run)")
            #expect(!run.stdout.contains("listening"))
        }
    }

    @Test func anEnvironmentVariableOverridesTheFileAndIsNamedInItsError() async throws {
        try await withTemporaryDirectory { directory in
            let config = try Self.configuration(in: directory)
            var environment = ProcessInfo.processInfo.environment
            environment["NOTIFYD_LISTEN"] = "nowhere"
            let run = try await NotifydProcess.run(["serve", "--config", config.path], in: directory, environment: environment)
            #expect(run.exitCode == 2)
            #expect(run.stderr.contains("NOTIFYD_LISTEN: listen"), "\(run)")
        }
    }

    @Test func ruleErrorsStopTheStart() async throws {
        try await withTemporaryDirectory { directory in
            let config = try Self.configuration(in: directory)
            try Data("rules:\n  - id: x\n    triggers: [nonsense]\n    actions: [{preview: {}}]\n".utf8)
                .write(to: directory.appendingPathComponent("rules/bad.yml"))
            let run = try await NotifydProcess.run(["serve", "--config", config.path], in: directory)
            #expect(run.exitCode == 1)
            #expect(run.stderr.contains("bad.yml:3:"), "\(run)")
        }
    }

    @Test func besideTheShippedRulesWithNoEnvironmentItGeneratesSecretsThatSurviveARestart() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Rules"), to: directory.appendingPathComponent("Rules"))
            // Only a free port is configured; everything else is the default, and no environment
            // variable is set (the example webhook rule names no secret_env).
            try Data("listen: 127.0.0.1:0\n".utf8).write(to: directory.appendingPathComponent("listen.yml"))
            let first = try await DaemonProcess(["--config", "listen.yml"], in: directory, inherit: false, name: "first")
            let summary = first.stdout
            #expect(summary.contains("rules:     Rules (3 rules;"), "\(summary)")
            #expect(summary.contains("project example/example (id 1): ingest key "), "\(summary)")
            #expect(summary.contains("DSN: http://"), "\(summary)")
            let path = directory.appendingPathComponent("data/credentials.json").path
            let credentials = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
            let key = try #require(credentials?["ingestKey"] as? String)
            let token = try #require(credentials?["apiToken"] as? String)
            let secret = try #require((credentials?["webhookSecrets"] as? [String: String])?["example/example"])
            #expect(secret.hasPrefix("whsec_"))
            #expect(summary.contains(key) && summary.contains(token))
            #expect(summary.contains("    webhook secret: \(secret) "), "\(summary)")
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
            #expect(await first.stop() == 0)

            let second = try await DaemonProcess(["--config", "listen.yml"], in: directory, inherit: false, name: "second")
            #expect(second.stdout.contains("    webhook secret: \(secret) "), "\(second.stdout)")
            let answer = try await second.request(
                "POST", "/api/0/projects/example/example/occurrences/", headers: ["Authorization": "Bearer \(key)"],
                body: Data(Self.occurrence(fingerprint: "restart").utf8))
            #expect(answer.status == 200, "\(answer.text)")
            let issues = try await second.request("GET", "/api/0/organizations/example/issues/1/", headers: ["Authorization": "Bearer \(token)"])
            #expect(issues.status == 200, "\(issues.text)")
            #expect(await second.stop() == 0)
        }
    }

    @Test func anOccurrenceThroughThePortFiresARuleWhosePreviewAndWebhookArrive() async throws {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let receiver = try WebhookReceiver(secret: secret)
        defer { receiver.stop() }
        try await withTemporaryDirectory { directory in
            let config = try Self.configuration(in: directory)
            let rules = Self.previewRule + """

                  - id: new-to-hook
                    name: New issues to the team's hook
                    triggers: [new_issue]
                    actions:
                      - webhook: {url: "\(receiver.url("/ok"))", secret_env: E2E_HOOK_SECRET}
                """
            try Data(rules.utf8).write(to: directory.appendingPathComponent("rules/preview.yml"))
            let daemon = try await DaemonProcess(["--config", config.path], in: directory, environment: ["E2E_HOOK_SECRET": secret])
            let answer = try await daemon.request(
                "POST", "/api/0/projects/acme/backend/occurrences/", headers: ["Authorization": "Bearer \(Self.key)"],
                body: Data("[\(Self.occurrence(fingerprint: "e2e"))]".utf8))
            #expect(answer.status == 200, "\(answer.text)")
            let results = try #require(try answer.json() as? [[String: Any]])
            #expect(results.first?["status"] as? String == "grouped")
            #expect(results.first?["short_id"] as? String == "BACKEND-1")

            let previews = directory.appendingPathComponent("previews")
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(20)
            var files: [String] = []
            while clock.now < deadline {
                files = ((try? FileManager.default.contentsOfDirectory(atPath: previews.path)) ?? []).filter { $0.hasSuffix(".eml") }
                if !files.isEmpty { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let eml = try #require(files.first, "no preview written\n\(daemon.stderr)")
            let message = try String(contentsOf: previews.appendingPathComponent(eml), encoding: .utf8)
            #expect(message.contains("BACKEND-1"))
            #expect(message.contains("http://notifyd.test/organizations/acme/issues/1/"))

            let hooks = try await Self.hooks(receiver, until: deadline)
            #expect(hooks.count == 1 && hooks.allSatisfy { $0.verified }, "\(hooks)\n\(daemon.stderr)")

            let deliveries = try await daemon.request("GET", "/api/0/deliveries/?state=delivered", headers: ["Authorization": "Bearer \(Self.key)"])
            #expect(deliveries.status == 200)
            let delivered = (try deliveries.json() as? [[String: Any]]) ?? []
            #expect(Set(delivered.compactMap { $0["channel"] as? String }) == ["preview", "webhook"], "\(deliveries.text)")
            #expect(hooks.first?.id == delivered.first { $0["channel"] as? String == "webhook" }?["id"] as? String)
            // The text part beside it (the console's /debug/mail/ serves the same files behind sign-in).
            let text = try String(contentsOf: previews.appendingPathComponent(eml.dropLast(3) + "txt"), encoding: .utf8)
            #expect(text.contains("Checkout failed"), "\(text)")
            #expect(await daemon.stop() == 0)
        }
    }

    @Test func aWebhookWithoutSecretEnvArrivesSignedWithTheProjectsGeneratedSecret() async throws {
        try await withTemporaryDirectory { directory in
            let config = try Self.configuration(in: directory)
            // The first start generates the project's webhook secret and prints it.
            let first = try await DaemonProcess(["--config", config.path], in: directory, name: "first")
            let printed = try #require(
                first.stdout.firstMatch(of: #/project acme/backend \(id 1\): .*\n.*\n    webhook secret: (whsec_\S+) /#)?.output.1, "\(first.stdout)")
            let secret = String(printed)
            #expect(await first.stop() == 0)

            let receiver = try WebhookReceiver(secret: secret)
            defer { receiver.stop() }
            let rules = Self.previewRule + """

                  - id: new-to-hook
                    name: New issues to the team's hook
                    triggers: [new_issue]
                    actions:
                      - webhook: {url: "\(receiver.url("/ok"))"}
                """
            try Data(rules.utf8).write(to: directory.appendingPathComponent("rules/preview.yml"))
            let daemon = try await DaemonProcess(["--config", config.path], in: directory, name: "second")
            let answer = try await daemon.request(
                "POST", "/api/0/projects/acme/backend/occurrences/", headers: ["Authorization": "Bearer \(Self.key)"],
                body: Data(Self.occurrence(fingerprint: "project-secret").utf8))
            #expect(answer.status == 200, "\(answer.text)")
            let hooks = try await Self.hooks(receiver, until: .now + .seconds(20))
            #expect(hooks.count == 1 && hooks.allSatisfy { $0.verified }, "\(hooks)\n\(daemon.stderr)")
            #expect(await daemon.stop() == 0)
        }
    }

    @Test func jsonLogsCarryNoKeyOrToken() async throws {
        try await withTemporaryDirectory { directory in
            let config = try Self.configuration(in: directory)
            let daemon = try await DaemonProcess(["--config", config.path, "--log-format", "json", "--log-level", "debug"], in: directory)
            let auth = ["Authorization": "Bearer \(Self.key)"]
            _ = try await daemon.request("POST", "/api/0/projects/acme/backend/occurrences/?sentry_key=\(Self.key)", headers: auth, body: Data(Self.occurrence(fingerprint: "log").utf8))
            _ = try await daemon.request("GET", "/api/0/organizations/acme/issues/", headers: auth)
            _ = try await daemon.request("GET", "/api/0/organizations/acme/issues/", headers: ["Authorization": "Bearer wrong-token-0123456789"])
            #expect(await daemon.stop() == 0)
            let lines = daemon.stderr.split(separator: "\n")
            #expect(lines.count >= 3)
            for line in lines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?["message"] != nil && object?["level"] != nil, "\(line)")
            }
            #expect(daemon.stderr.contains("/api/0/organizations/acme/issues/"), "requests are logged")
            #expect(!daemon.stderr.contains(Self.key), "a key or token reached the logs")
            #expect(!daemon.stderr.contains("wrong-token"), "a presented token reached the logs")
        }
    }

    @Test func aClientThatStopsSendingIsDisconnected() async throws {
        try await withTemporaryDirectory { directory in
            let config = try Self.configuration(in: directory, extra: "limits:\n  idle_timeout: 1s")
            let daemon = try await DaemonProcess(["--config", config.path], in: directory)
            // Half a request, then silence: the idle timeout must close the connection.
            let socket = try LoopbackSocket(port: daemon.port)
            try socket.send("POST /api/0/projects/acme/backend/occurrences/ HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"id\": ")
            let started = ContinuousClock.now
            let closed = socket.waitForClose(within: .seconds(10))
            #expect(closed, "the connection stayed open")
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(await daemon.stop() == 0)
        }
    }

    @Test func aChangedRuleFileIsReloadedWithoutASignal() async throws {
        try await withTemporaryDirectory { directory in
            let config = try Self.configuration(in: directory)
            let daemon = try await DaemonProcess(["--config", config.path], in: directory)
            try Data(Self.previewRule.utf8).write(to: directory.appendingPathComponent("rules/preview.yml"))
            // The folder is polled every 2 s.
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(15)
            var loaded = -1
            while clock.now < deadline {
                let answer = try await daemon.request("GET", "/healthz")
                let checks = (try answer.json() as? [String: Any])?["checks"] as? [String: Any]
                loaded = (checks?["rules"] as? [String: Any])?["loaded"] as? Int ?? -1
                if loaded == 1 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(loaded == 1, "\(daemon.stderr)")
            #expect(await daemon.stop() == 0)
        }
    }

    @Test func sighupReloadsTheRulesAndABrokenFolderKeepsTheOldOnes() async throws {
        try await withTemporaryDirectory { directory in
            let config = try Self.configuration(in: directory)
            let daemon = try await DaemonProcess(["--config", config.path], in: directory)
            let health = { () async throws -> Int in
                let answer = try await daemon.request("GET", "/healthz")
                let object = try answer.json() as? [String: Any]
                let checks = object?["checks"] as? [String: Any]
                return (checks?["rules"] as? [String: Any])?["loaded"] as? Int ?? -1
            }
            #expect(try await health() == 0)
            try Data(Self.previewRule.utf8).write(to: directory.appendingPathComponent("rules/preview.yml"))
            daemon.signal(SIGHUP)
            let clock = ContinuousClock()
            var deadline = clock.now + .seconds(10)
            while try await health() != 1, clock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(try await health() == 1)

            try Data("rules: [{id: broken}]\n".utf8).write(to: directory.appendingPathComponent("rules/broken.yml"))
            daemon.signal(SIGHUP)
            deadline = clock.now + .seconds(10)
            while !daemon.stderr.contains("broken.yml"), clock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(daemon.stderr.contains("broken.yml"), "\(daemon.stderr)")
            #expect(try await health() == 1)
            #expect(await daemon.stop() == 0)
        }
    }
}
