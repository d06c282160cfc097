import ArgumentParser

/// `notifyd bench …`: throughput measurements that print one JSON line. Run them on a release
/// build (`swift run -c release notifyd bench ingest`).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure throughput; prints one JSON line.", subcommands: [IngestBench.self, RulesBench.self, RenderBench.self, HTTPBench.self, EnvelopeBench.self, DeliverBench.self, ConsoleBench.self])
}
