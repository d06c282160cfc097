import Hummingbird

/// Serves everything under the path of the base URL: with `base_url:
/// https://example.com/notifyd`, a proxy that forwards `/notifyd/organizations/…` unchanged
/// reaches the route `/organizations/…`, so the links in emails, webhooks and pages all work.
/// Paths without the prefix are served as they are (a proxy that strips it, or a local client).
///
/// A responder around the router rather than a router middleware: Hummingbird matches the
/// route before its middleware runs, so the path must change before the router sees it.
struct PathPrefixResponder<Responder: HTTPResponder>: HTTPResponder {
    /// `""` (nothing to do) or `/notifyd`.
    let prefix: String
    let responder: Responder

    func respond(to request: Request, context: Responder.Context) async throws -> Response {
        guard !prefix.isEmpty, let path = request.head.path, path == prefix || path.hasPrefix(prefix + "/") || path.hasPrefix(prefix + "?") else {
            return try await responder.respond(to: request, context: context)
        }
        var head = request.head
        let rest = path.dropFirst(prefix.count)
        head.path = rest.isEmpty || rest.first == "?" ? "/" + rest : String(rest)
        return try await responder.respond(to: Request(head: head, body: request.body), context: context)
    }
}

/// The daemon's router behind a `PathPrefixResponder`.
struct PathPrefixRouter<Builder: HTTPResponderBuilder>: HTTPResponderBuilder {
    let prefix: String
    let router: Builder

    func buildResponder() -> PathPrefixResponder<Builder.Responder> {
        PathPrefixResponder(prefix: prefix, responder: router.buildResponder())
    }
}
