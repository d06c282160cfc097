import Foundation
import HTTPTypes
import Hummingbird

extension Daemon {
    /// The project named in the path, after checking the request's ingest key: 404 for an
    /// unknown project, 401 for a missing or wrong key, 429 over the key's rate.
    ///
    /// The key comes from `Authorization: Bearer <key>`, `X-Sentry-Auth: Sentry sentry_key=<key>`
    /// or, as Sentry SDKs may send it, the `sentry_key` query parameter.
    func authorizeIngest(_ request: Request, organization: String, project: String) throws -> Credentials.ProjectAccess {
        guard let access = credentials.project(organizationSlug: organization, projectSlug: project) else {
            throw APIError.notFound("The requested resource does not exist")
        }
        try authorizeIngest(request, access: access)
        return access
    }

    /// Checks the request's ingest key against a project already found.
    func authorizeIngest(_ request: Request, access: Credentials.ProjectAccess) throws {
        try authorizeIngest(key: Self.ingestKey(request), access: access)
    }

    /// Checks an ingest key, wherever it was found, against a project: 401 when it is missing or
    /// not the project's, 429 over its rate.
    func authorizeIngest(key: String?, access: Credentials.ProjectAccess) throws {
        guard let key, credentials.accepts(key, for: access) else {
            throw APIError(.unauthorized, "Invalid or missing ingest key for this project")
        }
        try throttle(key)
    }

    /// The token of a `Authorization: Bearer` header if it has `scope`: 401 without a valid
    /// token, 403 without the scope, 429 over the token's rate.
    @discardableResult
    func authorize(_ request: Request, scope: Scope) throws -> Credentials.TokenAccess {
        guard let presented = Self.bearer(request), let token = credentials.token(presented) else { throw APIError.unauthorized }
        guard token.scopes.contains(where: { $0 >= scope }) else { throw APIError.forbidden(scope) }
        try throttle(presented)
        return token
    }

    /// 429 with `Retry-After` when `key` is over its request rate.
    private func throttle(_ key: String) throws {
        if let wait = limiter.acquire(key) {
            throw APIError(.tooManyRequests, "Too many requests; retry in \(wait) s", headers: [.retryAfter: String(wait)])
        }
    }

    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    static func ingestKey(_ request: Request) -> String? {
        if let bearer = bearer(request) { return bearer }
        if let header = request.headers[HTTPField.Name("X-Sentry-Auth")!] {
            return sentryKey(in: header)
        }
        return request.uri.queryParameters["sentry_key"].map(String.init)
    }

    /// `sentry_key` from an `X-Sentry-Auth` header (`Sentry sentry_key=…, sentry_version=7`).
    static func sentryKey(in header: String) -> String? {
        var text = Substring(header).drop { $0 == " " }
        if text.lowercased().hasPrefix("sentry ") { text = text.dropFirst(7) }
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0] == "sentry_key" { return pair[1] }
        }
        return nil
    }
}
