public import Foundation

/// A signed-in browser session of the console. The session id itself lives only in the
/// browser's cookie; the store keeps its SHA-256 digest, so a copy of the database cannot be
/// used to sign in. The session carries the *name* of the API token it was opened with, not
/// the token: its scopes are looked up in the configuration on every request, so removing a
/// token from the configuration ends its sessions.
public struct ConsoleSession: Sendable, Hashable {
    /// The hex SHA-256 digest of the session id.
    public var idDigest: String
    /// The name of the API token that signed in.
    public var tokenName: String
    /// The token every form of this session carries (cross-site request forgery protection).
    public var csrfToken: String
    /// When the session was opened (for the absolute expiry).
    public var createdAt: Date
    /// When it was last used (for the idle expiry).
    public var lastSeenAt: Date

    /// Creates a session record.
    public init(idDigest: String, tokenName: String, csrfToken: String, createdAt: Date, lastSeenAt: Date) {
        self.idDigest = idDigest
        self.tokenName = tokenName
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}
