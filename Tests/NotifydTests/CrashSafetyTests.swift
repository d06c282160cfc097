import Foundation
import TestPeers
import Testing

/// Issue 5's crash test: a daemon delivering to a slow webhook receiver is killed with SIGKILL
/// mid-way and started again. Every notification must arrive at least once, signed, and a
/// receiver must be able to tell repeats apart by `webhook-id`.
struct CrashSafetyTests {
    @Test(.timeLimit(.minutes(3)))
    func killedMidDeliveryEveryNotificationStillArrivesAtLeastOnce() async throws {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let receiver = try WebhookReceiver(secret: secret)
        defer { receiver.stop() }
        try await withTemporaryDirectory { directory in
            // A short lease, so the claims the killed process held are taken over quickly.
            let config = try DaemonTests.configuration(
                in: directory,
                extra: "dispatcher:\n  concurrency: 4\n  concurrency_per_host: 4\n  lease: 2s\n  poll_interval: 100ms")
            let rule = """
                rules:
                  - id: slow-hook
                    name: New issues to a slow receiver
                    triggers: [new_issue]
                    actions:
                      - webhook: {url: "\(receiver.url("/delay/1500"))", secret_env: CRASH_TEST_SECRET}
                """
            try Data(rule.utf8).write(to: directory.appendingPathComponent("rules/slow.yml"))
            let environment = ["CRASH_TEST_SECRET": secret]
            let auth = ["Authorization": "Bearer \(DaemonTests.key)"]

            let first = try await DaemonProcess(["--config", config.path], in: directory, environment: environment, name: "first")
            let batch = (0..<12).map { DaemonTests.occurrence(fingerprint: "crash-\($0)") }.joined(separator: ",")
            let answer = try await first.request("POST", "/api/0/projects/acme/backend/occurrences/", headers: auth, body: Data("[\(batch)]".utf8))
            #expect(answer.status == 200, "\(answer.text)")

            // Kill it while the first deliveries are at the receiver, before their outcome is recorded.
            let clock = ContinuousClock()
            var deadline = clock.now + .seconds(30)
            while try receiver.received().isEmpty, clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let reached = try receiver.received().count
            #expect(reached > 0, "nothing reached the receiver\n\(first.stderr)")
            await first.kill()

            let second = try await DaemonProcess(["--config", config.path], in: directory, environment: environment, name: "second")
            var delivered: [[String: Any]] = []
            deadline = clock.now + .seconds(90)
            while clock.now < deadline {
                let list = try await second.request("GET", "/api/0/deliveries/?state=delivered", headers: auth)
                delivered = (try list.json() as? [[String: Any]]) ?? []
                if delivered.count == 12 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(delivered.count == 12, "\(delivered.count) of 12 delivered\n\(second.stderr.suffix(3000))")
            #expect(await second.stop() == 0)

            let received = try receiver.received()
            let ids = Set(delivered.compactMap { $0["id"] as? String })
            #expect(received.allSatisfy { $0.verified }, "a webhook failed signature verification")
            #expect(Set(received.compactMap(\.id)).isSuperset(of: ids), "a notification was lost")
            // The ones in flight at the kill arrived twice, with the same webhook-id.
            #expect(received.count > ids.count, "expected repeats of the deliveries cut off by the kill")
        }
    }
}
