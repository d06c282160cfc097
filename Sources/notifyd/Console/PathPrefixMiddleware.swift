import Hummingbird

/// Serves everything under the path of the base URL: with `base_url:
/// https://example.com/notifyd`, a proxy that forwards `/notifyd/organizations/…` unchanged
/// reaches the route `/organizations/…`, so the links in emails, webhooks and pages all work.
/// Paths without the prefix are served as they are (a proxy that strips it, or a local client).
struct PathPrefixMiddleware<Context: RequestContext>: RouterMiddleware {
    /// `""` (nothing to do) or `/notifyd`.
    let prefix: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !prefix.isEmpty, let path = request.head.path, path == prefix || path.hasPrefix(prefix + "/") || path.hasPrefix(prefix + "?") else {
            return try await next(request, context)
        }
        var head = request.head
        let rest = path.dropFirst(prefix.count)
        head.path = rest.isEmpty || rest.first == "?" ? "/" + rest : String(rest)
        return try await next(Request(head: head, body: request.body), context)
    }
}
