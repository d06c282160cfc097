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
    @Option(help: "Database file (default: a fresh file in a temporary directory, removed afterwards).") var database: String?

    func validate() throws {
        guard events > 0, distinct > 0, batch > 0 else { throw ValidationError("--events, --distinct and --batch must be positive") }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-bench-\(UUID().uuidString)")
        let path = database ?? directory.appendingPathComponent("notifyd.sqlite").path
        defer { if database == nil { try? FileManager.default.removeItem(at: directory) } }

        let engine = try Engine(configuration: .init(databasePath: path))
        let project = try await engine.ensureProject(organizationSlug: "bench", projectSlug: "bench")
        let generator = OccurrenceGenerator(projectID: project.id, distinct: distinct)

        var grouped = 0
        let clock = ContinuousClock()
        let started = clock.now
        var sent = 0
        while sent < events {
            let count = min(batch, events - sent)
            // Generated per batch, so the messages in flight are all the memory the bench holds.
            let messages = (sent..<(sent + count)).map(generator.message)
            sent += count
            for result in await engine.ingest(batch: messages) where result.groupInfo != nil { grouped += 1 }
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard grouped == events else {
            throw ValidationError("only \(grouped) of \(events) occurrences were grouped")
        }
        let output: JSONValue = .object([
            "events": .int(Int64(events)),
            "distinct": .int(Int64(distinct)),
            "seconds": .double((seconds * 1000).rounded() / 1000),
            "events_per_second": .int(Int64(Double(events) / seconds)),
            "peak_rss_mb": .double(PeakMemory.megabytes()),
        ])
        print(output.serializedString())
    }
}
