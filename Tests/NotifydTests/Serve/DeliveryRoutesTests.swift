import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import notifyd

/// The outbox API: `GET /api/0/deliveries/`, `GET …/{id}/`, `POST …/{id}/redeliver/` and
/// `POST …/redeliver-dead/`, over deliveries the daemon's own rule and dispatcher make.
struct DeliveryRoutesTests {
    @Test func aNewIssuesPreviewIsListedDeliveredAndRedelivered() async throws {
        try await withTestDaemon { test in
            let message = IngestMessages.occurrence(projectID: try test.project("acme", "backend").id)
            try await test.withClient { client in
                let ingested = try await client.ingest(message.json)
                let groupID = try #require(try ingested.json().arrayValue?.first?["group_id"])

                let pending = try await Self.list(client, state: "pending")
                try #require(pending.count == 1, "\(pending)")
                let delivery = pending[0]
                #expect(delivery["channel"] == "preview")
                #expect(delivery["state"] == "pending")
                #expect(delivery["kind"] == "issue.created")
                #expect(delivery["rules"] == ["preview-new-issues"])
                #expect(delivery["group_id"] == groupID)
                #expect(delivery["attempts"] == 0)
                let id = try #require(delivery["id"]?.stringValue)

                #expect(try await test.daemon.dispatcher.runOnce() == 1)
                #expect(try await Self.list(client, state: "pending").isEmpty)
                #expect(try await Self.list(client, state: "delivered").map { $0["id"] } == [delivery["id"]])
                for suffix in ["eml", "html", "txt"] {
                    #expect(FileManager.default.fileExists(atPath: "\(test.previews)/\(id).\(suffix)"), "\(id).\(suffix)")
                }

                let detail = try await client.send(.get, "/api/0/deliveries/\(id)/", token: TestDaemon.readToken)
                #expect(detail.status == .ok)
                let shown = try detail.json()
                #expect(shown["state"] == "delivered")
                #expect(shown["attempts"] == 1)
                #expect(shown["delivered_at"]?.stringValue != nil)
                let log = try #require(shown["attempt_log"]?.arrayValue)
                try #require(log.count == 1)
                #expect(log[0]["outcome"] == "delivered")
                #expect(log[0]["error"] == .null)

                for token in [TestDaemon.readToken, TestDaemon.writeToken] {
                    let forbidden = try await client.send(.post, "/api/0/deliveries/\(id)/redeliver/", token: token)
                    #expect(forbidden.status == .forbidden)
                    #expect(forbidden.detail == "You do not have permission to perform this action (needs event:admin).")
                }
                let redelivered = try await client.send(.post, "/api/0/deliveries/\(id)/redeliver/", token: TestDaemon.adminToken)
                #expect(redelivered.status == .accepted)
                #expect(try redelivered.json() == ["redelivered": 1])
                let again = try await Self.list(client, state: "pending")
                #expect(again.map { $0["id"] } == [delivery["id"]])
                #expect(again.first?["attempts"] == 0)

                // Only delivered or dead deliveries can be sent again.
                let stillPending = try await client.send(.post, "/api/0/deliveries/\(id)/redeliver/", token: TestDaemon.adminToken)
                #expect(stillPending.status == .notFound)
            }
        }
    }

    @Test func deadDeliveriesAreSentAgainTogether() async throws {
        try await withTestDaemon { test in
            _ = try await test.createIssue(fingerprint: "dead-a")
            _ = try await test.createIssue(fingerprint: "dead-b")
            // A channel that refuses for good makes both deliveries dead.
            let failing = Dispatcher(store: test.daemon.engine.store, channels: [.preview: RefusingChannel()], logger: TestDaemon.logger)
            #expect(try await failing.runOnce() == 2)
            try await test.withClient { client in
                let dead = try await Self.list(client, state: "dead")
                #expect(dead.count == 2)
                let id = try #require(dead.first?["id"]?.stringValue)
                let detail = try await client.send(.get, "/api/0/deliveries/\(id)/", token: TestDaemon.readToken)
                let log = try #require(try detail.json()["attempt_log"]?.arrayValue)
                #expect(log.map { $0["outcome"] } == ["dead"])
                #expect(log.first?["status_code"] == 410)
                #expect(log.first?["error"] == "gone")

                let forbidden = try await client.send(.post, "/api/0/deliveries/redeliver-dead/", token: TestDaemon.readToken)
                #expect(forbidden.status == .forbidden)
                let redelivered = try await client.send(.post, "/api/0/deliveries/redeliver-dead/", token: TestDaemon.adminToken)
                #expect(redelivered.status == .accepted)
                #expect(try redelivered.json() == ["redelivered": 2])
                #expect(try await Self.list(client, state: "dead").isEmpty)
                #expect(try await Self.list(client, state: "pending").count == 2)

                let none = try await client.send(.post, "/api/0/deliveries/redeliver-dead/", token: TestDaemon.adminToken)
                #expect(try none.json() == ["redelivered": 0])
            }
            #expect(try await test.daemon.dispatcher.runOnce() == 2)
        }
    }

    @Test func theListTakesALimitAndEveryState() async throws {
        try await withTestDaemon { test in
            for index in 0..<3 { _ = try await test.createIssue(fingerprint: "limit-\(index)") }
            try await test.withClient { client in
                let all = try await client.send(.get, "/api/0/deliveries/", token: TestDaemon.readToken)
                #expect(try all.json().arrayValue?.count == 3)
                let limited = try await client.send(.get, "/api/0/deliveries/?limit=2", token: TestDaemon.readToken)
                #expect(try limited.json().arrayValue?.count == 2)
                #expect(try await Self.list(client, state: "delivered").isEmpty)
            }
        }
    }

    @Test(arguments: ["state=sent", "state=", "limit=0", "limit=1001", "limit=ten"])
    func aBadQueryIsABadRequest(_ query: String) async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let response = try await client.send(.get, "/api/0/deliveries/?\(query)", token: TestDaemon.readToken)
                #expect(response.status == .badRequest)
                #expect(response.field == String(query.prefix { $0 != "=" }))
            }
        }
    }

    @Test func anUnknownDeliveryIsNotFound() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let shown = try await client.send(.get, "/api/0/deliveries/0123456789abcdef/", token: TestDaemon.readToken)
                #expect(shown.status == .notFound)
                #expect(shown.detail == "No delivery with the id 0123456789abcdef")
                let redelivered = try await client.send(.post, "/api/0/deliveries/0123456789abcdef/redeliver/", token: TestDaemon.adminToken)
                #expect(redelivered.status == .notFound)
            }
        }
    }

    @Test func theOutboxNeedsAToken() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                for (method, path) in [
                    (HTTPRequest.Method.get, "/api/0/deliveries/"), (.get, "/api/0/deliveries/0123/"), (.post, "/api/0/deliveries/0123/redeliver/"),
                    (.post, "/api/0/deliveries/redeliver-dead/"),
                ] {
                    let response = try await client.send(method, path, token: TestDaemon.backendKey)
                    #expect(response.status == .unauthorized, "\(method) \(path)")
                }
            }
        }
    }

    /// The deliveries in one state.
    private static func list(_ client: some TestClientProtocol, state: String) async throws -> [JSONValue] {
        let response = try await client.send(.get, "/api/0/deliveries/?state=\(state)", token: TestDaemon.readToken)
        #expect(response.status == .ok, "\(response.text)")
        return try #require(try response.json().arrayValue)
    }
}

/// A channel whose receiver refuses every delivery for good (HTTP 410).
private struct RefusingChannel: DeliveryChannel {
    func deliver(_ delivery: Delivery, store: any Store) async -> DeliveryOutcome {
        .failed(statusCode: 410, error: "gone")
    }
}
