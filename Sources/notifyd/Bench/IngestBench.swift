import ArgumentParser
import Engine
import Foundation

/// `notifyd bench ingest`: pushes generated occurrence messages (with embedded events, about
/// 1 KB each) through the consumer into a fresh SQLite file.
struct IngestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Measure occurrence ingest throughput.")

    @Option(help: "Occurrences to ingest.") var events = 100_000
    @Option(help: "Distinct fingerprints (issues).") var distinct = 1_000
    @Option(help: "Messages per consumer batch.") var batch = 1_000
    @Option(help: "Batches in flight at once.") var inFlight = 2
    @Option(help: "A rule folder to evaluate on every occurrence (default: no rules).") var rules: String?
    @Option(help: "Database file (default: a fresh file in a temporary directory, removed afterwards).") var database: String?

    func validate() throws {
        guard events > 0, distinct > 0, batch > 0, inFlight > 0 else {
            throw ValidationError("--events, --distinct, --batch and --in-flight must be positive")
        }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-bench-\(UUID().uuidString)")
        let path = database ?? directory.appendingPathComponent("notifyd.sqlite").path
        defer { if database == nil { try? FileManager.default.removeItem(at: directory) } }

        let ruleSet = try rules.map { try RuleLoader().load(directory: $0) }
        let handlers: [any SignalHandler] = ruleSet.map { [RuleEvaluator(rules: $0)] } ?? []
        let engine = try Engine(configuration: .init(databasePath: path, signalHandlers: handlers))
        let project = try await engine.ensureProject(organizationSlug: "bench", projectSlug: "bench")
        let generator = OccurrenceGenerator(projectID: project.id, distinct: distinct)

        let (grouped, seconds) = await IngestDriver(engine: engine, generator: generator, batch: batch, inFlight: inFlight).run(events: events)
        guard grouped == events else {
            throw ValidationError("only \(grouped) of \(events) occurrences were grouped")
        }
        let output: JSONValue = .object([
            "events": .int(Int64(events)),
            "distinct": .int(Int64(distinct)),
            "seconds": .double((seconds * 1000).rounded() / 1000),
            "events_per_second": .int(Int64(Double(events) / seconds)),
            "peak_rss_mb": .double(PeakMemory.megabytes()),
            "rules": .int(Int64(ruleSet?.rules.count ?? 0)),
            "allocator": .string("jemalloc \(Allocator.version)"),
        ])
        print(output.serializedString())
    }
}
