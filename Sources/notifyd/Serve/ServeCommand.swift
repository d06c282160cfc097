import ArgumentParser
import Engine
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import UnixSignals

/// `notifyd serve`: the daemon — HTTP API, rules, dispatcher — on the configured SQLite file.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the daemon: the HTTP API, rule evaluation and delivery.",
        discussion: """
            Without --config it runs on built-in defaults: 127.0.0.1:8080, data/notifyd.sqlite, rules from Rules/, \
            previews in previews/, an 'example' organization and project, and an ingest key and API token generated \
            on the first start (kept in data/credentials.json). Every configuration key can also be set with a \
            NOTIFYD_* environment variable; see notifyd.example.yml.
            """)

    @Option(help: "A configuration file (YAML); see notifyd.example.yml.") var config: String?
    @Option(help: "Log format: text or json.") var logFormat = "text"
    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func validate() throws {
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format takes text or json") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    func run() async throws {
        let configuration: DaemonConfiguration
        do {
            configuration = try ConfigurationLoader(environment: ProcessInfo.processInfo.environment).load(path: config)
        } catch {
            FileHandle.standardError.write(Data("notifyd: configuration error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        // Before the engine is built: its metrics capture the factory when they are created.
        let metrics = MetricsEndpoint(registry: PrometheusCollectorRegistry())
        MetricsSystem.bootstrap(metrics.factory())
        let logger = Logger(label: "notifyd")

        let needsSecrets = configuration.organizations.isEmpty || configuration.tokens.isEmpty
        let secrets = needsSecrets ? try GeneratedSecrets.load(besideDatabase: configuration.database) : nil
        let daemon: Daemon
        do {
            daemon = try await Daemon(configuration: configuration, generatedSecrets: secrets, metrics: metrics, logger: logger)
        } catch let error as SMTPChannel.ConfigurationError {
            FileHandle.standardError.write(Data("notifyd: configuration error: smtp: \(error)\n".utf8))
            throw ExitCode(2)
        } catch let error as RuleFolderError {
            FileHandle.standardError.write(Data("notifyd: the rules in \(configuration.rules) have errors:\n\(error)\n".utf8))
            throw ExitCode(1)
        }
        // The daemon made a webhook secret for every project.
        let webhookSecrets = try GeneratedSecrets.load(besideDatabase: configuration.database).webhookSecrets
        let application = daemon.application { [secrets] channel in
            // Printed once the port is bound (listen on port 0 picks one) and written at once,
            // not buffered: scripts and tests wait for these lines.
            let port = channel.localAddress?.port ?? daemon.configuration.port
            let summary = Self.summary(daemon, generated: secrets, webhookSecrets: webhookSecrets, port: port)
            FileHandle.standardOutput.write(Data((summary + "\n").utf8))
        }
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// Where everything is, and how to talk to it.
    static func summary(_ daemon: Daemon, generated: GeneratedSecrets?, webhookSecrets: [String: String], port: Int) -> String {
        let configuration = daemon.configuration
        // The bound port, unless a base URL says where people reach the daemon.
        var web = configuration.baseURL ?? "http://\(configuration.host):\(port)"
        while web.hasSuffix("/") { web.removeLast() }
        var lines = [
            "notifyd listening on http://\(configuration.host):\(port)",
            "  console:   \(web)/ (sign in with an API token)",
            "  database:  \(configuration.database)",
            "  rules:     \(configuration.rules) (\(daemon.evaluator.rules.rules.count) rules; reloaded on change and SIGHUP)",
            "  previews:  \(configuration.previews) (browse \(web)/debug/mail/)",
            "  base URL:  \(configuration.effectiveBaseURL)",
        ]
        for access in daemon.credentials.projects {
            let key = access.keys.first ?? "(no ingest key configured)"
            lines.append("  project \(access.organization.slug)/\(access.project.slug) (id \(access.project.id)): ingest key \(key)")
            if let first = access.keys.first {
                lines.append("    DSN: http://\(first)@\(configuration.host):\(port)/\(access.project.id)")
            }
            if let secret = webhookSecrets["\(access.organization.slug)/\(access.project.slug)"] {
                lines.append("    webhook secret: \(secret) (signs webhooks of rules without secret_env)")
            }
        }
        for token in daemon.credentials.tokens {
            let shown = token.name == "generated" && generated != nil ? token.token : "(from the configuration)"
            lines.append("  API token \(token.name) [\(token.scopes.sorted().map(\.rawValue).joined(separator: " "))]: \(shown)")
        }
        return lines.joined(separator: "\n")
    }
}
