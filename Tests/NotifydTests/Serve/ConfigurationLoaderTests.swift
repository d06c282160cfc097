import Foundation
import Testing
@testable import notifyd

/// `notifyd.yml` and `NOTIFYD_*` variables into a `DaemonConfiguration`: defaults, every key,
/// errors with the key and where it was given, the environment winning over the file.
struct ConfigurationLoaderTests {
    // MARK: Good configurations

    @Test func withoutAFileTheDefaultsApply() throws {
        let configuration = try ConfigurationLoader(environment: ["HOME": "/root"]).load(path: nil)
        #expect(configuration == DaemonConfiguration())
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.effectiveBaseURL == "http://127.0.0.1:8080")
    }

    @Test func anEmptyFileGivesTheDefaults() throws {
        #expect(try Self.load("") == DaemonConfiguration())
    }

    @Test func everyKeyOfAFullFileIsRead() throws {
        let yaml = """
            listen: 0.0.0.0:9090
            base_url: https://notifyd.example.com/
            database: /var/lib/notifyd/notifyd.sqlite
            rules: /etc/notifyd/rules
            templates: /etc/notifyd/templates
            previews: /var/lib/notifyd/previews
            timezone: Europe/Berlin
            mail:
              subject_template: "[{{project}}] {{title}}"
              subject_prefix: "[ops]"
            organizations:
              - slug: acme
                projects:
                  - slug: backend
                    ingest_keys: [backend-key-0000000001, backend-key-0000000002]
                    ingest_key_env: BACKEND_KEY
                  - slug: frontend
              - slug: other
                projects: []
            tokens:
              - name: ci
                token_env: CI_TOKEN
                scopes: [event:read, event:write]
              - name: admin
                token: admin-token-0123456789
                scopes: [event:admin]
              - token: plain-token-0123456789
            smtp:
              url: smtps://mail.example.com:465
              from: alerts@example.com
              starttls: required
              username_env: SMTP_USER
              password_env: SMTP_PASSWORD
              timeout: 45s
            webhooks:
              timeout: 500ms
              max_response_bytes: 2048
            limits:
              max_body_bytes: 4096
              max_batch: 10
              max_json_depth: 8
              requests_per_second: 2.5
              burst: 5
              idle_timeout: 2m
            """
        let environment = ["BACKEND_KEY": "backend-key-from-environment", "CI_TOKEN": "ci-token-from-environment"]
        let configuration = try Self.load(yaml, environment: environment)

        var expected = DaemonConfiguration()
        expected.host = "0.0.0.0"
        expected.port = 9090
        expected.baseURL = "https://notifyd.example.com"
        expected.database = "/var/lib/notifyd/notifyd.sqlite"
        expected.rules = "/etc/notifyd/rules"
        expected.templates = "/etc/notifyd/templates"
        expected.previews = "/var/lib/notifyd/previews"
        expected.timezone = "Europe/Berlin"
        expected.subjectTemplate = "[{{project}}] {{title}}"
        expected.subjectPrefix = "[ops]"
        expected.organizations = [
            .init(
                slug: "acme",
                projects: [
                    .init(slug: "backend", ingestKeys: ["backend-key-from-environment", "backend-key-0000000001", "backend-key-0000000002"]),
                    .init(slug: "frontend", ingestKeys: []),
                ]),
            .init(slug: "other", projects: []),
        ]
        expected.tokens = [
            .init(name: "ci", token: "ci-token-from-environment", scopes: [.read, .write]),
            .init(name: "admin", token: "admin-token-0123456789", scopes: [.admin]),
            .init(name: "token-3", token: "plain-token-0123456789", scopes: [.read]),
        ]
        expected.smtp = .init(
            url: "smtps://mail.example.com:465", from: "alerts@example.com", starttls: "required", usernameEnv: "SMTP_USER",
            passwordEnv: "SMTP_PASSWORD", timeout: .seconds(45))
        expected.webhooks = .init(timeout: .milliseconds(500), maximumResponseBytes: 2048)
        expected.limits = .init(maxBodyBytes: 4096, maxBatch: 10, maxJSONDepth: 8, requestsPerSecond: 2.5, burst: 5, idleTimeout: .seconds(120))
        #expect(configuration == expected)
        #expect(configuration.effectiveBaseURL == "https://notifyd.example.com")
    }

    @Test func theEnvironmentWinsOverTheFile() throws {
        let yaml = """
            listen: 127.0.0.1:9000
            timezone: Europe/Berlin
            smtp:
              url: smtp://file.example.com
              from: file@example.com
            limits:
              max_body_bytes: 4096
              max_batch: 10
            tokens:
              - name: from-file
                token: file-token-0123456789
            """
        let environment = [
            "NOTIFYD_LISTEN": "0.0.0.0:8081",
            "NOTIFYD_SMTP_URL": "smtps://env.example.com",
            "NOTIFYD_LIMITS_MAX_BODY_BYTES": "8192",
            "NOTIFYD_TOKENS": "[{name: ci, token_env: CI_TOKEN, scopes: [event:write]}, {token: second-token-0123456789}]",
            "CI_TOKEN": "ci-token-0123456789abc",
        ]
        let configuration = try Self.load(yaml, environment: environment)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 8081)
        #expect(configuration.timezone == "Europe/Berlin")
        #expect(configuration.smtp.url == "smtps://env.example.com")
        #expect(configuration.smtp.from == "file@example.com")
        #expect(configuration.limits.maxBodyBytes == 8192)
        #expect(configuration.limits.maxBatch == 10)
        #expect(
            configuration.tokens == [
                .init(name: "ci", token: "ci-token-0123456789abc", scopes: [.write]),
                .init(name: "token-2", token: "second-token-0123456789", scopes: [.read]),
            ])
    }

    @Test func theEnvironmentAloneConfiguresWithoutAFile() throws {
        let environment = [
            "NOTIFYD_DATABASE": "/srv/notifyd.sqlite", "NOTIFYD_MAIL_SUBJECT_PREFIX": "[env]",
            "NOTIFYD_ORGANIZATIONS": "[{slug: acme, projects: [{slug: api, ingest_keys: [api-key-0123456789abc]}]}]",
        ]
        let configuration = try ConfigurationLoader(environment: environment).load(path: nil)
        #expect(configuration.database == "/srv/notifyd.sqlite")
        #expect(configuration.subjectPrefix == "[env]")
        #expect(configuration.organizations == [.init(slug: "acme", projects: [.init(slug: "api", ingestKeys: ["api-key-0123456789abc"])])])
    }

    // MARK: Errors in the file

    /// A bad file, the `file:line:column` (with the file called `notifyd.yml`) and key it gives.
    struct FileCase: Sendable, CustomTestStringConvertible {
        var yaml: String
        var origin: String
        var key: String
        var reason: String
        var environment: [String: String] = [:]

        var testDescription: String { key }
    }

    static let fileCases: [FileCase] = [
        FileCase(yaml: "listen: 127.0.0.1:9000\nlisten_port: 80", origin: "notifyd.yml:2:1", key: "listen_port", reason: "unknown key"),
        FileCase(yaml: "limits:\n  max_batch: 5\n  max_bach: 6", origin: "notifyd.yml:3:3", key: "limits.max_bach", reason: "unknown key"),
        FileCase(
            yaml: "smtp:\n  from: a@example.com\n  user: x", origin: "notifyd.yml:3:3", key: "smtp.user", reason: "unknown key"),
        FileCase(
            yaml: "tokens:\n  - name: ci\n    tokn: x", origin: "notifyd.yml:3:5", key: "tokens[0].tokn", reason: "unknown key"),
        FileCase(
            yaml: "organizations:\n  - slug: acme\n    projects:\n      - slug: api\n        keys: [a]", origin: "notifyd.yml:5:9",
            key: "organizations[0].projects[0].keys", reason: "unknown key"),
        FileCase(yaml: "limits:\n  max_batch: ten", origin: "notifyd.yml:2:14", key: "limits.max_batch", reason: "expected an integer ≥ 1, got 'ten'"),
        FileCase(yaml: "database: [a, b]", origin: "notifyd.yml:1:11", key: "database", reason: "expected a string"),
        FileCase(yaml: "tokens: {name: ci}", origin: "notifyd.yml:1:9", key: "tokens", reason: "expected a list"),
        FileCase(yaml: "smtp: smtp://mail", origin: "notifyd.yml:1:7", key: "smtp", reason: "expected a mapping"),
        FileCase(yaml: "limits:\n  burst: -3", origin: "notifyd.yml:2:10", key: "limits.burst", reason: "expected a positive number"),
        FileCase(yaml: "listen: localhost", origin: "notifyd.yml:1:9", key: "listen", reason: "expected host:port"),
        FileCase(yaml: "listen: localhost:99999", origin: "notifyd.yml:1:9", key: "listen", reason: "expected host:port"),
        FileCase(yaml: "base_url: ftp://example.com", origin: "notifyd.yml:1:11", key: "base_url", reason: "is not an http(s) URL"),
        FileCase(yaml: "timezone: Mars/Olympus_Mons", origin: "notifyd.yml:1:11", key: "timezone", reason: "unknown time zone"),
        FileCase(yaml: "smtp:\n  timeout: 10 minutes", origin: "notifyd.yml:2:12", key: "smtp.timeout", reason: "expected a duration"),
        FileCase(yaml: "limits:\n  idle_timeout: 1e300h", origin: "notifyd.yml:2:17", key: "limits.idle_timeout", reason: "expected a duration"),
        FileCase(yaml: "smtp:\n  url: mail.example.com", origin: "notifyd.yml:2:8", key: "smtp.url", reason: "must start with smtp://"),
        FileCase(yaml: "smtp:\n  starttls: maybe", origin: "notifyd.yml:2:13", key: "smtp.starttls", reason: "expected optional"),
        FileCase(
            yaml: "tokens:\n  - token: a-token-0123456789abc\n    scopes: [event:read, event:delete]", origin: "notifyd.yml:3:13",
            key: "tokens[0].scopes", reason: "unknown scope 'event:delete'"),
        FileCase(
            yaml: "tokens:\n  - name: ci\n    token: short", origin: "notifyd.yml:2:5", key: "tokens[0].token",
            reason: "at least 16 characters"),
        FileCase(yaml: "tokens:\n  - name: ci", origin: "notifyd.yml:2:5", key: "tokens[0]", reason: "needs token or token_env"),
        FileCase(
            yaml: "tokens:\n  - name: ci\n    token_env: NOTIFYD_TEST_UNSET_TOKEN", origin: "notifyd.yml:3:16", key: "tokens[0].token_env",
            reason: "the environment variable NOTIFYD_TEST_UNSET_TOKEN is not set"),
        FileCase(
            yaml: "organizations:\n  - slug: acme\n    projects:\n      - slug: api\n        ingest_key_env: API_KEY", origin: "notifyd.yml:5:25",
            key: "organizations[0].projects[0].ingest_key_env", reason: "the environment variable API_KEY is not set"),
        FileCase(
            yaml: "organizations:\n  - slug: acme\n    projects:\n      - slug: api\n        ingest_keys: [short]", origin: "notifyd.yml:4:9",
            key: "organizations[0].projects[0].ingest_keys", reason: "at least 16 characters"),
        FileCase(yaml: "organizations:\n  - projects: []", origin: "notifyd.yml:2:5", key: "organizations[0].slug", reason: "is required"),
        FileCase(yaml: "listen: [a", origin: "notifyd.yml", key: "(document)", reason: "not valid YAML"),
        FileCase(yaml: "- listen: a:1", origin: "notifyd.yml:1:1", key: "(document)", reason: "must be a mapping"),
    ]

    @Test(arguments: fileCases)
    func aMistakeInTheFileNamesTheKeyAndItsPosition(_ bad: FileCase) throws {
        let error = try Self.error(bad.yaml, environment: bad.environment)
        #expect(error.origin == bad.origin, "\(error)")
        #expect(error.key == bad.key, "\(error)")
        #expect(error.reason.contains(bad.reason), "\(error)")
    }

    @Test func aMissingFileIsAnError() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader(environment: [:]).load(path: "/nonexistent/notifyd.yml")
        }
        #expect(error == ConfigurationError(origin: "/nonexistent/notifyd.yml", key: "--config", reason: "cannot read the file"))
    }

    // MARK: Errors in the environment

    /// A bad variable, and the key its error names (the origin is the variable).
    struct EnvironmentCase: Sendable, CustomTestStringConvertible {
        var name: String
        var value: String
        var key: String
        var reason: String

        var testDescription: String { name }
    }

    static let environmentCases: [EnvironmentCase] = [
        EnvironmentCase(name: "NOTIFYD_LIMITS_MAX_BODY_BYTES", value: "12", key: "limits.max_body_bytes", reason: "expected an integer ≥ 1024, got '12'"),
        EnvironmentCase(name: "NOTIFYD_SMTP_URL", value: "http://mail.example.com", key: "smtp.url", reason: "must start with smtp://"),
        EnvironmentCase(name: "NOTIFYD_LISTEN", value: "8080", key: "listen", reason: "expected host:port"),
        EnvironmentCase(name: "NOTIFYD_BASE_URL", value: "notifyd.example.com", key: "base_url", reason: "is not an http(s) URL"),
        EnvironmentCase(name: "NOTIFYD_TIMEZONE", value: "Nowhere/Else", key: "timezone", reason: "unknown time zone"),
        EnvironmentCase(name: "NOTIFYD_WEBHOOKS_TIMEOUT", value: "soon", key: "webhooks.timeout", reason: "expected a duration"),
        EnvironmentCase(name: "NOTIFYD_TOKENS", value: "[{token: env-token-0123456789, scopes: [root]}]", key: "tokens[0].scopes", reason: "unknown scope"),
        EnvironmentCase(name: "NOTIFYD_TOKENS", value: "[{name: ci, tokn: x}]", key: "tokens[0].tokn", reason: "unknown key"),
        EnvironmentCase(name: "NOTIFYD_TOKENS", value: "[{token_env: UNSET_TOKEN}]", key: "tokens[0].token_env", reason: "UNSET_TOKEN is not set"),
        EnvironmentCase(name: "NOTIFYD_TOKENS", value: "[{token: x", key: "tokens", reason: "not valid YAML"),
        EnvironmentCase(name: "NOTIFYD_ORGANIZATIONS", value: "{slug: acme}", key: "organizations", reason: "expected a list"),
    ]

    @Test(arguments: environmentCases)
    func aMistakeInTheEnvironmentNamesTheVariable(_ bad: EnvironmentCase) throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader(environment: [bad.name: bad.value]).load(path: nil)
        }
        #expect(error?.origin == bad.name, "\(String(describing: error))")
        #expect(error?.key == bad.key, "\(String(describing: error))")
        #expect(error?.reason.contains(bad.reason) == true, "\(String(describing: error))")
    }

    @Test func theEnvironmentErrorNamesTheVariableEvenWhenTheFileHasTheKey() throws {
        let error = try Self.error("smtp:\n  url: smtp://mail.example.com", environment: ["NOTIFYD_SMTP_URL": "mail.example.com"])
        #expect(error.origin == "NOTIFYD_SMTP_URL")
        #expect(error.key == "smtp.url")
    }

    // MARK: Durations

    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("30s", .seconds(30)), ("5m", .seconds(300)), ("1h", .seconds(3600)),
        ("1.5s", .milliseconds(1500)), ("1.005s", .milliseconds(1005)), ("4007ms", .milliseconds(4007)), ("0.25h", .seconds(900)),
    ])
    func durationsAreParsed(_ text: String, _ duration: Duration) {
        #expect(ConfigurationLoader.parseDuration(text) == duration)
    }

    @Test(arguments: ["", "5", "s", "-1s", "0s", "0.0001s", "5 s", "5d", "infs", "nanms", "1e300h", "five m"])
    func badDurationsAreRefused(_ text: String) {
        #expect(ConfigurationLoader.parseDuration(text) == nil)
    }

    // MARK: Helpers

    /// Loads `yaml` from a file in a fresh folder.
    private static func load(_ yaml: String, environment: [String: String] = [:]) throws -> DaemonConfiguration {
        try withConfigurationFile(yaml) { path in try ConfigurationLoader(environment: environment).load(path: path) }
    }

    /// The error loading `yaml` gives, with the file's path written as `notifyd.yml`.
    private static func error(_ yaml: String, environment: [String: String] = [:]) throws -> ConfigurationError {
        try withConfigurationFile(yaml) { path in
            var error = try #require(throws: ConfigurationError.self) {
                try ConfigurationLoader(environment: environment).load(path: path)
            }
            error.origin = error.origin.replacingOccurrences(of: path, with: "notifyd.yml")
            return error
        }
    }

    private static func withConfigurationFile<T>(_ yaml: String, _ body: (String) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-config-\(UUID().uuidString).yml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }
}
