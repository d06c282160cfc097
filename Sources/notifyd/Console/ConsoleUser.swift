/// Who is signed in to the console: the API token's name and its scopes, and the token the
/// session's forms carry. A page shows only the buttons the scopes allow; a POST is checked
/// again, so a forged form gets 403.
struct ConsoleUser: Sendable {
    /// The token's name from the configuration (never the token).
    var tokenName: String
    /// What the token may do.
    var scopes: Set<Scope>
    /// The session's anti-forgery token.
    var csrfToken: String
    /// The digest of the session id (for sign-out).
    var sessionDigest: String

    /// Whether the session may do what needs `scope`.
    func may(_ scope: Scope) -> Bool { scopes.contains { $0 >= scope } }

    /// The highest scope, as shown beside the name.
    var highestScope: Scope { scopes.max() ?? .read }
}
