import Engine
import Foundation

/// Makes realistic occurrence messages for benchmarks: an error type, an embedded event with
/// tags, contexts, a user and a short stack trace, spread round-robin over `distinct`
/// fingerprints.
///
/// The message is serialized once with placeholders; each message is that template with the
/// per-message values spliced in, so the generator costs little next to what it measures.
struct OccurrenceGenerator: Sendable {
    let projectID: Int64
    let distinct: Int
    /// The template split at its placeholders: literal bytes, or the index of a placeholder.
    private let segments: [Segment]
    private enum Segment: Sendable {
        case bytes([UInt8])
        case placeholder(Int)
    }
    private let start = Date().timeIntervalSince1970 - 3600

    private static let placeholders = ["@ID@", "@EVENT@", "@FP@", "@TS@", "@N@"]

    init(projectID: Int64, distinct: Int) {
        self.projectID = projectID
        self.distinct = distinct
        var text = Self.template(projectID: projectID).serializedString()
        // Numeric placeholders were written as strings; drop their quotes.
        text = text.replacingOccurrences(of: "\"@TS@\"", with: "@TS@")
        var segments: [Segment] = []
        var rest = Substring(text)
        while let range = Self.placeholders.compactMap({ rest.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            segments.append(.bytes(Array(rest[..<range.lowerBound].utf8)))
            segments.append(.placeholder(Self.placeholders.firstIndex(of: String(rest[range]))!))
            rest = rest[range.upperBound...]
        }
        segments.append(.bytes(Array(rest.utf8)))
        self.segments = segments
    }

    func message(_ index: Int) -> Data {
        // In the order of `placeholders`.
        let values = [
            Self.hex(index + 1, width: 32), Self.hex(index + 1, width: 16) + Self.hex(0xbe9c, width: 16), String(index % distinct),
            String(start + Double(index) * 0.001), String(index % 7),
        ]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1600)
        for segment in segments {
            switch segment {
            case .bytes(let literal): bytes.append(contentsOf: literal)
            case .placeholder(let number): bytes.append(contentsOf: values[number].utf8)
            }
        }
        return Data(bytes)
    }

    private static func hex(_ value: Int, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func template(projectID: Int64) -> JSONValue {
        let id: JSONValue = "@ID@"
        let eventID: JSONValue = "@EVENT@"
        let timestamp: JSONValue = "@TS@"
        let event: JSONValue = .object([
            "event_id": eventID,
            "project_id": .int(projectID),
            "platform": "python",
            "timestamp": timestamp,
            "received": timestamp,
            "environment": "production",
            "release": "backend@1.@N@.0",
            "tags": .object([
                "browser": "Chrome 131", "os": "Linux", "server_name": "web-@N@", "transaction": "/api/checkout",
                "url": "https://shop.example.com/checkout",
            ]),
            "user": .object(["id": "@N@", "email": "user@N@@example.com", "ip_address": "10.0.0.1"]),
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
        return .object([
            "id": id,
            "project_id": .int(projectID),
            "event_id": eventID,
            "fingerprint": ["bench-fingerprint-@FP@"],
            "issue_title": "CheckoutError: payment provider timed out (@FP@)",
            "subtitle": "The payment provider did not answer within 30 seconds.",
            "resource_id": .null,
            "evidence_data": .object(["provider": "acme-pay", "timeout_ms": 30000]),
            "evidence_display": .array([
                .object(["name": "Provider", "value": "acme-pay", "important": true]),
                .object(["name": "Timeout", "value": "30 s", "important": false]),
            ]),
            "type": 1,
            "detection_time": timestamp,
            "level": "error",
            "culprit": "app.checkout.step3 in handle_step_3",
            "payload_type": "occurrence",
            "event": event,
        ])
    }
}
