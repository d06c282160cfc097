import Foundation

/// A Sentry DSN, `http(s)://<public_key>[:<secret_key>]@<host>[:<port>]/[<path>/]<project_id>`:
/// the address an SDK is configured with, and what an envelope header's `dsn` carries.
///
/// ```swift
/// let dsn = try DSN(parsing: "https://abc123@notifyd.example.com/42")
/// dsn.publicKey   // "abc123", the `sentry_key`
/// dsn.projectID   // 42
/// ```
public struct DSN: Sendable, Hashable, CustomStringConvertible {
    /// Why a text is not a DSN.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What was wrong.
        public var reason: String
        public var description: String { reason }
    }

    /// `http` or `https`.
    public var scheme: String
    /// The public key, which SDKs send as `sentry_key`.
    public var publicKey: String
    /// The secret key of old DSNs; current SDKs leave it out.
    public var secretKey: String?
    /// The host name.
    public var host: String
    /// The port, when the DSN names one.
    public var port: Int?
    /// The path before the project id, without a trailing slash (`/sentry`); empty for most DSNs.
    public var path: String
    /// The project id, the last path component.
    public var projectID: Int64

    /// Parses a DSN.
    public init(parsing text: String) throws(ParseError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw ParseError(reason: "'\(text)' is not a URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw ParseError(reason: "the scheme must be http or https, not '\(scheme)'")
        }
        guard let publicKey = components.user, !publicKey.isEmpty else {
            throw ParseError(reason: "the DSN has no public key (expected \(scheme)://<key>@host/<project_id>)")
        }
        guard let host = components.host, !host.isEmpty else { throw ParseError(reason: "the DSN has no host") }
        var pathComponents = components.path.split(separator: "/", omittingEmptySubsequences: true)
        guard let last = pathComponents.popLast(), let projectID = Int64(last), projectID > 0 else {
            throw ParseError(reason: "the DSN's path must end with a numeric project id")
        }
        self.scheme = scheme
        self.publicKey = publicKey
        self.secretKey = components.password.flatMap { $0.isEmpty ? nil : $0 }
        self.host = host
        self.port = components.port
        self.path = pathComponents.isEmpty ? "" : "/" + pathComponents.joined(separator: "/")
        self.projectID = projectID
    }

    /// The DSN as text, without the secret key (so it is safe to log).
    public var description: String {
        "\(scheme)://\(publicKey)@\(host)\(port.map { ":\($0)" } ?? "")\(path)/\(projectID)"
    }
}
