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
        print(RuleSummary(try RulesCommand.load(directory)).text)
    }
}

extension RulesCommand {
    /// The folder's rules, or its errors printed to standard error and exit status 1.
    static func load(_ directory: String) throws -> RuleSet {
        do {
            return try RuleLoader().load(directory: directory)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
