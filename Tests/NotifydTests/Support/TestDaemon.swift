import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
@testable import notifyd

/// Runs `body` with a `TestDaemon` on a fresh temporary directory, then shuts the daemon's
/// webhook client down (a debug build traps on a client dropped without it) and removes the
/// directory.
///
/// - Parameters:
///   - rules: the text of the one rule file.
///   - generatedSecrets: configure no organizations or tokens and use the zero-configuration
///     secrets (`example/example`, read from or written to `credentials.json`).
///   - metrics: the `/metrics` endpoint, if any.
///   - configure: changes to the configuration before the daemon is built.
func withTestDaemon<T>(
    rules: String = TestDaemon.previewRule, generatedSecrets: Bool = false, metrics: MetricsEndpoint? = nil,
    configure: (inout DaemonConfiguration) -> Void = { _ in }, _ body: (TestDaemon) async throws -> T
) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-http-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let test = try await TestDaemon(directory: directory, rules: rules, generatedSecrets: generatedSecrets, metrics: metrics, configure: configure)
    // `try?`: when the test ran the daemon's services, the dispatcher service shut the client down already.
    do {
        let value = try await body(test)
        try? await test.daemon.webhooks.shutdown()
        return value
    } catch {
        try? await test.daemon.webhooks.shutdown()
        throw error
    }
}

/// A `Daemon` on its own directory (database, rules folder, previews folder), driven through
/// its router with HummingbirdTesting; made by `withTestDaemon`.
///
/// Unless told otherwise it serves organization `acme` with projects `backend` and `frontend`
/// and organization `other` with project `web`, each with its own ingest key, plus a token per
/// scope; its one rule writes a preview for every new issue.
struct TestDaemon: Sendable {
    static let backendKey = "acme-backend-ingest-key-0001"
    static let frontendKey = "acme-frontend-ingest-key-002"
    static let webKey = "other-web-ingest-key-000003"
    static let readToken = "read-token-0123456789abcdef"
    static let writeToken = "write-token-0123456789abcdef"
    static let adminToken = "admin-token-0123456789abcdef"

    /// A rule file: a preview of every new issue.
    static let previewRule = """
        rules:
          - id: preview-new-issues
            name: Preview every new issue
            triggers:
              - new_issue
            actions:
              - preview: {}
        """

    /// Logs nowhere: the tests check answers, not log lines.
    static let logger = Logger(label: "notifyd.test", factory: { _ in SwiftLogNoOpLogHandler() })

    let directory: URL
    let daemon: Daemon

    var previews: String { daemon.configuration.previews }

    fileprivate init(
        directory: URL, rules: String, generatedSecrets: Bool, metrics: MetricsEndpoint?, configure: (inout DaemonConfiguration) -> Void
    ) async throws {
        self.directory = directory
        let rulesDirectory = directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rulesDirectory, withIntermediateDirectories: true)
        try Data(rules.utf8).write(to: rulesDirectory.appendingPathComponent("rules.yml"))

        var configuration = DaemonConfiguration()
        configuration.database = directory.appendingPathComponent("data/notifyd.sqlite").path
        configuration.rules = rulesDirectory.path
        configuration.previews = directory.appendingPathComponent("previews").path
        configuration.baseURL = "https://notifyd.test"
        if !generatedSecrets {
            configuration.organizations = [
                .init(slug: "acme", projects: [.init(slug: "backend", ingestKeys: [Self.backendKey]), .init(slug: "frontend", ingestKeys: [Self.frontendKey])]),
                .init(slug: "other", projects: [.init(slug: "web", ingestKeys: [Self.webKey])]),
            ]
            configuration.tokens = [
                .init(name: "reader", token: Self.readToken, scopes: [.read]),
                .init(name: "writer", token: Self.writeToken, scopes: [.write]),
                .init(name: "admin", token: Self.adminToken, scopes: [.admin]),
            ]
        }
        configure(&configuration)
        let secrets = generatedSecrets ? try GeneratedSecrets.load(besideDatabase: configuration.database) : nil
        daemon = try await Daemon(configuration: configuration, generatedSecrets: secrets, metrics: metrics, logger: Self.logger)
    }

    /// Runs `body` with a client sending requests straight to the daemon's router.
    func withClient<Value>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await Application(router: daemon.router()).test(.router, body)
    }

    /// A configured project.
    func project(_ organization: String, _ project: String) throws -> Project {
        try #require(daemon.credentials.project(organizationSlug: organization, projectSlug: project)).project
    }

    /// Creates an issue in a project through the engine (not the API) and returns it.
    func createIssue(_ organization: String = "acme", _ project: String = "backend", fingerprint: String = "seeded") async throws -> Group {
        try await ingest(IngestMessages.occurrence(projectID: try self.project(organization, project).id, fingerprint: [fingerprint])).group
    }

    /// Ingests one occurrence message through the engine (not the API) and returns what became
    /// of its issue.
    @discardableResult
    func ingest(_ message: [String: JSONValue]) async throws -> GroupInfo {
        let projectID = try #require(message["project_id"]?.intValue)
        let results = await daemon.engine.ingest(batch: [message.json.serialized()], projectID: projectID)
        return try #require(results.first?.groupInfo, "\(results)")
    }
}

/// `POST` paths of the ingest endpoints.
enum IngestPath {
    static func occurrences(_ organization: String = "acme", _ project: String = "backend") -> String {
        "/api/0/projects/\(organization)/\(project)/occurrences/"
    }

    static func feedback(_ organization: String = "acme", _ project: String = "backend") -> String {
        "/api/0/projects/\(organization)/\(project)/feedback/"
    }
}

extension TestClientProtocol {
    /// Sends a request with an optional bearer token (an API token or an ingest key) and body.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, headers: HTTPFields = [:], body: Data? = nil
    ) async throws -> TestResponse {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if body != nil, fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(bytes: $0) })
    }

    /// Posts occurrences (one message or an array) to an ingest endpoint, by default
    /// `acme/backend`'s with its key.
    func ingest(_ body: JSONValue, path: String = IngestPath.occurrences(), key: String? = TestDaemon.backendKey) async throws -> TestResponse {
        try await send(.post, path, token: key, json: body)
    }

    /// Sends a JSON body.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, headers: HTTPFields = [:], json: JSONValue) async throws -> TestResponse {
        try await send(method, uri, token: token, headers: headers, body: json.serialized())
    }
}

extension TestResponse {
    /// The body as UTF-8 text.
    var text: String { String(buffer: body) }

    /// The body parsed as JSON.
    func json() throws -> JSONValue { try JSONValue.parse(text) }

    /// The `detail` of an API error answer.
    var detail: String? { (try? json())?["detail"]?.stringValue }

    /// The `field` of an API error answer.
    var field: String? { (try? json())?["field"]?.stringValue }
}
