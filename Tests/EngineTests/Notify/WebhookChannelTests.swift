import Engine
import Foundation
import TestPeers
import Testing

/// The webhook channel against a real receiver that verifies Standard Webhooks signatures.
struct WebhookChannelTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// An engine whose rule sends new issues to `path` on the receiver, with one issue ingested;
    /// the webhook is signed with the secret in `HOOK_SECRET`, or with the project's own.
    static func setUp(_ receiver: WebhookReceiver, path: String, clock: TestClock, secretEnv: Bool = true) async throws -> TestEngine {
        let secret = secretEnv ? ", secret_env: HOOK_SECRET" : ""
        let rules = try RuleLoader(environment: ["HOOK_SECRET": Self.secret]).load(files: [("r.yml", """
            rules:
              - id: hook
                name: Hook
                triggers: [new_issue]
                actions: [{webhook: {url: "\(receiver.url(path))"\(secret)}}]
            """)])
        let test = try await TestEngine(handlers: [RuleEvaluator(rules: rules, now: clock.function)], clock: clock)
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id).json)
        return test
    }

    func dispatch(
        _ test: TestEngine, environment: [String: String] = ["HOOK_SECRET": secret], projectSecrets: [Int64: String] = [:],
        timeout: Duration = .seconds(10)
    ) async throws -> Delivery {
        let channel = WebhookChannel(
            payload: WebhookPayload(baseURL: "http://127.0.0.1:8080"),
            configuration: .init(timeout: timeout, environment: environment, projectSecrets: projectSecrets), now: { Date() })
        let dispatcher = Dispatcher(
            store: test.store, channels: [.webhook: channel], configuration: .init(retry: RetryPolicy(delays: [.seconds(5), .seconds(60)], jitter: 0)),
            now: test.clock.function, random: { 0.5 })
        try await dispatcher.runOnce()
        try await channel.shutdown()
        return try #require(try await test.store.read { try $0.deliveries(state: nil, limit: 10) }.first)
    }

    @Test func aSignedDeliveryIsVerifiedByTheReceiver() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret)
        defer { receiver.stop() }
        let test = try await Self.setUp(receiver, path: "/ok", clock: TestClock())
        let delivery = try await dispatch(test)
        #expect(delivery.state == .delivered)
        let received = try receiver.received()
        #expect(received.count == 1 && received[0].verified && received[0].id == delivery.id)
    }

    @Test func withoutSecretEnvTheProjectsSecretSigns() async throws {
        let projectSecret = WebhookSigner.generateSecret()
        let receiver = try WebhookReceiver(secret: projectSecret)
        defer { receiver.stop() }
        let test = try await Self.setUp(receiver, path: "/ok", clock: TestClock(), secretEnv: false)
        // Another project's secret, or none, does not sign it: it waits for a retry.
        var delivery = try await dispatch(test, projectSecrets: [test.project.id + 1: projectSecret])
        #expect(delivery.secretEnv == nil)
        #expect(delivery.state == .pending && delivery.lastError == "project \(test.project.id) has no webhook secret")
        test.clock.advance(by: 5)
        delivery = try await dispatch(test, projectSecrets: [test.project.id: projectSecret])
        #expect(delivery.state == .delivered)
        let received = try receiver.received()
        #expect(received.count == 1 && received[0].verified && received[0].id == delivery.id)
    }

    @Test func aFailedDeliveryIsRetriedWithTheSameWebhookID() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret)
        defer { receiver.stop() }
        let clock = TestClock()
        let test = try await Self.setUp(receiver, path: "/fail", clock: clock)
        var delivery = try await dispatch(test)
        #expect(delivery.state == .pending && delivery.lastError == "HTTP 500")
        clock.advance(by: 5)
        delivery = try await dispatch(test)
        #expect(delivery.attempts == 2)
        let received = try receiver.received()
        #expect(received.count == 2 && received.allSatisfy { $0.verified && $0.id == delivery.id }, "receivers deduplicate by webhook-id")
        let id = delivery.id
        let statuses = try await test.store.read { try $0.deliveryAttempts(deliveryID: id) }.map(\.statusCode)
        #expect(statuses == [500, 500])
    }

    @Test func retryAfterIsHonoured() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret)
        defer { receiver.stop() }
        let clock = TestClock()
        let test = try await Self.setUp(receiver, path: "/limited", clock: clock)
        let delivery = try await dispatch(test)
        #expect(delivery.lastError == "HTTP 429")
        #expect(delivery.nextAttemptAt == clock.now.addingTimeInterval(7), "Retry-After: 7 beats the 5 s schedule")
    }

    @Test func anotherClientErrorIsFinal() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret)
        defer { receiver.stop() }
        let delivery = try await dispatch(try await Self.setUp(receiver, path: "/gone", clock: TestClock()))
        #expect(delivery.state == .dead && delivery.lastError == "HTTP 404")
    }

    @Test func aSlowReceiverTimesOutAndIsRetried() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret)
        defer { receiver.stop() }
        let delivery = try await dispatch(try await Self.setUp(receiver, path: "/slow", clock: TestClock()), timeout: .seconds(1))
        #expect(delivery.state == .pending && delivery.attempts == 1)
        #expect(delivery.lastError?.isEmpty == false)
    }

    @Test func aMissingSecretOrAnUnreachableReceiverIsRetried() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret)
        let test = try await Self.setUp(receiver, path: "/ok", clock: TestClock())
        var delivery = try await dispatch(test, environment: [:])
        #expect(delivery.state == .pending && delivery.lastError == "the signing secret HOOK_SECRET is not set")
        receiver.stop()
        test.clock.advance(by: 5)
        delivery = try await dispatch(test)
        #expect(delivery.state == .pending && delivery.attempts == 2, "connection refused is retried")
    }
}
