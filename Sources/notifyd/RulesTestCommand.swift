import ArgumentParser
import Engine
import Foundation
import Synchronization

/// `notifyd rules test DIR --occurrence FILE`: runs one occurrence through a throw-away
/// in-memory engine with the folder's rules and prints what each rule decided and what would be sent.
struct RulesTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show which rules fire for an occurrence message, why the others do not, and what they would send.")

    @Argument(help: "The rule folder.") var directory = "Rules"
    @Option(help: "An ingest-occurrences message (JSON file).") var occurrence: String
    @Option(help: "The project slug the message is ingested into (its project_id is replaced).") var project = "example"

    func run() async throws {
        let rules = try RulesCommand.load(directory)
        guard let data = FileManager.default.contents(atPath: occurrence) else { throw ValidationError("cannot read \(occurrence)") }

        let evaluator = RuleEvaluator(rules: rules)
        let explainer = Explainer(evaluator: evaluator)
        // The explainer runs first, so it sees the rules before the evaluator claims their throttle.
        let engine = try Engine(configuration: .init(databasePath: nil, signalHandlers: [explainer, evaluator]))
        let target = try await engine.ensureProject(organizationSlug: "example", projectSlug: project)
        let result = await engine.ingest(Self.retarget(data, to: target.id))
        print(try await ResultPrinter(engine: engine).line(for: result))

        let decisions = explainer.decisions
        if decisions.isEmpty {
            print("no rule was evaluated (the message did not reach an issue)")
        }
        for decision in decisions {
            print("\(decision.fires ? "FIRES" : "no   ") \(decision.rule.id) (\(decision.rule.location)): \(decision.reason)")
        }
        let deliveries = try await engine.store.read { try $0.deliveries(state: nil, limit: 1000) }
        for delivery in deliveries {
            print("would send \(delivery.kind.rawValue) by \(delivery.channel.rawValue) to \(delivery.target) for \(delivery.ruleIDs.joined(separator: ", "))")
        }
    }

    /// The message with `project_id` (and the embedded event's) set to the throw-away project.
    static func retarget(_ data: Data, to projectID: Int64) -> Data {
        guard case .object(var message)? = try? JSONValue.parse(data) else { return data }
        message["project_id"] = .int(projectID)
        if case .object(var event)? = message["event"] {
            event["project_id"] = .int(projectID)
            message["event"] = .object(event)
        }
        return JSONValue.object(message).serialized()
    }

    /// Records what every rule would decide, inside the ingest transaction.
    final class Explainer: SignalHandler {
        let evaluator: RuleEvaluator
        private let recorded = Mutex<[RuleDecision]>([])

        init(evaluator: RuleEvaluator) { self.evaluator = evaluator }

        var decisions: [RuleDecision] { recorded.withLock { $0 } }

        func handle(_ signal: IssueSignal, in transaction: any StoreTransaction) throws {
            let decisions = try evaluator.explain(signal, in: transaction)
            recorded.withLock { $0 += decisions }
        }
    }
}
