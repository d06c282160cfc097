import Engine
import Foundation
import Logging

/// A daemon the HTTP benches start in their own process: a free loopback port, a fresh database
/// in a directory of the bench's, no rules, organization and project `bench` with `key`, the
/// read token `token`, and no practical rate limit (the bench is the one client).
struct BenchDaemon {
    /// The project's ingest key.
    static let key = "bench-ingest-key-0000000000000000"
    /// An API token with `event:read`, for the issues API.
    static let token = "bench-api-token-00000000000000000"

    let server: LoopbackServer
    let projectID: Int64
    /// The daemon's parts (its engine, its console sessions).
    let daemon: Daemon

    /// `http://127.0.0.1:<port>`.
    var url: String { "http://127.0.0.1:\(server.port)" }

    /// Starts the daemon and returns once it listens.
    static func start(in directory: URL) async throws -> BenchDaemon {
        let rules = directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        var configuration = DaemonConfiguration()
        configuration.port = 0
        configuration.database = directory.appendingPathComponent("notifyd.sqlite").path
        configuration.rules = rules.path
        configuration.previews = directory.appendingPathComponent("previews").path
        configuration.organizations = [.init(slug: "bench", projects: [.init(slug: "bench", ingestKeys: [key])])]
        configuration.tokens = [.init(name: "bench", token: token, scopes: [.read])]
        configuration.limits.requestsPerSecond = 1e9
        configuration.limits.burst = 1e9
        var logger = Logger(label: "notifyd.bench")
        logger.logLevel = .warning
        let daemon = try await Daemon(configuration: configuration, generatedSecrets: nil, logger: logger)
        let server = await LoopbackServer.start(logger: logger) { daemon.application(onServerRunning: $0) }
        return BenchDaemon(server: server, projectID: daemon.credentials.projects[0].project.id, daemon: daemon)
    }

    /// Shuts the daemon down gracefully and waits for it.
    func stop() async {
        await server.stop()
    }
}
