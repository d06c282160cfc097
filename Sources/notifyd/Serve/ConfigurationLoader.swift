import Foundation
import Yams

/// Reads `notifyd.yml` and `NOTIFYD_*` environment variables into a `DaemonConfiguration`.
///
/// Every scalar key has an environment variable: its dotted path upper-cased with `_`
/// (`smtp.url` → `NOTIFYD_SMTP_URL`, `limits.max_body_bytes` → `NOTIFYD_LIMITS_MAX_BODY_BYTES`);
/// the lists `organizations` and `tokens` take YAML flow text (`NOTIFYD_TOKENS='[{name: ci,
/// token_env: CI_TOKEN, scopes: [event:read]}]'`). The environment wins over the file, so one
/// file can serve several deployments. Secrets can be named indirectly with `*_env` keys
/// (`token_env`, `ingest_key_env`), resolved here; SMTP credentials are read when mail is sent.
struct ConfigurationLoader {
    /// The process environment (a parameter so tests can pass their own).
    var environment: [String: String]

    /// A YAML node with where it came from, for error messages.
    private struct Value {
        var node: Node
        var origin: String
    }

    /// Every key the loader reads, as a dotted path (`smtp.url`; keys of list items as
    /// `tokens[].name`). The key checks take their allowed names from here, and the docs tests
    /// compare it with docs/configuration.md and notifyd.example.yml.
    static let keys: [String] = [
        "listen", "base_url", "database", "rules", "templates", "previews", "timezone",
        "mail.subject_template", "mail.subject_prefix",
        "organizations[].slug", "organizations[].projects[].slug", "organizations[].projects[].ingest_keys",
        "organizations[].projects[].ingest_key_env",
        "tokens[].name", "tokens[].token", "tokens[].token_env", "tokens[].scopes",
        "smtp.url", "smtp.from", "smtp.starttls", "smtp.username_env", "smtp.password_env", "smtp.envelope_from", "smtp.connect_timeout",
        "smtp.timeout", "smtp.ca_file", "smtp.verify_peer", "smtp.threads",
        "webhooks.timeout", "webhooks.max_response_bytes",
        "dispatcher.concurrency", "dispatcher.concurrency_per_host", "dispatcher.lease", "dispatcher.poll_interval",
        "limits.max_body_bytes", "limits.max_envelope_bytes", "limits.max_batch", "limits.max_json_depth", "limits.requests_per_second",
        "limits.burst", "limits.idle_timeout",
    ]

    /// The names `keys` allows directly under `parent` (`""` for the top level, `smtp`, `tokens[]`).
    static func keys(under parent: String) -> Set<String> {
        Set(
            keys.compactMap { key in
                guard parent.isEmpty || key.hasPrefix(parent + ".") else { return nil }
                return String(key.dropFirst(parent.isEmpty ? 0 : parent.count + 1).prefix { $0 != "." && $0 != "[" })
            })
    }

    private static let topLevelKeys = keys(under: "")

    /// Loads the file at `path` (or only the environment and defaults when `nil`).
    func load(path: String?) throws(ConfigurationError) -> DaemonConfiguration {
        var root: [String: Value] = [:]
        if let path {
            root = try Self.readFile(path)
        }
        var configuration = DaemonConfiguration()
        if let listen = try string(root, ["listen"]) {
            let (host, port) = try Self.split(listen: listen.text, origin: listen.origin)
            configuration.host = host
            configuration.port = port
        }
        configuration.baseURL = try string(root, ["base_url"])?.text
        if let baseURL = configuration.baseURL {
            guard let url = URL(string: baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw error(root, ["base_url"], "'\(baseURL)' is not an http(s) URL")
            }
            configuration.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        }
        configuration.database = try string(root, ["database"])?.text ?? configuration.database
        configuration.rules = try string(root, ["rules"])?.text ?? configuration.rules
        configuration.templates = try string(root, ["templates"])?.text
        configuration.previews = try string(root, ["previews"])?.text ?? configuration.previews
        if let timezone = try string(root, ["timezone"]) {
            guard TimeZone(identifier: timezone.text) != nil else {
                throw ConfigurationError(origin: timezone.origin, key: "timezone", reason: "unknown time zone '\(timezone.text)'")
            }
            configuration.timezone = timezone.text
        }
        configuration.subjectTemplate = try string(root, ["mail", "subject_template"])?.text
        configuration.subjectPrefix = try string(root, ["mail", "subject_prefix"])?.text

        configuration.organizations = try organizations(root)
        configuration.tokens = try tokens(root)

        var smtp = configuration.smtp
        smtp.url = try string(root, ["smtp", "url"])?.text
        if let url = smtp.url, !(url.hasPrefix("smtp://") || url.hasPrefix("smtps://")) {
            throw error(root, ["smtp", "url"], "'\(url)' must start with smtp:// or smtps://")
        }
        smtp.from = try string(root, ["smtp", "from"])?.text ?? smtp.from
        if let starttls = try string(root, ["smtp", "starttls"]) {
            guard ["optional", "required", "never"].contains(starttls.text) else {
                throw ConfigurationError(origin: starttls.origin, key: "smtp.starttls", reason: "expected optional, required or never")
            }
            smtp.starttls = starttls.text
        }
        smtp.usernameEnv = try string(root, ["smtp", "username_env"])?.text
        smtp.passwordEnv = try string(root, ["smtp", "password_env"])?.text
        smtp.envelopeFrom = try string(root, ["smtp", "envelope_from"])?.text
        smtp.connectTimeout = try duration(root, ["smtp", "connect_timeout"]) ?? smtp.connectTimeout
        smtp.timeout = try duration(root, ["smtp", "timeout"]) ?? smtp.timeout
        smtp.caFile = try string(root, ["smtp", "ca_file"])?.text
        if let verify = try string(root, ["smtp", "verify_peer"]) {
            guard let value = Bool(verify.text) else {
                throw ConfigurationError(origin: verify.origin, key: "smtp.verify_peer", reason: "expected true or false, got '\(verify.text)'")
            }
            smtp.verifyPeer = value
        }
        smtp.threads = try int(root, ["smtp", "threads"], minimum: 1) ?? smtp.threads
        try checkKeys(root, ["smtp"], Self.keys(under: "smtp"))
        configuration.smtp = smtp

        configuration.webhooks.timeout = try duration(root, ["webhooks", "timeout"]) ?? configuration.webhooks.timeout
        configuration.webhooks.maximumResponseBytes =
            try int(root, ["webhooks", "max_response_bytes"], minimum: 0) ?? configuration.webhooks.maximumResponseBytes
        try checkKeys(root, ["webhooks"], Self.keys(under: "webhooks"))

        configuration.dispatcher.concurrency = try int(root, ["dispatcher", "concurrency"], minimum: 1) ?? configuration.dispatcher.concurrency
        configuration.dispatcher.concurrencyPerHost =
            try int(root, ["dispatcher", "concurrency_per_host"], minimum: 1) ?? configuration.dispatcher.concurrencyPerHost
        configuration.dispatcher.lease = try duration(root, ["dispatcher", "lease"]) ?? configuration.dispatcher.lease
        configuration.dispatcher.pollInterval = try duration(root, ["dispatcher", "poll_interval"]) ?? configuration.dispatcher.pollInterval
        try checkKeys(root, ["dispatcher"], Self.keys(under: "dispatcher"))

        var limits = configuration.limits
        limits.maxBodyBytes = try int(root, ["limits", "max_body_bytes"], minimum: 1024) ?? limits.maxBodyBytes
        limits.maxEnvelopeBytes = try int(root, ["limits", "max_envelope_bytes"], minimum: 1024) ?? limits.maxEnvelopeBytes
        limits.maxBatch = try int(root, ["limits", "max_batch"], minimum: 1) ?? limits.maxBatch
        limits.maxJSONDepth = try int(root, ["limits", "max_json_depth"], minimum: 4) ?? limits.maxJSONDepth
        limits.requestsPerSecond = try number(root, ["limits", "requests_per_second"]) ?? limits.requestsPerSecond
        limits.burst = try number(root, ["limits", "burst"]) ?? limits.burst
        limits.idleTimeout = try duration(root, ["limits", "idle_timeout"]) ?? limits.idleTimeout
        try checkKeys(root, ["limits"], Self.keys(under: "limits"))
        configuration.limits = limits
        try checkKeys(root, ["mail"], Self.keys(under: "mail"))
        return configuration
    }

    // MARK: File

    private static func readFile(_ path: String) throws(ConfigurationError) -> [String: Value] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(origin: path, key: "--config", reason: "cannot read the file")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(origin: path, key: "(document)", reason: "not valid YAML: \(error)")
        } catch {
            throw ConfigurationError(origin: path, key: "(document)", reason: "not valid YAML: \(error)")
        }
        guard let node else { return [:] }
        guard case .mapping(let members) = node else {
            throw ConfigurationError(origin: Self.origin(path, node), key: "(document)", reason: "the file must be a mapping of keys")
        }
        var root: [String: Value] = [:]
        for (keyNode, value) in members {
            let key = keyNode.string ?? ""
            guard topLevelKeys.contains(key) else {
                throw ConfigurationError(
                    origin: Self.origin(path, keyNode), key: key,
                    reason: "unknown key (expected one of \(topLevelKeys.sorted().joined(separator: ", ")))")
            }
            root[key] = Value(node: value, origin: Self.origin(path, value))
        }
        return root
    }

    private static func origin(_ path: String, _ node: Node) -> String {
        "\(path):\(node.mark?.line ?? 1):\(node.mark?.column ?? 1)"
    }

    // MARK: Lookup (the environment first, then the file)

    private static func environmentName(_ path: [String]) -> String {
        "NOTIFYD_" + path.joined(separator: "_").uppercased()
    }

    private func lookup(_ root: [String: Value], _ path: [String]) throws(ConfigurationError) -> Value? {
        let name = Self.environmentName(path)
        if let text = environment[name] {
            if path.count == 1, ["organizations", "tokens"].contains(path[0]) {
                do {
                    guard let node = try Yams.compose(yaml: text) else { return nil }
                    return Value(node: node, origin: name)
                } catch {
                    throw ConfigurationError(origin: name, key: path[0], reason: "not valid YAML: \(error)")
                }
            }
            return Value(node: Node(text), origin: name)
        }
        guard var value = root[path[0]] else { return nil }
        for (index, key) in path.enumerated().dropFirst() {
            guard case .mapping(let members) = value.node else {
                throw ConfigurationError(origin: value.origin, key: path[..<index].joined(separator: "."), reason: "expected a mapping")
            }
            guard let child = members[Node(key)] else { return nil }
            value = Value(node: child, origin: value.origin.split(separator: ":").first.map { Self.origin(String($0), child) } ?? value.origin)
        }
        return value
    }

    private func checkKeys(_ root: [String: Value], _ path: [String], _ allowed: Set<String>) throws(ConfigurationError) {
        guard let value = root[path[0]] else { return }
        guard case .mapping(let members) = value.node else {
            throw ConfigurationError(origin: value.origin, key: path.joined(separator: "."), reason: "expected a mapping")
        }
        let file = value.origin.split(separator: ":").first.map(String.init)
        for (key, _) in members where !allowed.contains(key.string ?? "") {
            throw ConfigurationError(
                origin: file.map { Self.origin($0, key) } ?? value.origin, key: "\(path.joined(separator: ".")).\(key.string ?? "?")",
                reason: "unknown key (expected one of \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    private func error(_ root: [String: Value], _ path: [String], _ reason: String) -> ConfigurationError {
        let origin = (try? lookup(root, path))?.origin ?? Self.environmentName(path)
        return ConfigurationError(origin: origin, key: path.joined(separator: "."), reason: reason)
    }

    // MARK: Typed values

    private func string(_ root: [String: Value], _ path: [String]) throws(ConfigurationError) -> (text: String, origin: String)? {
        guard let value = try lookup(root, path) else { return nil }
        guard case .scalar(let scalar) = value.node else {
            throw ConfigurationError(origin: value.origin, key: path.joined(separator: "."), reason: "expected a string")
        }
        return (scalar.string, value.origin)
    }

    private func int(_ root: [String: Value], _ path: [String], minimum: Int) throws(ConfigurationError) -> Int? {
        guard let (text, origin) = try string(root, path) else { return nil }
        guard let value = Int(text), value >= minimum else {
            throw ConfigurationError(origin: origin, key: path.joined(separator: "."), reason: "expected an integer ≥ \(minimum), got '\(text)'")
        }
        return value
    }

    private func number(_ root: [String: Value], _ path: [String]) throws(ConfigurationError) -> Double? {
        guard let (text, origin) = try string(root, path) else { return nil }
        guard let value = Double(text), value > 0, value.isFinite else {
            throw ConfigurationError(origin: origin, key: path.joined(separator: "."), reason: "expected a positive number, got '\(text)'")
        }
        return value
    }

    private func duration(_ root: [String: Value], _ path: [String]) throws(ConfigurationError) -> Duration? {
        guard let (text, origin) = try string(root, path) else { return nil }
        guard let duration = Self.parseDuration(text) else {
            throw ConfigurationError(origin: origin, key: path.joined(separator: "."), reason: "expected a duration like 500ms, 30s, 5m or 1h, got '\(text)'")
        }
        return duration
    }

    /// `500ms`, `30s`, `5m`, `1h`: at least a millisecond, at most what an `Int64` of
    /// milliseconds holds (`inf` or `1e300h` would trap the conversion).
    static func parseDuration(_ text: String) -> Duration? {
        for (suffix, milliseconds) in [("ms", 1.0), ("s", 1000.0), ("m", 60_000.0), ("h", 3_600_000.0)] where text.hasSuffix(suffix) {
            guard let amount = Double(text.dropLast(suffix.count)) else { return nil }
            // Rounded, not truncated: 1.005 × 1000 is 1004.99… in binary.
            let total = (amount * milliseconds).rounded()
            guard total >= 1, total < Double(Int64.max) else { return nil }
            return .milliseconds(Int64(total))
        }
        return nil
    }

    private static func split(listen: String, origin: String) throws(ConfigurationError) -> (String, Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port),
            colon > listen.startIndex
        else {
            throw ConfigurationError(origin: origin, key: "listen", reason: "expected host:port, got '\(listen)'")
        }
        return (String(listen[..<colon]), port)
    }

    // MARK: Lists

    private func list(_ root: [String: Value], _ key: String) throws(ConfigurationError) -> [Value]? {
        guard let value = try lookup(root, [key]) else { return nil }
        guard case .sequence(let items) = value.node else {
            throw ConfigurationError(origin: value.origin, key: key, reason: "expected a list")
        }
        let file = value.origin.hasPrefix("NOTIFYD_") ? nil : value.origin.split(separator: ":").first.map(String.init)
        return items.map { item in Value(node: item, origin: file.map { Self.origin($0, item) } ?? value.origin) }
    }

    private func fields(_ item: Value, _ key: String, allowed: Set<String>) throws(ConfigurationError) -> [String: Value] {
        guard case .mapping(let members) = item.node else {
            throw ConfigurationError(origin: item.origin, key: key, reason: "expected a mapping")
        }
        let file = item.origin.hasPrefix("NOTIFYD_") ? nil : item.origin.split(separator: ":").first.map(String.init)
        var result: [String: Value] = [:]
        for (keyNode, value) in members {
            let name = keyNode.string ?? ""
            guard allowed.contains(name) else {
                throw ConfigurationError(
                    origin: file.map { Self.origin($0, keyNode) } ?? item.origin, key: "\(key).\(name)",
                    reason: "unknown key (expected one of \(allowed.sorted().joined(separator: ", ")))")
            }
            result[name] = Value(node: value, origin: file.map { Self.origin($0, value) } ?? item.origin)
        }
        return result
    }

    private func scalar(_ value: Value?, _ key: String) throws(ConfigurationError) -> String? {
        guard let value else { return nil }
        guard case .scalar(let scalar) = value.node, !scalar.string.isEmpty else {
            throw ConfigurationError(origin: value.origin, key: key, reason: "expected a non-empty string")
        }
        return scalar.string
    }

    private func strings(_ value: Value?, _ key: String) throws(ConfigurationError) -> [String] {
        guard let value else { return [] }
        guard case .sequence(let items) = value.node else {
            throw ConfigurationError(origin: value.origin, key: key, reason: "expected a list of strings")
        }
        var result: [String] = []
        for item in items {
            guard case .scalar(let scalar) = item, !scalar.string.isEmpty else {
                throw ConfigurationError(origin: value.origin, key: key, reason: "expected a list of strings")
            }
            result.append(scalar.string)
        }
        return result
    }

    /// The value of the environment variable a `*_env` key names.
    private func secret(_ value: Value?, _ key: String) throws(ConfigurationError) -> String? {
        guard let name = try scalar(value, key) else { return nil }
        guard let secret = environment[name], !secret.isEmpty else {
            throw ConfigurationError(origin: value!.origin, key: key, reason: "the environment variable \(name) is not set")
        }
        return secret
    }

    private func organizations(_ root: [String: Value]) throws(ConfigurationError) -> [DaemonConfiguration.OrganizationEntry] {
        var result: [DaemonConfiguration.OrganizationEntry] = []
        for (index, item) in (try list(root, "organizations") ?? []).enumerated() {
            let key = "organizations[\(index)]"
            let members = try fields(item, key, allowed: Self.keys(under: "organizations[]"))
            guard let slug = try scalar(members["slug"], "\(key).slug") else {
                throw ConfigurationError(origin: item.origin, key: "\(key).slug", reason: "is required")
            }
            var projects: [DaemonConfiguration.ProjectEntry] = []
            guard let projectList = members["projects"], case .sequence(let projectNodes) = projectList.node else {
                throw ConfigurationError(origin: members["projects"]?.origin ?? item.origin, key: "\(key).projects", reason: "expected a list of projects")
            }
            let file = projectList.origin.hasPrefix("NOTIFYD_") ? nil : projectList.origin.split(separator: ":").first.map(String.init)
            for (projectIndex, node) in projectNodes.enumerated() {
                let projectKey = "\(key).projects[\(projectIndex)]"
                let value = Value(node: node, origin: file.map { Self.origin($0, node) } ?? projectList.origin)
                let projectFields = try fields(value, projectKey, allowed: Self.keys(under: "organizations[].projects[]"))
                guard let projectSlug = try scalar(projectFields["slug"], "\(projectKey).slug") else {
                    throw ConfigurationError(origin: value.origin, key: "\(projectKey).slug", reason: "is required")
                }
                var keys = try strings(projectFields["ingest_keys"], "\(projectKey).ingest_keys")
                if let fromEnvironment = try secret(projectFields["ingest_key_env"], "\(projectKey).ingest_key_env") {
                    keys.insert(fromEnvironment, at: 0)
                }
                for ingestKey in keys where ingestKey.utf8.count < 16 {
                    throw ConfigurationError(origin: value.origin, key: "\(projectKey).ingest_keys", reason: "keys must have at least 16 characters")
                }
                projects.append(.init(slug: projectSlug, ingestKeys: keys))
            }
            result.append(.init(slug: slug, projects: projects))
        }
        return result
    }

    private func tokens(_ root: [String: Value]) throws(ConfigurationError) -> [DaemonConfiguration.TokenEntry] {
        var result: [DaemonConfiguration.TokenEntry] = []
        for (index, item) in (try list(root, "tokens") ?? []).enumerated() {
            let key = "tokens[\(index)]"
            let members = try fields(item, key, allowed: Self.keys(under: "tokens[]"))
            var presented = try secret(members["token_env"], "\(key).token_env")
            if presented == nil { presented = try scalar(members["token"], "\(key).token") }
            guard let token = presented else {
                throw ConfigurationError(origin: item.origin, key: key, reason: "needs token or token_env")
            }
            guard token.utf8.count >= 16 else {
                throw ConfigurationError(origin: item.origin, key: "\(key).token", reason: "tokens must have at least 16 characters")
            }
            var scopes: Set<Scope> = []
            for name in try strings(members["scopes"], "\(key).scopes") {
                guard let scope = Scope(rawValue: name) else {
                    throw ConfigurationError(
                        origin: members["scopes"]!.origin, key: "\(key).scopes",
                        reason: "unknown scope '\(name)' (expected \(Scope.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                scopes.insert(scope)
            }
            if scopes.isEmpty { scopes = [.read] }
            let name = try scalar(members["name"], "\(key).name") ?? "token-\(index + 1)"
            result.append(.init(name: name, token: token, scopes: scopes))
        }
        return result
    }
}
