import Engine
import Foundation
import Hummingbird

/// The outbox for operators: list deliveries (`event:read`), see one with its attempts, and
/// resend delivered or dead ones (`event:admin`) — the API of `notifyd deliveries`.
struct DeliveryRoutes {
    let daemon: Daemon

    func register(on router: Router<DaemonRequestContext>) {
        router.get("/api/0/deliveries") { request, context -> Response in
            try daemon.authorize(request, scope: .read)
            let parameters = request.uri.queryParameters
            var state: Delivery.State?
            if let text = parameters["state"] {
                guard let value = Delivery.State(rawValue: String(text)) else {
                    throw APIError.badRequest("state must be pending, delivered or dead", field: "state")
                }
                state = value
            }
            var limit = 100
            if let text = parameters["limit"] {
                guard let value = Int(text), (1...1000).contains(value) else { throw APIError.badRequest("invalid limit", field: "limit") }
                limit = value
            }
            let deliveries = try await daemon.engine.store.read { [state, limit] in try $0.deliveries(state: state, limit: limit) }
            return .json(.array(deliveries.map { DeliveryJSON.json($0) }))
        }
        router.get("/api/0/deliveries/{id}") { request, context -> Response in
            try daemon.authorize(request, scope: .read)
            let id = try context.parameters.require("id")
            let found = try await daemon.engine.store.read { reader -> (Delivery, [DeliveryAttempt])? in
                guard let delivery = try reader.delivery(id: id) else { return nil }
                return (delivery, try reader.deliveryAttempts(deliveryID: id))
            }
            guard let (delivery, attempts) = found else { throw APIError.notFound("No delivery with the id \(id)") }
            return .json(DeliveryJSON.json(delivery, attempts: attempts))
        }
        router.post("/api/0/deliveries/{id}/redeliver") { request, context -> Response in
            try daemon.authorize(request, scope: .admin)
            let id = try context.parameters.require("id")
            guard try await daemon.engine.store.write({ try $0.redeliver(id: id, now: Date()) }) else {
                throw APIError.notFound("No delivered or dead delivery with the id \(id)")
            }
            return .json(.object(["redelivered": .int(1)]), status: .accepted)
        }
        router.post("/api/0/deliveries/redeliver-dead") { request, _ -> Response in
            try daemon.authorize(request, scope: .admin)
            let count = try await daemon.engine.store.write { try $0.redeliverDead(now: Date()) }
            return .json(.object(["redelivered": .int(Int64(count))]), status: .accepted)
        }
    }
}
