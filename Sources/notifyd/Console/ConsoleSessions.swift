import Crypto
import Engine
import Foundation
import HTTPTypes
import Hummingbird

/// Sign-in to the console with an API token, as sessions in the store.
///
/// A session id is 32 random bytes, given to the browser in an `HttpOnly`, `SameSite=Lax`
/// cookie (`Secure` when the base URL is https) scoped to the console's path; the store keeps
/// only its SHA-256 digest. A session ends after `idleTimeout` without a request or
/// `lifetime` after sign-in, whichever comes first, or at sign-out; removing its token from the
/// configuration ends it too, since the scopes are looked up on every request.
struct ConsoleSessions: Sendable {
    /// The session cookie's name.
    static let cookieName = "notifyd_session"
    /// The sign-in form's anti-forgery cookie (there is no session yet to hold its token).
    static let loginCookieName = "notifyd_login"
    /// Twelve hours without a request end a session, as a working day plus some.
    static let idleTimeout: TimeInterval = 12 * 3600
    /// A session lasts a week at most, however busy.
    static let lifetime: TimeInterval = 7 * 86_400
    /// A session's last use is written at most once a minute (a page view is not a write).
    static let touchInterval: TimeInterval = 60

    let store: any Store
    let credentials: Credentials
    let links: ConsoleLinks

    /// Opens a session for a valid token; `nil` for a wrong one. Expired sessions are swept
    /// while at it.
    func signIn(token presented: String, now: Date = Date()) async throws -> (cookieValue: String, user: ConsoleUser)? {
        guard let token = credentials.token(presented) else { return nil }
        let id = Credentials.generateKey(bytes: 32)
        let session = ConsoleSession(
            idDigest: Self.digest(id), tokenName: token.name, csrfToken: Credentials.generateKey(bytes: 32), createdAt: now, lastSeenAt: now)
        try await store.write { transaction in
            _ = try transaction.deleteConsoleSessions(
                lastSeenBefore: now.addingTimeInterval(-Self.idleTimeout), createdBefore: now.addingTimeInterval(-Self.lifetime))
            try transaction.insertConsoleSession(session)
        }
        return (id, ConsoleUser(tokenName: token.name, scopes: token.scopes, csrfToken: session.csrfToken, sessionDigest: session.idDigest))
    }

    /// The signed-in user of a request, if its cookie names a live session whose token is still
    /// configured.
    func user(_ request: Request, now: Date = Date()) async throws -> ConsoleUser? {
        guard let id = request.cookies[Self.cookieName]?.value, !id.isEmpty else { return nil }
        let digest = Self.digest(id)
        guard let session = try await store.read({ try $0.consoleSession(idDigest: digest) }) else { return nil }
        guard now.timeIntervalSince(session.lastSeenAt) < Self.idleTimeout, now.timeIntervalSince(session.createdAt) < Self.lifetime,
            let token = credentials.tokens.first(where: { $0.name == session.tokenName })
        else { return nil }
        if now.timeIntervalSince(session.lastSeenAt) > Self.touchInterval {
            try await store.write { try $0.touchConsoleSession(idDigest: digest, at: now) }
        }
        return ConsoleUser(tokenName: token.name, scopes: token.scopes, csrfToken: session.csrfToken, sessionDigest: digest)
    }

    /// Ends a session.
    func signOut(_ user: ConsoleUser) async throws {
        try await store.write { try $0.deleteConsoleSession(idDigest: user.sessionDigest) }
    }

    /// The session cookie; an empty value with `Max-Age=0` removes it.
    func cookie(_ value: String, name: String = ConsoleSessions.cookieName, maxAge: Int = Int(ConsoleSessions.lifetime)) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: links.cookiePath, secure: links.isSecure, httpOnly: true, sameSite: .lax)
    }

    // MARK: Forgery checks

    /// Whether a POST may act: its `csrf` field is the expected token (compared in constant
    /// time) and it comes from this site (`Origin`, or `Sec-Fetch-Site` when a browser sends no
    /// `Origin`).
    func isGenuine(_ request: Request, form: FormParameters, expected: String) -> Bool {
        guard let presented = form["csrf"], !expected.isEmpty, Credentials.constantTimeEquals(presented, expected) else { return false }
        return isSameOrigin(request)
    }

    func isSameOrigin(_ request: Request) -> Bool {
        if let origin = request.headers[.origin] {
            return links.allowedOrigins(host: request.head.authority).contains(origin.lowercased())
        }
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] {
            return site == "same-origin" || site == "none"
        }
        return true
    }

    // MARK: Helpers

    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
