import Engine
import Foundation

/// Payloads shaped like what `sentry-sdk` (Python) sends, and envelope builders.
enum SDKFixtures {
    /// `Tests/EngineTests/Fixtures/sdk`.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("sdk")

    /// A fixture file's bytes.
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// A fixture file's JSON object.
    static func object(_ name: String) throws -> [String: JSONValue] {
        try JSONValue.parse(data(name)).objectValue ?? [:]
    }

    /// A fresh 32-hex-digit event id.
    static func newEventID() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }

    /// One item: its type, its payload, and whether the header carries `length`.
    struct Item {
        var type: String
        var payload: Data
        var withLength = true

        init(_ type: String, _ payload: Data, withLength: Bool = true) {
            self.type = type
            self.payload = payload
            self.withLength = withLength
        }

        init(_ type: String, json: [String: JSONValue], withLength: Bool = true) {
            self.init(type, JSONValue.object(json).serialized(), withLength: withLength)
        }
    }

    /// An envelope: the header line, then per item its header line, payload and a newline.
    static func envelope(header: [String: JSONValue] = [:], _ items: [Item]) -> Data {
        var data = JSONValue.object(header).serialized() + Data("\n".utf8)
        for item in items {
            var itemHeader: [String: JSONValue] = ["type": .string(item.type)]
            if item.withLength { itemHeader["length"] = .int(Int64(item.payload.count)) }
            data += JSONValue.object(itemHeader).serialized() + Data("\n".utf8) + item.payload + Data("\n".utf8)
        }
        return data
    }

    /// A Python-style exception event: `type`/`value` raised in `function` of `module`, the
    /// frame at `line` of `path`, under a framework frame that is not in app.
    static func exceptionEvent(
        id: String = newEventID(), type: String = "ValueError", value: String = "could not load the user", module: String = "shop.views",
        function: String = "checkout", line: Int = 88, path: String = "/srv/shop/releases/1/shop/views.py", timestamp: Double = 1_749_999_990
    ) -> [String: JSONValue] {
        [
            "event_id": .string(id), "timestamp": .double(timestamp), "platform": "python", "level": "error",
            "exception": [
                "values": [
                    [
                        "type": .string(type), "value": .string(value), "mechanism": ["type": "django", "handled": false],
                        "stacktrace": [
                            "frames": [
                                [
                                    "module": "django.core.handlers.base", "function": "_get_response", "lineno": 197,
                                    "abs_path": "/srv/shop/venv/lib/python3.12/site-packages/django/core/handlers/base.py", "in_app": false,
                                ],
                                [
                                    "module": .string(module), "function": .string(function), "lineno": .int(Int64(line)),
                                    "filename": "shop/views.py", "abs_path": .string(path), "in_app": true,
                                ],
                            ]
                        ],
                    ]
                ]
            ],
        ]
    }
}

extension TestEngine {
    /// Ingests an envelope into the test project.
    func envelope(header: [String: JSONValue] = [:], _ items: [SDKFixtures.Item]) async throws -> EnvelopeResult {
        try await engine.ingestEnvelope(SDKFixtures.envelope(header: header, items), projectID: project.id)
    }

    /// Ingests one event through the store endpoint.
    func storeEvent(_ event: [String: JSONValue]) async -> SDKItemResult {
        await engine.ingestStoreEvent(JSONValue.object(event).serialized(), projectID: project.id)
    }
}
