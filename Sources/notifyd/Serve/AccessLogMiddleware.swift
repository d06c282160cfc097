import Foundation
import Hummingbird
import Logging

/// Logs one line per request: method, path without the query (a query may carry a
/// `sentry_key`), status and duration. Headers are never logged: they carry keys and tokens.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: response.status.code, started: started)
            return response
        } catch let error as any HTTPResponseError {
            log(request, status: error.status.code, started: started)
            throw error
        } catch {
            log(request, status: 500, started: started)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.inSeconds * 1000
        let level: Logger.Level = status >= 500 ? .error : .debug
        logger.log(
            level: level, "request",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(status)",
                "duration_ms": "\(String(format: "%.2f", milliseconds))",
            ])
    }
}
