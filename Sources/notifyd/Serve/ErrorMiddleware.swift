import Hummingbird

/// Gives Hummingbird's own errors (an unknown route, a method not allowed) the API's JSON shape,
/// `{"detail": …}`, so every error a client sees reads the same.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            throw APIError(error.status, error.body ?? (error.status == .notFound ? "The requested resource does not exist" : error.status.reasonPhrase))
        }
    }
}
