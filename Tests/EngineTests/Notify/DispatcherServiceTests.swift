import Engine
import Foundation
import Logging
import Metrics
import MetricsTestKit
import ServiceLifecycle
import Synchronization
import TestPeers
import Testing

/// A channel whose attempts wait until they are cancelled.
final class StallingChannel: DeliveryChannel {
    let started = Mutex(false)

    func deliver(_ delivery: Delivery, store: any Store) async -> DeliveryOutcome {
        started.withLock { $0 = true }
        try? await Task.sleep(for: .seconds(60))
        return .retry(statusCode: nil, error: "cancelled", retryAfter: nil)
    }
}

/// The dispatcher as a service (graceful shutdown, cancellation), its per-host limit against a
/// real receiver, and its metrics.
struct DispatcherServiceTests {
    static let secret = WebhookChannelTests.secret

    /// Copies of the engine's first delivery, to these targets.
    func enqueueCopies(_ test: TestEngine, targets: [String]) async throws {
        let template = try #require(try await test.store.read { try $0.deliveries(state: nil, limit: 1) }.first)
        try await test.store.write { transaction in
            for target in targets {
                var copy = template
                copy.id = Messages.newID()
                copy.target = target
                try transaction.enqueue(copy)
            }
        }
    }

    func webhookChannel() -> WebhookChannel {
        WebhookChannel(payload: WebhookPayload(baseURL: "http://127.0.0.1:8080"), configuration: .init(environment: ["HOOK_SECRET": Self.secret]))
    }

    /// How many deliveries another dispatcher could claim now: none of them may be leased.
    func claimable(_ test: TestEngine) async throws -> Int {
        let now = test.clock.now
        return try await test.store.write {
            try $0.claimDueDeliveries(now: now, limit: 10, owner: "next", lease: .seconds(60), channels: [.webhook]) { _, _ in true }.count
        }
    }

    @Test func atMostTheHostLimitIsInFlightPerHostWhileOtherHostsGoAhead() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret)
        defer { receiver.stop() }
        let test = try await WebhookChannelTests.setUp(receiver, path: "/delay/300", clock: TestClock())
        let path = "/delay/300"
        let targets = Array(repeating: receiver.url(path), count: 5) + Array(repeating: receiver.url(path, host: "localhost"), count: 6)
        try await enqueueCopies(test, targets: targets)
        let channel = webhookChannel()
        let dispatcher = Dispatcher(
            store: test.store, channels: [.webhook: channel], configuration: .init(concurrencyPerHost: 2), now: test.clock.function)
        let attempted = try await dispatcher.runOnce()
        try await channel.shutdown()

        #expect(attempted == 12)
        #expect(try await test.store.read { try $0.deliveries(state: .delivered, limit: 20) }.count == 12)
        let received = try receiver.received()
        let byHost = Dictionary(grouping: received, by: \.host)
        #expect(byHost.count == 2 && byHost.values.allSatisfy { $0.count == 6 })
        #expect(received.map(\.concurrent).max() == 2, "never more than two at once to one host")
        #expect(byHost.values.allSatisfy { $0.contains { $0.concurrent == 2 } }, "each host had both its slots busy")
        #expect(Set(received.prefix(4).map(\.host)).count == 2, "the second host's deliveries did not wait behind the first host's")
    }

    @Test func gracefulShutdownFinishesTheAttemptInFlightAndClaimsNothingMore() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret)
        defer { receiver.stop() }
        let test = try await WebhookChannelTests.setUp(receiver, path: "/delay/1000", clock: TestClock())
        try await enqueueCopies(test, targets: [receiver.url("/delay/1000"), receiver.url("/delay/1000")])
        let channel = webhookChannel()
        let dispatcher = Dispatcher(
            store: test.store, channels: [.webhook: channel], configuration: .init(concurrency: 1, pollInterval: .milliseconds(20)),
            now: test.clock.function)
        let services = ServiceGroup(services: [dispatcher], logger: Logger(label: "test"))
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            for _ in 0..<500 {
                if try !receiver.received().isEmpty { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
        try await channel.shutdown()

        #expect(ContinuousClock.now - started >= .milliseconds(900), "shutdown waited for the request in flight")
        let deliveries = try await test.store.read { try $0.deliveries(state: nil, limit: 10) }
        #expect(deliveries.map(\.state) == [.delivered, .pending, .pending], "the attempt in flight was recorded")
        #expect(deliveries.map(\.attempts) == [1, 0, 0])
        #expect(try receiver.received().count == 1, "nothing was claimed once shutdown began")
        #expect(try await claimable(test) == 2, "the rest are not leased")
    }

    @Test func cancellationCutsAnAttemptShortWithoutRecordingItAndGivesItsLeaseBack() async throws {
        let test = try await DispatcherTests.engineWithDeliveries(clock: TestClock())
        let channel = StallingChannel()
        let dispatcher = Dispatcher(
            store: test.store, channels: [.webhook: channel], configuration: .init(pollInterval: .milliseconds(10)), now: test.clock.function)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await dispatcher.run() }
            for _ in 0..<500 where !channel.started.withLock({ $0 }) {
                try? await Task.sleep(for: .milliseconds(10))
            }
            group.cancelAll()
        }
        let delivery = try await DispatcherTests().webhook(test)
        #expect(delivery.state == .pending && delivery.attempts == 0, "an attempt we cut short is no answer from the receiver")
        #expect(try await claimable(test) == 1, "its lease was given back")
    }

    @Test func perChannelCountersTimersAndOutboxGauges() async throws {
        let clock = TestClock()
        let test = try await DispatcherTests.engineWithDeliveries(clock: clock)
        clock.advance(by: 30)
        let metrics = TestMetrics()
        let webhook = ScriptedChannel([.delivered(statusCode: 204)])
        let email = ScriptedChannel([.retry(statusCode: 451, error: "451", retryAfter: nil), .failed(statusCode: 550, error: "550")])
        let dispatcher = withMetricsFactory(metrics) {
            Dispatcher(
                store: test.store, channels: [.webhook: webhook, .email: email],
                configuration: .init(retry: RetryPolicy(delays: [.seconds(10)], jitter: 0)), now: clock.function, random: { 0.5 })
        }
        func gauges() throws -> [Double?] {
            [try metrics.expectGauge("notify.outbox.depth").lastValue, try metrics.expectGauge("notify.outbox.oldest_due_age_seconds").lastValue]
        }

        #expect(try await dispatcher.runOnce() == 2)
        #expect(try metrics.expectCounter("notify.webhook.delivered").totalValue == 1)
        #expect(try metrics.expectCounter("notify.email.retried").totalValue == 1)
        #expect(try metrics.expectTimer("notify.webhook.attempt_duration").values.count == 1)
        #expect(try metrics.expectTimer("notify.email.attempt_duration").values.count == 1)
        #expect(try gauges() == [2, 30], "two pending, both due for 30 s")

        clock.advance(by: 15)
        #expect(try await dispatcher.runOnce() == 1)
        #expect(try metrics.expectCounter("notify.email.dead").totalValue == 1)
        #expect(try metrics.expectCounter("notify.webhook.dead").totalValue == 0)
        #expect(try gauges() == [1, 5], "the email was due again 5 s ago")

        #expect(try await dispatcher.runOnce() == 0)
        #expect(try gauges() == [0, 0])
    }
}
