import Engine
import Foundation

/// Error envelopes shaped like those of Sentry's Python SDK (2.x): the envelope header with the
/// trace context, one `event` item of about 3 KB — an exception with a stack trace of five
/// frames (context lines, the raising frame's local variables), breadcrumbs, runtime/OS/trace
/// contexts, tags, a user, `extra` and the SDK's own description — gzipped at level 9 as the
/// SDK does.
///
/// Events are spread round-robin over `distinct` problems; problem `k` raises its own exception
/// type from its own innermost function, so Sentry-style grouping makes `distinct` issues.
struct EnvelopeGenerator: Sendable {
    let distinct: Int
    /// The ingest key, in the header's trace context as the SDK puts it there.
    let key: String
    /// When the first event happened; each later one a millisecond after the one before.
    private let start = Date().addingTimeInterval(-3600)
    /// The first half of every event id: a daemon drops an event id it has seen, and a
    /// daemon given with `--url` may have seen a previous run's.
    private let run = UInt64.random(in: 1...UInt64.max)

    private static let types = [
        "ValueError", "KeyError", "TimeoutError", "ConnectionError", "PermissionError", "RuntimeError", "TypeError", "ZeroDivisionError",
    ]
    private static let verbs = ["charge", "reserve", "ship", "refund", "notify", "invoice", "export", "sync"]

    /// One envelope: its event id, its size before compression and the gzipped body.
    func envelope(_ index: Int) -> (eventID: String, size: Int, body: Data) {
        let eventID = Self.hex(run, width: 16) + Self.hex(UInt64(index), width: 16)
        let event = self.event(index, eventID: eventID).serialized(sortedKeys: false)
        let header: JSONValue = .object([
            "event_id": .string(eventID), "sent_at": .string(Self.timestamp(Date())),
            "trace": .object([
                "trace_id": .string(Self.hex(UInt64(index % distinct) + 0xa11ce, width: 32)), "environment": "production",
                "release": "shop@2.4.1", "public_key": .string(key),
            ]),
        ])
        let itemHeader: JSONValue = .object(["type": "event", "content_type": "application/json", "length": .int(Int64(event.count))])
        var envelope = header.serialized(sortedKeys: false)
        envelope.append(UInt8(ascii: "\n"))
        envelope.append(itemHeader.serialized(sortedKeys: false))
        envelope.append(UInt8(ascii: "\n"))
        envelope.append(event)
        envelope.append(UInt8(ascii: "\n"))
        return (eventID, envelope.count, Gzip.compress(envelope))
    }

    private func event(_ index: Int, eventID: String) -> JSONValue {
        let problem = index % distinct
        let type = Self.types[problem % Self.types.count]
        let function = "\(Self.verbs[problem % Self.verbs.count])_\(problem / Self.verbs.count)"
        let order = 10_000 + index
        let time = start.addingTimeInterval(Double(index) / 1000)
        let frames: [JSONValue] = [
            Self.frame(
                "django/core/handlers/base.py", "django.core.handlers.base", "_get_response", 197, inApp: false,
                line: "response = wrapped_callback(request, *callback_args, **callback_kwargs)"),
            Self.frame("shop/views.py", "shop.views", "checkout", 88, line: "payment = payments.process(order)"),
            Self.frame("shop/payments.py", "shop.payments", "process", 57, line: "return gateway.\(function)(order.id, order.total)"),
            Self.frame("shop/gateway.py", "shop.gateway", function, 31, line: "response = self.session.post(self.url, json=payload, timeout=5)"),
            Self.frame("shop/gateway.py", "shop.gateway", "check", 64, line: "raise \(type)(f\"order {order_id} refused: {reason}\")"),
        ]
        let breadcrumbs: [JSONValue] = [
            Self.crumb(time, -3.2, category: "query", message: #"SELECT "shop_item"."sku" FROM "shop_item" WHERE "shop_item"."cart_id" = %s"#),
            Self.crumb(time, -2.5, category: "payments", message: "charging order \(order)"),
            .object([
                "timestamp": .string(Self.timestamp(time.addingTimeInterval(-1.3))), "type": "http", "category": "httplib", "level": "info",
                "data": .object(["url": "https://gateway.example.com/v2/charges", "method": "POST", "status_code": 502, "reason": "Bad Gateway"]),
            ]),
        ]
        return .object([
            "event_id": .string(eventID), "timestamp": .string(Self.timestamp(time)), "platform": "python", "level": "error",
            "server_name": .string("web-\(index % 4 + 1)"), "release": "shop@2.4.1", "environment": "production",
            "exception": .object([
                "values": .array([
                    .object([
                        "type": .string(type), "value": .string("order \(order) refused: upstream answered 502"), "module": .null,
                        "mechanism": .object(["type": "django", "handled": false]),
                        "stacktrace": .object(["frames": .array(frames)]),
                    ])
                ])
            ]),
            "breadcrumbs": .object(["values": .array(breadcrumbs)]),
            "contexts": .object([
                "runtime": .object(["name": "CPython", "version": "3.11.7", "build": "3.11.7 (main, Dec  8 2023, 14:22:46) [GCC 12.2.0]"]),
                "os": .object(["name": "Linux", "version": "6.1.0-18-amd64"]),
                "trace": .object([
                    "trace_id": .string(Self.hex(UInt64(index), width: 32)), "span_id": .string(Self.hex(UInt64(index) &* 31, width: 16)),
                    "parent_span_id": .null, "op": "http.server", "status": "internal_error",
                ]),
            ]),
            "tags": .object(["region": "eu-west-1", "customer_tier": index % 3 == 0 ? "pro" : "free", "url": "/checkout/"]),
            "user": .object(["id": .string(String(index % 500)), "email": .string("customer\(index % 500)@example.com"), "ip_address": "{{auto}}"]),
            "extra": .object(["sys.argv": .array(["/srv/shop/venv/bin/gunicorn", "shop.wsgi", "--workers", "4"])]),
            "sdk": .object([
                "name": "sentry.python.django", "version": "2.75.0",
                "packages": .array([.object(["name": "pypi:sentry-sdk", "version": "2.75.0"])]),
                "integrations": .array(["argv", "atexit", "dedupe", "django", "excepthook", "logging", "modules", "stdlib", "threading"]),
            ]),
        ])
    }

    /// A frame; the SDK sends local variables too, here only for the frame that raised.
    private static func frame(_ path: String, _ module: String, _ function: String, _ lineno: Int, inApp: Bool = true, line: String) -> JSONValue {
        var frame: [String: JSONValue] = [
            "filename": .string(path), "abs_path": .string("/srv/shop/\(path)"), "module": .string(module), "function": .string(function),
            "lineno": .int(Int64(lineno)), "context_line": .string("        \(line)"), "in_app": .bool(inApp),
        ]
        if function == "check" {
            frame["vars"] = .object(["self": "<shop.gateway.Gateway object at 0x7f3a2c9d1e50>", "order_id": "10042", "reason": "'Bad Gateway'"])
        }
        return .object(frame)
    }

    private static func crumb(_ time: Date, _ offset: Double, category: String, message: String) -> JSONValue {
        .object([
            "timestamp": .string(timestamp(time.addingTimeInterval(offset))), "type": "default", "category": .string(category),
            "message": .string(message), "level": "info",
        ])
    }

    /// `2026-11-24T13:36:41.486Z`: ISO 8601 in UTC, as the SDK writes times (it has microseconds).
    private static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    private static func hex(_ value: UInt64, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
