import ArgumentParser

/// The `notifyd` command: the daemon and the operator's tools around the engine.
@main
struct Notifyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifyd",
        abstract: "Group issue occurrences into issues, and notify on new issues and regressions.",
        subcommands: [ServeCommand.self, IngestCommand.self, FeedbackCommand.self, IssuesCommand.self, RulesCommand.self, DeliveriesCommand.self, PreviewCommand.self, BenchCommand.self]
    )
}
