import ArgumentParser
import Engine
import Foundation

/// Where a command finds its database and default project.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file.")
    var database = "data/notifyd.sqlite"

    @Option(name: .long, help: "Organization slug (created if missing).")
    var organization = "example"

    @Option(name: .long, help: "Project slug (created if missing).")
    var project = "example"

    @Option(name: .long, help: "The base URL issue links point at.")
    var baseURL = "http://127.0.0.1:8080"

    /// Opens the engine and makes sure the default organization and project exist, so a fresh
    /// database accepts messages for project 1 at once.
    func open(handlers: [any SignalHandler] = []) async throws -> (Engine, Project) {
        let engine = try Engine(configuration: .init(databasePath: database, signalHandlers: handlers))
        let project = try await engine.ensureProject(organizationSlug: organization, projectSlug: self.project)
        return (engine, project)
    }
}
