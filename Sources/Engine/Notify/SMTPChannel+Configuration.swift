public import Foundation

extension SMTPChannel {
    /// Whether a plain `smtp://` session is upgraded to TLS with STARTTLS. An `smtps://` server
    /// speaks TLS from the first byte, so there the choice is moot (and `never` a contradiction).
    public enum StartTLS: String, Sendable, Hashable, CaseIterable {
        /// The session stays plain text, credentials included: only for a relay on the same
        /// host or a network you trust.
        case never
        /// Upgrade when the server offers STARTTLS, stay plain when it does not (libcurl's
        /// `CURLUSESSL_TRY`). A server that offers it but fails the handshake or the
        /// certificate check is an error, not a reason to fall back to plain text.
        case optional
        /// Upgrade or fail: a server that does not offer STARTTLS is an error, retried
        /// (`CURLUSESSL_ALL`).
        case required
    }

    /// Where and how email is sent.
    public struct Configuration: Sendable {
        /// The server: `smtp://host:port` (port 25 or 587, say) or `smtps://host:port` (465).
        /// A path names the domain sent in `EHLO` (`smtp://mail.example.com:587/notifyd.example.com`);
        /// without one libcurl sends this machine's host name. No credentials in the URL.
        public var url: String
        /// STARTTLS for `smtp://`.
        public var startTLS: StartTLS
        /// The environment variable holding the AUTH username; with `passwordEnv`, or neither
        /// (no AUTH).
        public var usernameEnv: String?
        /// The environment variable holding the AUTH password. Both are looked up at delivery
        /// time (one that is not set makes the delivery wait for a retry, it does not stop the
        /// channel) and never logged or recorded.
        public var passwordEnv: String?
        /// The envelope sender (`MAIL FROM`), where bounces go; `nil` uses the renderer's `From`.
        public var envelopeFrom: String?
        /// The longest wait for the connection, TLS handshake included.
        public var connectTimeout: Duration
        /// The longest one message may take, connection included; keep it well under the
        /// dispatcher's lease.
        public var timeout: Duration
        /// A PEM file of certificates to trust instead of the system's (a private CA, a test
        /// server's self-signed certificate).
        public var caFile: String?
        /// Whether the server's certificate and host name are checked. Switch it off only in
        /// tests: without it anyone on the path can read the credentials.
        public var verifyPeer: Bool
        /// The threads libcurl's blocking transfers run on: the most messages in flight at
        /// once; match the dispatcher's `concurrencyPerHost`, since every email goes to one server.
        public var threads: Int
        /// Environment variables, where `usernameEnv` and `passwordEnv` are looked up.
        public var environment: [String: String]

        /// Creates a configuration.
        public init(
            url: String, startTLS: StartTLS = .optional, usernameEnv: String? = nil, passwordEnv: String? = nil, envelopeFrom: String? = nil,
            connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(30), caFile: String? = nil, verifyPeer: Bool = true,
            threads: Int = 4, environment: [String: String] = ProcessInfo.processInfo.environment
        ) {
            self.url = url
            self.startTLS = startTLS
            self.usernameEnv = usernameEnv
            self.passwordEnv = passwordEnv
            self.envelopeFrom = envelopeFrom
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.caFile = caFile
            self.verifyPeer = verifyPeer
            self.threads = threads
            self.environment = environment
        }

        /// The server's host (for the dispatcher's per-host limit), or why this configuration
        /// cannot send anything. The URL itself is never quoted: a mistaken one may hold a password.
        func serverHost() throws(ConfigurationError) -> String {
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), scheme == "smtp" || scheme == "smtps"
            else { throw ConfigurationError(field: "url", reason: "expected smtp://host:port or smtps://host:port") }
            guard let host = components.host, !host.isEmpty else { throw ConfigurationError(field: "url", reason: "the URL names no host") }
            guard components.user == nil, components.password == nil else {
                throw ConfigurationError(
                    field: "url", reason: "credentials do not belong in the URL; name environment variables in usernameEnv and passwordEnv")
            }
            guard components.query == nil, components.fragment == nil else {
                throw ConfigurationError(field: "url", reason: "the URL may not have a query or fragment")
            }
            if scheme == "smtps" && startTLS == .never {
                throw ConfigurationError(field: "startTLS", reason: "smtps:// always uses TLS; 'never' contradicts it")
            }
            if (usernameEnv == nil) != (passwordEnv == nil) {
                throw ConfigurationError(field: "usernameEnv/passwordEnv", reason: "set both (AUTH) or neither")
            }
            if let envelopeFrom, !envelopeFrom.contains("@") || envelopeFrom.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) {
                throw ConfigurationError(field: "envelopeFrom", reason: "'\(envelopeFrom)' is not a bare email address")
            }
            guard connectTimeout > .zero, timeout > .zero else {
                throw ConfigurationError(field: "connectTimeout/timeout", reason: "timeouts must be positive")
            }
            guard threads >= 1 else { throw ConfigurationError(field: "threads", reason: "at least one thread is needed") }
            return host.lowercased()
        }

        /// The AUTH credentials from the environment, `nil` when none are configured.
        func credentials() throws(MissingCredentials) -> SMTPTransfer.Credentials? {
            guard let usernameEnv, let passwordEnv else { return nil }
            guard let username = environment[usernameEnv], !username.isEmpty else { throw MissingCredentials(variable: usernameEnv) }
            guard let password = environment[passwordEnv], !password.isEmpty else { throw MissingCredentials(variable: passwordEnv) }
            return SMTPTransfer.Credentials(username: username, password: password)
        }
    }

    /// Why a configuration cannot send anything: the field and what is wrong with it.
    public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
        /// The configuration field (`url`, `startTLS`, …).
        public var field: String
        /// What is wrong with it.
        public var reason: String
        public var description: String { "SMTP \(field): \(reason)" }
    }

    /// An AUTH variable that is not set (its name only, never a value).
    struct MissingCredentials: Error, CustomStringConvertible {
        var variable: String
        var description: String { "the SMTP credentials variable \(variable) is not set" }
    }
}
