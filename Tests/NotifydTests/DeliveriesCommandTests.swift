import Foundation
import TestPeers
import Testing

/// `notifyd deliveries send` as `scripts/run` uses it: the real binary ingests the examples with
/// the shipped rules, then delivers what it can without a daemon and says why the rest waits.
struct DeliveriesCommandTests {
    static let noSMTPServer = "no SMTP server is configured (set smtp.url in the configuration or NOTIFYD_SMTP_URL)"

    @Test func theExampleRunWritesThePreviewAndSaysWhyTheEmailWaits() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Rules"), to: directory.appendingPathComponent("Rules"))
            let examples = packageRoot.appendingPathComponent("Examples/occurrences").path
            // No environment at all: no webhook secret, no SMTP server.
            let ingest = try await NotifydProcess.run(["ingest", "--rules", "Rules", examples], in: directory, environment: [:])
            #expect(ingest.exitCode == 0, "\(ingest)")

            let send = try await NotifydProcess.run(["deliveries", "send"], in: directory, environment: [:])
            #expect(send.exitCode == 0, "\(send)")
            let waiting = "email to support@example.com: waiting — \(Self.noSMTPServer)"
            #expect(send.stdoutLines.contains(waiting), "\(send)")
            let written = send.stdoutLines.filter { $0.hasPrefix("preview written: ") }
            #expect(written.count == 1, "\(send)")
            let paths = (written.first?.dropFirst("preview written: ".count).components(separatedBy: ", ")) ?? []
            #expect(paths.count == 3 && paths.allSatisfy { $0.hasPrefix("previews/") }, "\(send)")
            for path in paths {
                let text = try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
                #expect(text.contains("User Feedback"), "\(path)")
            }
            #expect(send.stdoutLines.count == 2, "\(send)")

            // The reason is the email's last error, not a silent pending.
            let list = try await NotifydProcess.run(["deliveries", "list", "--json"], in: directory, environment: [:])
            let deliveries = try list.stdoutLines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            let email = try #require(deliveries.first { $0["channel"] as? String == "email" }, "\(list)")
            #expect(email["state"] as? String == "pending")
            #expect(email["attempts"] as? Int == 0)
            #expect(email["last_error"] as? String == Self.noSMTPServer)
            #expect(deliveries.first { $0["channel"] as? String == "preview" }?["state"] as? String == "delivered", "\(list)")

            // A second send writes nothing again and still says why the email waits.
            let again = try await NotifydProcess.run(["deliveries", "send"], in: directory, environment: [:])
            #expect(again.stdoutLines == [waiting], "\(again)")
        }
    }

    @Test func aWebhookWithoutSecretEnvIsSignedWithTheProjectSecret() async throws {
        try await withTemporaryDirectory { directory in
            // The first send generates the project's secret (nothing is pending yet).
            let first = try await NotifydProcess.run(["deliveries", "send"], in: directory)
            #expect(first.stdoutLines == ["no pending deliveries"], "\(first)")
            let credentials = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("data/credentials.json"))) as? [String: Any])
            let secret = try #require((credentials["webhookSecrets"] as? [String: String])?["example/example"])
            #expect(secret.hasPrefix("whsec_"))

            let receiver = try WebhookReceiver(secret: secret)
            defer { receiver.stop() }
            let rules = directory.appendingPathComponent("rules")
            try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
            let hook = receiver.url("/ok")
            let refused = "http://127.0.0.1:9/hook"
            let rule = """
                rules:
                  - id: new-to-hooks
                    name: New issues to the hooks
                    triggers: [new_issue]
                    actions:
                      - webhook: {url: "\(hook)"}
                      - webhook: {url: "\(refused)"}
                """
            try Data(rule.utf8).write(to: rules.appendingPathComponent("hooks.yml"))
            let occurrence = packageRoot.appendingPathComponent("Examples/occurrences/01-checkout-error.json").path
            let ingest = try await NotifydProcess.run(["ingest", "--rules", rules.path, occurrence], in: directory)
            #expect(ingest.exitCode == 0, "\(ingest)")

            let send = try await NotifydProcess.run(["deliveries", "send"], in: directory)
            #expect(send.exitCode == 0, "\(send)")
            #expect(send.stdoutLines.contains("webhook to \(hook): delivered"), "\(send)")
            // A refused connection leaves the delivery for a retry, with its error.
            #expect(send.stdoutLines.contains { $0.hasPrefix("webhook to \(refused): not delivered yet — ") }, "\(send)")
            let received = try receiver.received()
            #expect(received.count == 1 && received.allSatisfy(\.verified), "\(received)")
        }
    }
}
