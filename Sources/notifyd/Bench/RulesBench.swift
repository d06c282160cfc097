import ArgumentParser
import Engine
import Foundation
import Synchronization

/// `notifyd bench rules`: ingests occurrences with many rules loaded and times the rule stage
/// of every signal (filters, triggers, throttle, outbox writes).
struct RulesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Measure rule evaluation per signal.")

    @Option(help: "Rules loaded (a mix of scopes, triggers, filters and actions).") var rules = 1_000
    @Option(help: "Signals (occurrences) to evaluate.") var signals = 20_000
    @Option(help: "Distinct issues the signals fall into.") var distinct = 100
    @Option(help: "Database file (default: a fresh file in a temporary directory, removed afterwards).") var database: String?

    func validate() throws {
        guard rules > 0, signals > 0, distinct > 0 else { throw ValidationError("--rules, --signals and --distinct must be positive") }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-bench-\(UUID().uuidString)")
        defer { if database == nil { try? FileManager.default.removeItem(at: directory) } }
        let timed = TimedHandler(RuleEvaluator(rules: SyntheticRules.make(count: rules, project: "bench")))
        let engine = try Engine(
            configuration: .init(databasePath: database ?? directory.appendingPathComponent("notifyd.sqlite").path, signalHandlers: [timed]))
        let project = try await engine.ensureProject(organizationSlug: "bench", projectSlug: "bench")
        let driver = IngestDriver(engine: engine, generator: OccurrenceGenerator(projectID: project.id, distinct: distinct), batch: 1_000, inFlight: 2)
        let (_, seconds) = await driver.run(events: signals)
        let durations = timed.microseconds.sorted()
        let deliveries = try await engine.store.read { try $0.deliveries(state: nil, limit: 1_000_000).count }
        func percentile(_ p: Double) -> Double {
            durations.isEmpty ? 0 : (durations[min(durations.count - 1, Int(Double(durations.count) * p))] * 10).rounded() / 10
        }
        let output: JSONValue = .object([
            "rules": .int(Int64(rules)),
            "signals": .int(Int64(durations.count)),
            "seconds": .double((seconds * 1000).rounded() / 1000),
            "signals_per_second": .int(Int64(Double(durations.count) / seconds)),
            "p50_evaluation_us": .double(percentile(0.50)),
            "p99_evaluation_us": .double(percentile(0.99)),
            "deliveries": .int(Int64(deliveries)),
        ])
        print(output.serializedString())
    }

    /// Times the wrapped handler; it runs on the store's writer, one signal at a time.
    final class TimedHandler: SignalHandler {
        let inner: any SignalHandler
        private let samples = Mutex<[Double]>([])

        init(_ inner: any SignalHandler) { self.inner = inner }

        var microseconds: [Double] { samples.withLock { $0 } }

        func handle(_ signal: IssueSignal, in transaction: any StoreTransaction) throws {
            let clock = ContinuousClock()
            let started = clock.now
            try inner.handle(signal, in: transaction)
            let elapsed = (clock.now - started).components
            let micros = Double(elapsed.seconds) * 1e6 + Double(elapsed.attoseconds) / 1e12
            samples.withLock { $0.append(micros) }
        }
    }
}
