import Engine
import Foundation

/// Every URL the console writes, under the path of the configured base URL: with
/// `base_url: https://example.com/notifyd` the pages, their assets and their links all live
/// under `/notifyd/`, as the links in emails and webhooks expect (the way Alertmanager's route
/// prefix follows its external URL).
struct ConsoleLinks: Sendable {
    /// The path prefix without a trailing slash: `""` or `/notifyd`.
    let root: String
    /// The base URL's `scheme://host[:port]`, lower-cased.
    let origin: String
    /// Whether the base URL is https (cookies are then `Secure`).
    let isSecure: Bool

    init(baseURL: String) {
        let components = URLComponents(string: baseURL)
        var path = components?.path ?? ""
        while path.hasSuffix("/") { path.removeLast() }
        root = path
        let scheme = components?.scheme?.lowercased() ?? "http"
        isSecure = scheme == "https"
        let port = components?.port.map { ":\($0)" } ?? ""
        origin = "\(scheme)://\(components?.host?.lowercased() ?? "")\(port)"
    }

    /// The path cookies are scoped to.
    var cookiePath: String { root.isEmpty ? "/" : root + "/" }

    /// Origins a form may be posted from: the base URL's, and the one the browser used
    /// (`Host`), which differ when the daemon is reached as localhost and configured as 127.0.0.1.
    func allowedOrigins(host: String?) -> Set<String> {
        var origins: Set<String> = [origin]
        if let host = host?.lowercased(), !host.isEmpty {
            origins.insert("http://\(host)")
            origins.insert("https://\(host)")
        }
        return origins
    }

    func organization(_ slug: String) -> String { "\(root)/organizations/\(slug)" }
    func issues(_ organization: String) -> String { self.organization(organization) + "/issues/" }
    func issue(_ organization: String, _ id: Int64) -> String { self.organization(organization) + "/issues/\(id)/" }
    func events(_ organization: String, _ id: Int64) -> String { issue(organization, id) + "events/" }
    func rules(_ organization: String) -> String { self.organization(organization) + "/alerts/rules/" }
    func rule(_ organization: String, project: String, id: String) -> String {
        rules(organization) + "\(Self.segment(project))/\(Self.segment(id))/details/"
    }
    func deliveries(_ organization: String) -> String { self.organization(organization) + "/deliveries/" }
    func delivery(_ organization: String, _ id: String) -> String { deliveries(organization) + "\(Self.segment(id))/" }
    func login(next: String?) -> String {
        guard let next, !next.isEmpty else { return "\(root)/login" }
        return "\(root)/login?" + Self.query([("next", next)])
    }

    /// `name=value&…`, each value percent-encoded as a form would.
    static func query(_ pairs: [(String, String)]) -> String { MailContextBuilder.encode(pairs) }

    /// One path segment, percent-encoded.
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// A `next` target for after sign-in: only a path of this console (no scheme, no host, no
    /// `//`), so the sign-in page cannot send anyone to another site.
    func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix(cookiePath) || next == root, !next.hasPrefix("//"), !next.contains("\\"),
            !next.contains("\r"), !next.contains("\n"), URLComponents(string: next)?.host == nil
        else { return nil }
        return next
    }
}
