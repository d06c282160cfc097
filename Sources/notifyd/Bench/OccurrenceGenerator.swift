import Engine
import Foundation

/// Makes realistic occurrence messages for benchmarks: an error type, an embedded event with
/// tags, contexts, a user and a short stack trace, spread round-robin over `distinct`
/// fingerprints.
struct OccurrenceGenerator: Sendable {
    let projectID: Int64
    let distinct: Int
    let start = Date().timeIntervalSince1970 - 3600

    func message(_ index: Int) -> Data {
        let fingerprint = "bench-fingerprint-\(index % distinct)"
        let id = String(format: "%032x", index + 1)
        let eventID = String(format: "%016x%016x", index + 1, 0xbe9c)
        let timestamp = start + Double(index) * 0.001
        let event: JSONValue = .object([
            "event_id": .string(eventID),
            "project_id": .int(projectID),
            "platform": "python",
            "timestamp": .double(timestamp),
            "received": .double(timestamp),
            "environment": index % 2 == 0 ? "production" : "staging",
            "release": .string("backend@1.\(index % 7).0"),
            "tags": .object([
                "browser": "Chrome 131", "os": "Linux", "server_name": .string("web-\(index % 16)"), "transaction": "/api/checkout",
                "url": "https://shop.example.com/checkout",
            ]),
            "user": .object(["id": .string(String(index % 5000)), "email": .string("user\(index % 5000)@example.com"), "ip_address": "10.0.0.1"]),
            "contexts": .object([
                "runtime": .object(["name": "CPython", "version": "3.12.1"]),
                "os": .object(["name": "Linux", "version": "6.1"]),
            ]),
            "sdk": .object(["name": "sentry.python", "version": "2.19.0"]),
            "stacktrace": .object([
                "frames": .array((0..<4).map { frame in
                    .object([
                        "filename": .string("app/checkout/step\(frame).py"), "function": .string("handle_step_\(frame)"),
                        "lineno": .int(Int64(40 + frame)), "in_app": true,
                    ])
                })
            ]),
        ])
        let message: JSONValue = .object([
            "id": .string(id),
            "project_id": .int(projectID),
            "event_id": .string(eventID),
            "fingerprint": .array([.string(fingerprint)]),
            "issue_title": .string("CheckoutError: payment provider timed out (\(index % distinct))"),
            "subtitle": "The payment provider did not answer within 30 seconds.",
            "resource_id": .null,
            "evidence_data": .object(["provider": "acme-pay", "timeout_ms": 30000]),
            "evidence_display": .array([
                .object(["name": "Provider", "value": "acme-pay", "important": true]),
                .object(["name": "Timeout", "value": "30 s", "important": false]),
            ]),
            "type": 1,
            "detection_time": .double(timestamp),
            "level": "error",
            "culprit": "app.checkout.step3 in handle_step_3",
            "payload_type": "occurrence",
            "event": event,
        ])
        return message.serialized()
    }
}
