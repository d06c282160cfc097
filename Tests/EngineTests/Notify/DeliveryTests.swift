import Engine
import Foundation
import Synchronization
import Templates
import Testing

struct WebhookSignerTests {
    @Test func theStandardWebhooksTestVectorVerifies() throws {
        let signer = try WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let signature = signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Data(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(signature != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=")
        let headers = signer.headers(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Data(#"{"test": 2432232314}"#.utf8))
        #expect(headers.map(\.0) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers[1].1 == "1614265330")
    }

    @Test func secretsWithoutPrefixOrPaddingWorkAndGarbageDoesNot() throws {
        let body = Data("x".utf8)
        let a = try WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").signature(id: "i", timestamp: 1, body: body)
        let b = try WebhookSigner(secret: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").signature(id: "i", timestamp: 1, body: body)
        #expect(a == b)
        #expect(throws: WebhookSigner.InvalidSecret.self) { try WebhookSigner(secret: "whsec_!!!not base64!!!") }
    }
}

struct RetryPolicyTests {
    @Test func delaysFollowTheScheduleWithJitterThenStop() {
        let policy = RetryPolicy.standard
        #expect(policy.maximumAttempts == 8)
        #expect(policy.delay(afterFailedAttempts: 1, retryAfter: nil, random: 0.5) == .seconds(5))
        #expect(policy.delay(afterFailedAttempts: 2, retryAfter: nil, random: 0.5) == .seconds(300))
        #expect(policy.delay(afterFailedAttempts: 1, retryAfter: nil, random: 0) == .seconds(4), "-20%")
        #expect(policy.delay(afterFailedAttempts: 1, retryAfter: nil, random: 1) == .seconds(6), "+20%")
        #expect(policy.delay(afterFailedAttempts: 7, retryAfter: nil, random: 0.5) == .seconds(36_000))
        #expect(policy.delay(afterFailedAttempts: 8, retryAfter: nil, random: 0.5) == nil, "dead after the last attempt")
    }

    @Test func retryAfterWinsWhenLongerAndIsCapped() {
        let policy = RetryPolicy(delays: [.seconds(5)], jitter: 0, maximumRetryAfter: .seconds(60))
        #expect(policy.delay(afterFailedAttempts: 1, retryAfter: 30, random: 0.5) == .seconds(30))
        #expect(policy.delay(afterFailedAttempts: 1, retryAfter: 2, random: 0.5) == .seconds(5))
        #expect(policy.delay(afterFailedAttempts: 1, retryAfter: 3600, random: 0.5) == .seconds(60))
    }

    @Test(arguments: [
        (200, "delivered"), (204, "delivered"), (301, "retry"), (400, "failed"), (401, "failed"), (404, "failed"), (408, "retry"),
        (410, "failed"), (425, "retry"), (429, "retry"), (500, "retry"), (502, "retry"), (503, "retry"),
    ])
    func httpStatusesAreClassified(status: Int, expected: String) {
        switch DeliveryOutcome.http(status: status) {
        case .delivered: #expect(expected == "delivered")
        case .retry: #expect(expected == "retry")
        case .failed: #expect(expected == "failed")
        }
    }

    @Test(arguments: [
        (250, nil, "delivered"), (nil, nil, "delivered"), (451, "RCPT failed: 451", "retry"), (421, "closing", "retry"),
        (550, "RCPT failed: 550", "failed"), (535, "Login denied", "failed"), (nil, "Couldn't connect to server", "retry"),
        (220, "SSL certificate problem", "retry"),
    ] as [(Int?, String?, String)])
    func smtpRepliesAreClassified(reply: Int?, error: String?, expected: String) {
        switch DeliveryOutcome.smtp(reply: reply, error: error) {
        case .delivered: #expect(expected == "delivered")
        case .retry(let status, _, _): #expect(expected == "retry" && status == reply.flatMap { $0 >= 400 ? $0 : nil })
        case .failed(let status, _): #expect(expected == "failed" && status == reply)
        }
    }
}

/// A channel that answers from a script, one outcome per attempt (a real seam: the transports
/// themselves are tested against real peers).
final class ScriptedChannel: DeliveryChannel {
    private let script: Mutex<[DeliveryOutcome]>
    let attempted = Mutex<[String]>([])

    init(_ outcomes: [DeliveryOutcome]) { script = Mutex(outcomes) }

    func deliver(_ delivery: Delivery, store: any Store) async -> DeliveryOutcome {
        attempted.withLock { $0.append(delivery.id) }
        return script.withLock { $0.isEmpty ? .delivered(statusCode: 200) : $0.removeFirst() }
    }
}

struct DispatcherTests {
    /// An engine whose rule sends every new issue to a webhook and an email address.
    static func engineWithDeliveries(clock: TestClock) async throws -> TestEngine {
        let rules = try RuleLoader(environment: ["HOOK": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]).load(files: [("r.yml", """
            rules:
              - id: new
                name: New issues
                triggers: [new_issue]
                actions:
                  - webhook: {url: "http://127.0.0.1:9/hook", secret_env: HOOK}
                  - email: {to: [dev@example.com]}
            """)])
        let test = try await TestEngine(handlers: [RuleEvaluator(rules: rules, now: clock.function)], clock: clock)
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id).json)
        return test
    }

    func dispatcher(_ test: TestEngine, _ channel: ScriptedChannel) -> Dispatcher {
        Dispatcher(
            store: test.store, channels: [.webhook: channel], configuration: .init(retry: RetryPolicy(delays: [.seconds(10), .seconds(60)], jitter: 0)),
            now: test.clock.function, random: { 0.5 })
    }

    func webhook(_ test: TestEngine) async throws -> Delivery {
        try #require(try await test.store.read { try $0.deliveries(state: nil, limit: 10) }.first { $0.channel == .webhook })
    }

    @Test func deliveredAttemptsAreRecorded() async throws {
        let test = try await Self.engineWithDeliveries(clock: TestClock())
        let channel = ScriptedChannel([.delivered(statusCode: 204)])
        #expect(try await dispatcher(test, channel).runOnce() == 1, "only the webhook: no email channel is configured")
        let delivery = try await webhook(test)
        #expect(delivery.state == .delivered && delivery.attempts == 1 && delivery.deliveredAt != nil)
        let attempts = try await test.store.read { try $0.deliveryAttempts(deliveryID: delivery.id) }
        #expect(attempts.map(\.outcome) == [.delivered] && attempts[0].statusCode == 204)
        let email = try await test.store.read { try $0.deliveries(state: .pending, limit: 10) }
        #expect(email.map(\.channel) == [.email], "other channels' deliveries wait")
    }

    @Test func deliveriesOfAWaitingChannelCarryTheReasonWithoutAnAttempt() async throws {
        let test = try await Self.engineWithDeliveries(clock: TestClock())
        let reason = "no SMTP server is configured"
        let dispatcher = Dispatcher(
            store: test.store, channels: [.webhook: ScriptedChannel([.delivered(statusCode: 204)])], waiting: [.email: reason, .webhook: "unused"],
            now: test.clock.function)
        #expect(try await dispatcher.runOnce() == 1)
        let email = try #require(try await test.store.read { try $0.deliveries(state: .pending, limit: 10) }.first)
        #expect(email.channel == .email && email.attempts == 0 && email.lastError == reason)
        #expect(try await test.store.read { try $0.deliveryAttempts(deliveryID: email.id) }.isEmpty)
        // A channel that can deliver has no reason to wait.
        #expect(try await webhook(test).lastError == nil)
        // Marking again changes nothing.
        #expect(try await test.store.write { try $0.markWaiting(channel: .email, reason: reason) } == 0)
    }

    @Test func failuresAreRetriedOnScheduleThenDead() async throws {
        let clock = TestClock()
        let test = try await Self.engineWithDeliveries(clock: clock)
        let channel = ScriptedChannel([
            .retry(statusCode: 503, error: "HTTP 503", retryAfter: nil), .retry(statusCode: nil, error: "connection refused", retryAfter: nil),
            .retry(statusCode: 500, error: "HTTP 500", retryAfter: nil),
        ])
        let dispatcher = dispatcher(test, channel)
        try await dispatcher.runOnce()
        var delivery = try await webhook(test)
        #expect(delivery.state == .pending && delivery.attempts == 1 && delivery.lastError == "HTTP 503")
        #expect(delivery.nextAttemptAt == clock.now.addingTimeInterval(10))
        #expect(try await dispatcher.runOnce() == 0, "not due yet")
        clock.advance(by: 10)
        try await dispatcher.runOnce()
        delivery = try await webhook(test)
        #expect(delivery.attempts == 2 && delivery.nextAttemptAt == clock.now.addingTimeInterval(60))
        clock.advance(by: 60)
        try await dispatcher.runOnce()
        delivery = try await webhook(test)
        #expect(delivery.state == .dead && delivery.attempts == 3 && delivery.lastError == "HTTP 500")
        let deadID = delivery.id
        let outcomes = try await test.store.read { try $0.deliveryAttempts(deliveryID: deadID) }.map(\.outcome)
        #expect(outcomes == [.retry, .retry, .dead])

        // An operator sends it again.
        #expect(try await test.store.write { try $0.redeliverDead(now: clock.now) } == 1)
        try await dispatcher.runOnce()
        #expect(try await webhook(test).state == .delivered)
    }

    @Test func aPermanentFailureIsDeadAtOnce() async throws {
        let test = try await Self.engineWithDeliveries(clock: TestClock())
        try await dispatcher(test, ScriptedChannel([.failed(statusCode: 404, error: "HTTP 404")])).runOnce()
        let delivery = try await webhook(test)
        #expect(delivery.state == .dead && delivery.attempts == 1)
        #expect(try await test.store.write { try $0.redeliver(id: delivery.id, now: Date()) })
        #expect(try await webhook(test).state == .pending)
    }

    @Test func aLeaseFromACrashedDispatcherExpiresAndALateAnswerIsIgnored() async throws {
        let clock = TestClock()
        let test = try await Self.engineWithDeliveries(clock: clock)
        // A claims and "crashes" (never completes).
        let claimed = try await test.store.write {
            try $0.claimDueDeliveries(now: clock.now, limit: 10, owner: "a", lease: .seconds(120), channels: [.webhook]) { _, _ in true }
        }
        #expect(claimed.count == 1)
        let channel = ScriptedChannel([])
        let b = dispatcher(test, channel)
        #expect(try await b.runOnce() == 0, "still leased to a")
        clock.advance(by: 121)
        #expect(try await b.runOnce() == 1, "the lease ran out")
        #expect(try await webhook(test).state == .delivered)
        let late = DeliveryAttempt(deliveryID: claimed[0].id, attemptedAt: clock.now, durationMilliseconds: 1, statusCode: 500, error: "late", outcome: .retry)
        #expect(try await test.store.write { try $0.completeDelivery(id: claimed[0].id, owner: "a", attempt: late, nextAttemptAt: nil) } == false)
        #expect(try await webhook(test).state == .delivered)
    }

    @Test func aClaimPassesOverWhatItIsToldToLeaveAndLeasesNothingElse() async throws {
        let test = try await Self.engineWithDeliveries(clock: TestClock())
        let now = test.clock.now
        let emails = try await test.store.write {
            try $0.claimDueDeliveries(now: now, limit: 10, owner: "a", lease: .seconds(60), channels: [.webhook, .email]) { channel, _ in
                channel == .email
            }
        }
        #expect(emails.map(\.channel) == [.email])
        let rest = try await test.store.write {
            try $0.claimDueDeliveries(now: now, limit: 10, owner: "b", lease: .seconds(60), channels: [.webhook, .email]) { _, _ in true }
        }
        #expect(rest.map(\.channel) == [.webhook], "the webhook was passed over, not leased")
    }

    @Test func stoppingGivesTheLeasesBack() async throws {
        let test = try await Self.engineWithDeliveries(clock: TestClock())
        _ = try await test.store.write {
            try $0.claimDueDeliveries(
                now: Date(timeIntervalSince1970: 1_750_000_000), limit: 10, owner: "gone", lease: .seconds(3600), channels: [.webhook, .email]
            ) { _, _ in true }
        }
        #expect(try await test.store.write { try $0.releaseLeases(owner: "gone") } == 2)
    }

    @Test func runStopsWhenCancelled() async throws {
        let test = try await Self.engineWithDeliveries(clock: TestClock())
        let channel = ScriptedChannel([])
        let dispatcher = Dispatcher(store: test.store, channels: [.webhook: channel], configuration: .init(pollInterval: .milliseconds(10)))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await dispatcher.run() }
            for _ in 0..<200 where channel.attempted.withLock({ $0.isEmpty }) {
                try? await Task.sleep(for: .milliseconds(10))
            }
            group.cancelAll()
        }
        #expect(channel.attempted.withLock { $0.count } == 1)
    }

    @Test func thePreviewChannelWritesFilesThroughTheDispatcher() async throws {
        let rules = try RuleLoader().load(files: [("r.yml", "rules:\n  - id: p\n    name: P\n    triggers: [new_issue]\n    actions: [preview]\n")])
        let test = try await TestEngine(handlers: [RuleEvaluator(rules: rules)])
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id).json)
        let folder = test.directory.appendingPathComponent("previews").path
        let preview = PreviewChannel(
            renderer: DeliveryRenderer(builder: MailContextBuilder(baseURL: "http://127.0.0.1:8080"), templates: try .init(), from: "notifyd@localhost"),
            writer: PreviewWriter(directory: folder))
        #expect(try await Dispatcher(store: test.store, channels: [.preview: preview]).runOnce() == 1)
        let delivery = try #require(try await test.store.read { try $0.deliveries(state: .delivered, limit: 10) }.first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["\(delivery.id).eml", "\(delivery.id).html", "\(delivery.id).txt"])
    }
}

struct WebhookPayloadTests {
    @Test func theBodyHasSentrysLegacyFieldsAndTheIssue() async throws {
        let test = try await DispatcherTests.engineWithDeliveries(clock: TestClock())
        let delivery = try #require(try await test.store.read { try $0.deliveries(state: nil, limit: 10) }.first { $0.channel == .webhook })
        let body = try await test.store.read { try WebhookPayload(baseURL: "https://notifyd.example.com").body(for: delivery, in: $0) }
        let json = try JSONValue.parse(body)
        #expect(json["action"] == "issue.created")
        #expect(json["id"] == .string(String(delivery.groupID)))
        #expect(json["project"] == "backend" && json["project_slug"] == "backend" && json["project_name"] == "backend")
        #expect(json["level"] == "warning" && json["culprit"] == "api/123")
        #expect(json["triggering_rules"] == ["New issues"])
        #expect(json["url"] == .string("https://notifyd.example.com/organizations/acme/issues/\(delivery.groupID)/?referrer=webhooks_plugin"))
        #expect(json["event"]?["event_id"] == json["event"]?["id"] && json["event"]?["event_id"] == .string(delivery.eventID ?? ""))
        #expect(json["issue"]?["shortId"] == "BACKEND-1" && json["issue"]?["issueCategory"] == "error" && json["issue"]?["count"] == "1")
    }
}
