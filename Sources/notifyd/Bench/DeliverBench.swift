import ArgumentParser
import Engine
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// `notifyd bench deliver`: webhook delivery from the outbox to a receiver on loopback.
///
/// Two phases over one fresh database and one rule (`new_issue` → a signed webhook):
/// 1. **throughput** — `--webhooks` new issues are ingested with the dispatcher stopped, then it
///    drains the outbox; deliveries per second from its start to the last delivery;
/// 2. **latency** — signals at `--rate` per second for `--seconds` with the dispatcher running;
///    for each, the time from the ingest commit to the receiver reading the webhook.
struct DeliverBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deliver", abstract: "Measure webhook delivery throughput and latency.")

    @Option(help: "Webhooks for the throughput phase.") var webhooks = 10_000
    @Option(help: "Signals per second in the latency phase.") var rate = 500
    @Option(help: "Length of the latency phase, in seconds.") var seconds = 5
    @Option(help: "Deliveries in flight at once (all to the one receiver host).") var concurrency = 32

    func validate() throws {
        guard webhooks > 0, rate > 0, seconds > 0, concurrency > 0 else {
            throw ValidationError("--webhooks, --rate, --seconds and --concurrency must be positive")
        }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "notifyd.bench")
        logger.logLevel = .warning

        let receiver = BenchReceiver()
        let receiverServer = await receiver.start(logger: logger)
        let port = receiverServer.port
        defer { Task { await receiverServer.stop() } }

        let secret = ["BENCH_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]
        let rules = try RuleLoader(environment: secret).load(files: [
            (
                "bench.yml",
                """
                rules:
                  - id: bench
                    name: Every new issue to the bench receiver
                    triggers: [new_issue]
                    actions:
                      - webhook: {url: "http://127.0.0.1:\(port)/hook", secret_env: BENCH_WEBHOOK_SECRET}
                """
            )
        ])
        let engine = try Engine(
            configuration: .init(
                databasePath: directory.appendingPathComponent("notifyd.sqlite").path, signalHandlers: [RuleEvaluator(rules: rules, logger: logger)],
                logger: logger))
        let project = try await engine.ensureProject(organizationSlug: "bench", projectSlug: "bench")
        let channel = WebhookChannel(
            payload: WebhookPayload(baseURL: "http://127.0.0.1"),
            configuration: .init(environment: secret))
        let dispatcher = Dispatcher(
            store: engine.store, channels: [.webhook: channel],
            configuration: .init(batchSize: 200, concurrency: concurrency, concurrencyPerHost: concurrency, pollInterval: .milliseconds(500)),
            logger: logger)
        let clock = ContinuousClock()

        // Phase 1: a full outbox, drained.
        let generator = OccurrenceGenerator(projectID: project.id, distinct: webhooks + rate * seconds)
        for start in stride(from: 0, to: webhooks, by: 1000) {
            _ = await engine.ingest(batch: (start..<min(start + 1000, webhooks)).map(generator.message))
        }
        let drained = ServiceGroup(configuration: .init(services: [dispatcher], logger: logger))
        let drainStart = clock.now
        let drainTask = Task { try await drained.run() }
        try await receiver.wait(for: webhooks, within: .seconds(600))
        let drainSeconds = (clock.now - drainStart).inSeconds
        await drained.triggerGracefulShutdown()
        try await drainTask.value

        // Phase 2: a steady stream of signals with the dispatcher running.
        receiver.reset()
        let streaming = ServiceGroup(configuration: .init(services: [dispatcher], logger: logger))
        let streamTask = Task { try await streaming.run() }
        let signals = rate * seconds
        var committed: [String: ContinuousClock.Instant] = [:]
        let interval = Duration.seconds(1) / rate
        let streamStart = clock.now
        for index in 0..<signals {
            try await clock.sleep(until: streamStart + interval * index)
            let result = await engine.ingest(generator.message(webhooks + index))
            dispatcher.wake()
            guard let group = result.groupInfo?.group else { throw ValidationError("signal \(index) made no issue: \(result.outcome)") }
            committed[String(group.id)] = clock.now
        }
        try await receiver.wait(for: signals, within: .seconds(120))
        await streaming.triggerGracefulShutdown()
        try await streamTask.value
        try await channel.shutdown()

        let latencies = Samples(receiver.arrivals().compactMap { id, arrival in committed[id].map { (arrival - $0).inSeconds * 1000 } })
        let output: JSONValue = .object([
            "webhooks": .int(Int64(webhooks)), "concurrency": .int(Int64(concurrency)),
            "deliveries_per_second": .int(Int64(Double(webhooks) / drainSeconds)),
            "signals": .int(Int64(signals)), "signals_per_second": .int(Int64(rate)),
            "p50_signal_to_delivery_ms": .double(latencies.percentile(0.5)), "p99_signal_to_delivery_ms": .double(latencies.percentile(0.99)),
            "max_signal_to_delivery_ms": .double(latencies.percentile(1)),
        ])
        print(output.serializedString())
    }

}

/// The receiving end of `bench deliver`: a Hummingbird server on a free loopback port that
/// notes when each webhook (by the issue id in its body) arrived and answers 204.
final class BenchReceiver: Sendable {
    private let received = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Starts the server on a free port.
    func start(logger: Logger) async -> LoopbackServer {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let arrival = ContinuousClock.now
            if case .string(let id)? = try? JSONValue.parse(Data(body.readableBytesView))["id"] {
                self.received.withLock { $0[id] = arrival }
            }
            return Response(status: .noContent)
        }
        return await LoopbackServer.start(logger: logger) { onServerRunning in
            Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: onServerRunning, logger: logger)
        }
    }

    /// Waits until `count` distinct webhooks arrived.
    func wait(for count: Int, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while received.withLock({ $0.count }) < count {
            guard ContinuousClock.now < deadline else {
                throw ValidationError("only \(received.withLock { $0.count }) of \(count) webhooks arrived within \(limit)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// When each webhook arrived, by issue id.
    func arrivals() -> [String: ContinuousClock.Instant] { received.withLock { $0 } }

    func reset() { received.withLock { $0.removeAll() } }
}
