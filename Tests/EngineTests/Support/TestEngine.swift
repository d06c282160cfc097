import Engine
import Foundation

/// An engine on a real SQLite file in a fresh temporary directory (removed on deinit), with
/// an organization `acme` and a project `backend` ready.
final class TestEngine: Sendable {
    let directory: URL
    let engine: Engine
    let project: Project
    let clock: TestClock

    var databasePath: String { directory.appendingPathComponent("notifyd.sqlite").path }
    var store: any Store { engine.store }

    init(handlers: [any SignalHandler] = [], consumer: Consumer.Configuration = .init(), clock: TestClock = TestClock()) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-test-\(UUID().uuidString)")
        self.clock = clock
        engine = try Engine(
            configuration: .init(
                databasePath: directory.appendingPathComponent("notifyd.sqlite").path, consumer: consumer, signalHandlers: handlers,
                now: clock.function))
        project = try await engine.ensureProject(organizationSlug: "acme", projectSlug: "backend")
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A second engine on the same database file, as a second process would open it.
    func secondEngine() throws -> Engine {
        try Engine(configuration: .init(databasePath: databasePath, now: clock.function))
    }

    /// A second engine on the same file, with its own signal handlers.
    func secondEngineWithHandlers(_ handlers: [any SignalHandler]) throws -> Engine {
        try Engine(configuration: .init(databasePath: databasePath, signalHandlers: handlers, now: clock.function))
    }

    /// Ingests one message given as JSON.
    func ingest(_ message: JSONValue) async -> MessageResult {
        await engine.ingest(message.serialized())
    }

    /// Row counts of every table.
    func rowCounts() async throws -> [String: Int] {
        try await store.read { try $0.rowCounts() }
    }

    /// The issue a raw fingerprint part belongs to.
    func group(fingerprint: String) async throws -> Group? {
        let projectID = project.id
        return try await store.read { reader in
            guard let id = try reader.groupID(projectID: projectID, hash: Fingerprint.hash(fingerprint)) else { return nil }
            return try reader.group(id: id)
        }
    }
}
