import Engine

// Descriptions of everything that holds a key, token or secret, so that no log line or error
// that interpolates one (swift-service-lifecycle logs its services at start) can show a secret.

extension Daemon: CustomStringConvertible {
    var description: String { "Daemon(listen: \(configuration.host):\(configuration.port), database: \(configuration.database))" }
}

extension DaemonConfiguration: CustomStringConvertible {
    var description: String { "DaemonConfiguration(listen: \(host):\(port), database: \(database), rules: \(rules))" }
}

extension DaemonConfiguration.ProjectEntry: CustomStringConvertible {
    var description: String { "ProjectEntry(slug: \(slug), ingestKeys: \(ingestKeys.count) redacted)" }
}

extension DaemonConfiguration.TokenEntry: CustomStringConvertible {
    var description: String { "TokenEntry(name: \(name), token: redacted, scopes: \(scopes.sorted().map(\.rawValue)))" }
}

extension Credentials: CustomStringConvertible {
    var description: String { "Credentials(projects: \(projects.count), tokens: \(tokens.map(\.name)))" }
}

extension Credentials.TokenAccess: CustomStringConvertible {
    var description: String { "TokenAccess(name: \(name), token: redacted)" }
}

extension Credentials.ProjectAccess: CustomStringConvertible {
    var description: String { "ProjectAccess(\(organization.slug)/\(project.slug), keys: \(keys.count) redacted)" }
}

extension GeneratedSecrets: CustomStringConvertible {
    var description: String { "GeneratedSecrets(redacted)" }
}

extension DispatcherService: CustomStringConvertible {
    var description: String { "DispatcherService" }
}

extension RuleReloadService: CustomStringConvertible {
    var description: String { "RuleReloadService(\(reloader.directory))" }
}
