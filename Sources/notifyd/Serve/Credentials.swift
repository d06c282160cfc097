import Crypto
import Engine
import Foundation

/// The daemon's secrets at run time: each project's ingest keys and the API tokens with their
/// scopes. Every comparison is constant-time, so a response's timing does not tell an attacker
/// how much of a guessed key was right.
struct Credentials: Sendable {
    /// A project a key belongs to, with its organization.
    struct ProjectAccess: Sendable {
        var organization: Organization
        var project: Project
        var keys: [String]
    }

    /// A token's name (for logs; never the token) and scopes.
    struct TokenAccess: Sendable {
        var name: String
        var token: String
        var scopes: Set<Scope>
    }

    var projects: [ProjectAccess]
    var tokens: [TokenAccess]

    /// The project `organizationSlug/projectSlug` if `key` is one of its ingest keys.
    func project(organizationSlug: String, projectSlug: String) -> ProjectAccess? {
        projects.first { $0.organization.slug == organizationSlug && $0.project.slug == projectSlug }
    }

    /// The project with this id (Sentry SDKs name projects by number).
    func project(id: Int64) -> ProjectAccess? {
        projects.first { $0.project.id == id }
    }

    /// Whether `key` is one of the project's ingest keys.
    func accepts(_ key: String, for project: ProjectAccess) -> Bool {
        // Every key is compared, so the time taken does not depend on which one matched.
        project.keys.reduce(false) { matched, candidate in Self.constantTimeEquals(candidate, key) || matched }
    }

    /// The token `presented` is, if any.
    func token(_ presented: String) -> TokenAccess? {
        var found: TokenAccess?
        for token in tokens where Self.constantTimeEquals(token.token, presented) {
            found = token
        }
        return found
    }

    /// Compares the SHA-256 digests of both strings byte by byte without stopping early: the
    /// digests have the same length whatever the inputs, so neither length nor content leaks.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(SHA256.hash(data: Data(lhs.utf8)))
        let right = Array(SHA256.hash(data: Data(rhs.utf8)))
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }

    /// 32 random hex digits, the shape of a Sentry DSN key.
    /// With `bytes`, that many random bytes in hex (session ids, form tokens).
    static func generateKey(bytes: Int = 16) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
