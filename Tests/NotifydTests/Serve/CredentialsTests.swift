import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import notifyd

/// Keys and tokens: constant-time comparison, lookups, where ingest keys are read from, and the
/// secrets generated for the zero-configuration daemon.
struct CredentialsTests {
    // MARK: Comparison and lookup

    @Test func constantTimeEqualsComparesWholeStrings() {
        #expect(Credentials.constantTimeEquals("", ""))
        #expect(Credentials.constantTimeEquals("acme-backend-ingest-key", "acme-backend-ingest-key"))
        #expect(Credentials.constantTimeEquals("ü-key", "ü-key"))
        #expect(!Credentials.constantTimeEquals("acme-backend-ingest-key", "acme-backend-ingest-kex"))
        #expect(!Credentials.constantTimeEquals("acme-backend-ingest-key", "acme-backend-ingest-key "))
        #expect(!Credentials.constantTimeEquals("acme", "acme-backend-ingest-key"))
        #expect(!Credentials.constantTimeEquals("", "a"))
        #expect(!Credentials.constantTimeEquals("Key", "key"))
    }

    @Test func keysAndTokensAreLookedUp() async throws {
        try await withTestDaemon { test in
            let credentials = test.daemon.credentials
            let backend = try #require(credentials.project(organizationSlug: "acme", projectSlug: "backend"))
            #expect(credentials.accepts(TestDaemon.backendKey, for: backend))
            #expect(!credentials.accepts(TestDaemon.frontendKey, for: backend))
            #expect(!credentials.accepts("", for: backend))
            #expect(credentials.project(id: backend.project.id)?.project.slug == "backend")
            #expect(credentials.project(organizationSlug: "other", projectSlug: "backend") == nil)
            #expect(credentials.token(TestDaemon.writeToken)?.name == "writer")
            #expect(credentials.token(TestDaemon.writeToken)?.scopes == [.write])
            #expect(credentials.token(TestDaemon.backendKey) == nil)
        }
    }

    @Test func scopesAreOrderedReadWriteAdmin() {
        #expect(Scope.read < Scope.write)
        #expect(Scope.write < Scope.admin)
        #expect(Scope.allCases.sorted() == [.read, .write, .admin])
        #expect(Scope.allCases.map(\.rawValue) == ["event:read", "event:write", "event:admin"])
    }

    @Test func generatedKeysLookLikeDSNKeys() {
        let key = Credentials.generateKey()
        #expect(key.count == 32)
        #expect(key.allSatisfy { $0.isHexDigit })
        #expect(key != Credentials.generateKey())
    }

    // MARK: Where the ingest key comes from

    @Test(arguments: [
        ("Sentry sentry_key=abc123, sentry_version=7", "abc123"),
        ("Sentry sentry_version=7, sentry_client=raven-python/6.0, sentry_key=abc123", "abc123"),
        ("sentry sentry_key=abc123,sentry_version=7", "abc123"),
        ("  Sentry  sentry_key = abc123 , sentry_version=7", "abc123"),
        ("sentry_key=abc123", "abc123"),
        ("Sentry sentry_key=a=b", "a=b"),
    ])
    func theSentryKeyIsReadFromTheAuthHeader(_ header: String, _ key: String) {
        #expect(Daemon.sentryKey(in: header) == key)
    }

    @Test(arguments: ["", "Sentry", "Sentry sentry_version=7", "Sentry sentry_secret=abc", "Sentry sentry_keys=abc"])
    func aHeaderWithoutASentryKeyHasNone(_ header: String) {
        #expect(Daemon.sentryKey(in: header) == nil)
    }

    @Test func theBearerTokenIsReadFromTheAuthorizationHeader() {
        #expect(Daemon.bearer(Self.request(authorization: "Bearer abc123")) == "abc123")
        #expect(Daemon.bearer(Self.request(authorization: "bearer  abc123 ")) == "abc123")
        #expect(Daemon.bearer(Self.request(authorization: "Basic abc123")) == nil)
        #expect(Daemon.bearer(Self.request(authorization: "Bearer")) == nil)
        #expect(Daemon.bearer(Self.request(authorization: nil)) == nil)
    }

    // MARK: Generated secrets

    @Test func generatedSecretsAreKeptBesideTheDatabase() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("data/notifyd.sqlite").path
            let first = try GeneratedSecrets.load(besideDatabase: database)
            let path = directory.appendingPathComponent("data/credentials.json").path
            let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(permissions == 0o600)
            #expect(first.ingestKey.count == 32)
            #expect(first.apiToken.count == 64)
            #expect(try GeneratedSecrets.load(besideDatabase: database) == first)
        }
    }

    @Test func everyProjectGetsAWebhookSecretKeptBesideTheDatabase() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("data/notifyd.sqlite").path
            // A file written before webhook secrets existed.
            let old = #"{"apiToken": "old-token", "ingestKey": "old-key"}"#
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
            try Data(old.utf8).write(to: directory.appendingPathComponent("data/credentials.json"))
            #expect(try GeneratedSecrets.load(besideDatabase: database) == GeneratedSecrets(ingestKey: "old-key", apiToken: "old-token"))

            let engine = try Engine(configuration: .init(databasePath: database))
            let backend = try await engine.ensureProject(organizationSlug: "acme", projectSlug: "backend")
            let web = try await engine.ensureProject(organizationSlug: "other", projectSlug: "web")
            let secrets = try await GeneratedSecrets.webhookSecrets(besideDatabase: database, store: engine.store)
            #expect(Set(secrets.keys) == [backend.id, web.id])
            for secret in secrets.values {
                #expect(secret.hasPrefix("whsec_"))
                #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
                #expect(throws: Never.self) { try WebhookSigner(secret: secret) }
            }
            #expect(secrets[backend.id] != secrets[web.id])

            let file = try GeneratedSecrets.load(besideDatabase: database)
            #expect(file.ingestKey == "old-key" && file.apiToken == "old-token")
            #expect(file.webhookSecrets == ["acme/backend": secrets[backend.id]!, "other/web": secrets[web.id]!])
            let path = directory.appendingPathComponent("data/credentials.json").path
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)

            // Kept: asking again (a restart) gives the same secrets; a new project gets its own.
            #expect(try await GeneratedSecrets.webhookSecrets(besideDatabase: database, store: engine.store) == secrets)
            let frontend = try await engine.ensureProject(organizationSlug: "acme", projectSlug: "frontend")
            let more = try await GeneratedSecrets.webhookSecrets(besideDatabase: database, store: engine.store)
            #expect(more[backend.id] == secrets[backend.id] && more[web.id] == secrets[web.id])
            #expect(more[frontend.id]?.hasPrefix("whsec_") == true)
        }
    }

    @Test func withoutOrganizationsTheExampleProjectTakesTheGeneratedKey() async throws {
        try await withTestDaemon(generatedSecrets: true) { test in
            let secrets = try GeneratedSecrets.load(besideDatabase: test.daemon.configuration.database)
            let example = try test.project("example", "example")
            #expect(test.daemon.credentials.tokens.map(\.name) == ["generated"])
            #expect(test.daemon.credentials.token(secrets.apiToken)?.scopes == Set(Scope.allCases))
            try await test.withClient { client in
                let ingested = try await client.ingest(
                    IngestMessages.occurrence(projectID: example.id).json, path: IngestPath.occurrences("example", "example"), key: secrets.ingestKey)
                #expect(ingested.status == .ok)
                #expect(try ingested.json().arrayValue?.first?["short_id"] == "EXAMPLE-1")
                let issue = try await client.send(.get, "/api/0/organizations/example/issues/EXAMPLE-1/", token: secrets.apiToken)
                #expect(issue.status == .ok)
                let wrong = try await client.send(.get, "/api/0/organizations/example/issues/EXAMPLE-1/", token: secrets.ingestKey)
                #expect(wrong.status == .unauthorized)
            }
        }
    }

    private static func request(authorization: String?) -> Request {
        var head = HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/")
        if let authorization { head.headerFields[.authorization] = authorization }
        return Request(head: head, body: .init(buffer: .init()))
    }
}
