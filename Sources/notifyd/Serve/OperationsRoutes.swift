import Engine
import Foundation
import Hummingbird

/// `/healthz`, `/metrics` and `/openapi.yaml`: for load balancers, Prometheus and API clients;
/// no authentication, and nothing secret in them.
struct OperationsRoutes {
    let daemon: Daemon

    func register(on router: Router<DaemonRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            var checks: [String: JSONValue] = [:]
            var healthy = true
            do {
                _ = try await daemon.engine.store.read { try $0.organizations().count }
                checks["store"] = "ok"
            } catch {
                checks["store"] = .string("unreachable: \(error)")
                healthy = false
            }
            checks["rules"] = .object(["loaded": .int(Int64(daemon.evaluator.rules.rules.count))])
            let running = daemon.dispatcherRunning.isRunning
            checks["dispatcher"] = running ? "running" : "stopped"
            healthy = healthy && running
            return .json(
                .object(["status": healthy ? "ok" : "unhealthy", "checks": .object(checks)]), status: healthy ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ -> Response in
            guard let metrics = daemon.metrics else { throw APIError.notFound("Metrics are not enabled in this process") }
            return .text(metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/openapi.yaml") { _, _ -> Response in
            .text(try OpenAPIDocument.text(), contentType: "application/yaml")
        }
    }
}

/// The OpenAPI 3.1 document of the API, a resource of the executable (the same file as
/// `Sources/notifyd/Resources/openapi.yaml`).
enum OpenAPIDocument {
    static func text() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw APIError(.internalServerError, "the OpenAPI document is missing from the build")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
