import ArgumentParser
import Engine
import Foundation

/// `notifyd ingest`: processes `ingest-occurrences` messages from files or standard input.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Process ingest-occurrences messages (a JSON object, an array of them, or one per line).",
        discussion: "Prints one JSON result per message. Exits 1 if any message was invalid or failed."
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "A rule folder to evaluate on every message; deliveries go to the outbox.") var rules: String?

    @Argument(help: "Message files or directories of *.json files; '-' or nothing reads standard input.")
    var paths: [String] = []

    func run() async throws {
        let handlers: [any SignalHandler] = try rules.map { [RuleEvaluator(rules: try RulesCommand.load($0))] } ?? []
        let (engine, _) = try await store.open(handlers: handlers)
        var messages: [Data] = []
        for source in try MessageFiles.expand(paths.isEmpty ? ["-"] : paths) {
            messages += try MessageFiles.split(MessageFiles.read(source), source: source)
        }
        let results = await engine.ingest(batch: messages)
        let printer = ResultPrinter(engine: engine)
        var failures = 0
        for result in results {
            print(try await printer.line(for: result))
            switch result.outcome {
            case .invalid, .failed: failures += 1
            default: break
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
