import ArgumentParser
import Engine
import Foundation

/// `notifyd rules …`: work with rule folders.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Check and try out alert rule folders.", subcommands: [RulesCheckCommand.self, RulesTestCommand.self])
}

/// `notifyd rules check [DIR]`: validates a rule folder with the daemon's own loader.
struct RulesCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a rule folder: print every error as file:line:column and exit 1, or a summary and exit 0.")

    @Argument(help: "The rule folder.") var directory = "Rules"

    func run() async throws {
        let rules: RuleSet
        do {
            rules = try RuleLoader().load(directory: directory)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        print(RuleSummary(rules).text)
    }
}
