import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing
@testable import notifyd

/// `POST /api/0/projects/{org}/{project}/occurrences/`: results per message, body limits,
/// ingest keys, rate limits.
struct IngestRoutesTests {
    @Test func oneMessageIsGroupedIntoANewIssue() async throws {
        try await withTestDaemon { test in
            let message = IngestMessages.occurrence(projectID: try test.project("acme", "backend").id)
            try await test.withClient { client in
                let response = try await client.ingest(message.json)
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.headers[.contentType] == "application/json")
                let results = try #require(try response.json().arrayValue)
                try #require(results.count == 1)
                let result = try #require(results[0].objectValue)
                #expect(Set(result.keys) == ["id", "status", "group_id", "short_id", "is_new", "is_regression"])
                #expect(result["id"] == message["id"])
                #expect(result["status"] == "grouped")
                #expect(result["short_id"] == "BACKEND-1")
                #expect(result["is_new"] == true)
                #expect(result["is_regression"] == false)
                let groupID = try #require(result["group_id"]?.stringValue.flatMap { Int64($0) })
                #expect(try await test.daemon.engine.group(id: groupID)?.title == "something bad happened")
            }
        }
    }

    @Test func aBatchAnswersEachMessageInOrder() async throws {
        try await withTestDaemon { test in
            let backend = try test.project("acme", "backend").id
            let first = IngestMessages.occurrence(projectID: backend, fingerprint: ["batch-a"])
            var invalid = IngestMessages.occurrence(projectID: backend, fingerprint: ["batch-b"])
            invalid["level"] = "catastrophic"
            let foreign = IngestMessages.occurrence(projectID: try test.project("acme", "frontend").id, fingerprint: ["batch-c"])
            let second = IngestMessages.occurrence(projectID: backend, fingerprint: ["batch-d"])
            let refused = invalid
            let batch: JSONValue = [first.json, first.json, refused.json, foreign.json, second.json]
            try await test.withClient { client in
                let response = try await client.ingest(batch)
                #expect(response.status == .ok, "\(response.text)")
                let results = try #require(try response.json().arrayValue)
                try #require(results.count == 5, "\(results)")
                // An invalid message's result still carries the id it was sent with.
                #expect(results.map { $0["id"] } == [first["id"], first["id"], refused["id"], foreign["id"], second["id"]])
                #expect(results.map { $0["status"]?.stringValue } == ["grouped", "dropped", "invalid", "invalid", "grouped"])
                #expect(results[1]["reason"] == "duplicate")
                #expect(results[2]["field"] == "level")
                #expect(results[3]["field"] == "project_id")
                #expect(results[3]["error"]?.stringValue?.contains("the request for project \(backend)") == true)
                #expect(results.map { $0["short_id"]?.stringValue } == ["BACKEND-1", nil, nil, nil, "BACKEND-2"])
            }
            // Nothing reached the other project.
            #expect(try await test.daemon.engine.groups(projectID: try test.project("acme", "frontend").id).isEmpty)
        }
    }

    @Test func anEmptyBatchAnswersAnEmptyArray() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let response = try await client.ingest([])
                #expect(response.status == .ok)
                #expect(response.text == "[]")
            }
        }
    }

    // MARK: Bad bodies

    @Test func aBodyThatIsNotJSONIsABadRequest() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let response = try await client.send(.post, IngestPath.occurrences(), token: TestDaemon.backendKey, body: Data("{not json".utf8))
                #expect(response.status == .badRequest)
                #expect(response.detail?.hasPrefix("The request body is not valid JSON") == true, "\(response.text)")
            }
        }
    }

    @Test func aBodyThatIsNeitherAnObjectNorAnArrayIsABadRequest() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let response = try await client.ingest("a string")
                #expect(response.status == .badRequest)
                #expect(response.field == "body")
            }
        }
    }

    @Test func jsonNestedDeeperThanTheLimitIsABadRequest() async throws {
        try await withTestDaemon(configure: { $0.limits.maxJSONDepth = 8 }) { test in
            var message = IngestMessages.occurrence(projectID: try test.project("acme", "backend").id)
            var nested: JSONValue = "deep"
            for _ in 0..<10 { nested = .object(["a": nested]) }
            message["evidence_data"] = nested
            let body = message.json
            try await test.withClient { client in
                let response = try await client.ingest(body)
                #expect(response.status == .badRequest)
                #expect(response.detail?.contains("not valid JSON") == true, "\(response.text)")
                #expect(response.detail?.contains("nesting deeper than 8 levels") == true, "\(response.text)")
            }
        }
    }

    @Test func aBodyOverTheLimitIsTooLarge() async throws {
        try await withTestDaemon(configure: { $0.limits.maxBodyBytes = 2048 }) { test in
            var message = IngestMessages.occurrence(projectID: try test.project("acme", "backend").id)
            message["subtitle"] = .string(String(repeating: "x", count: 4096))
            let body = message.json
            try await test.withClient { client in
                let response = try await client.ingest(body)
                #expect(response.status == .contentTooLarge)
                #expect(response.detail == "The request body is larger than 2048 bytes.")
            }
        }
    }

    @Test func moreMessagesThanTheBatchLimitIsABadRequest() async throws {
        try await withTestDaemon(configure: { $0.limits.maxBatch = 2 }) { test in
            let backend = try test.project("acme", "backend").id
            let batch = JSONValue.array((0..<3).map { IngestMessages.occurrence(projectID: backend, fingerprint: ["limit-\($0)"]).json })
            try await test.withClient { client in
                let response = try await client.ingest(batch)
                #expect(response.status == .badRequest)
                #expect(response.field == "body")
                #expect(response.detail == "A request may hold at most 2 messages")
            }
            #expect(try await test.daemon.engine.groups(projectID: backend).isEmpty)
        }
    }

    // MARK: Keys

    @Test func aWrongOrMissingKeyIsUnauthorized() async throws {
        try await withTestDaemon { test in
            let message = IngestMessages.occurrence(projectID: try test.project("acme", "backend").id)
            try await test.withClient { client in
                for token in [nil, "wrong-key-0123456789abc", TestDaemon.frontendKey, TestDaemon.adminToken] {
                    let response = try await client.ingest(message.json, key: token)
                    #expect(response.status == .unauthorized, "key \(token ?? "none")")
                    #expect(response.detail == "Invalid or missing ingest key for this project")
                }
            }
            #expect(try await test.daemon.engine.groups(projectID: try test.project("acme", "backend").id).isEmpty)
        }
    }

    @Test func theSentryAuthHeaderAndQueryParameterCarryTheKey() async throws {
        try await withTestDaemon { test in
            let backend = try test.project("acme", "backend").id
            try await test.withClient { client in
                func sentryAuth(_ key: String) -> HTTPFields {
                    [HTTPField.Name("X-Sentry-Auth")!: "Sentry sentry_key=\(key), sentry_version=7"]
                }
                let header = try await client.send(
                    .post, IngestPath.occurrences(), headers: sentryAuth(TestDaemon.backendKey),
                    json: IngestMessages.occurrence(projectID: backend, fingerprint: ["auth-header"]).json)
                #expect(header.status == .ok, "\(header.text)")
                let query = try await client.ingest(
                    IngestMessages.occurrence(projectID: backend, fingerprint: ["auth-query"]).json,
                    path: IngestPath.occurrences() + "?sentry_key=\(TestDaemon.backendKey)", key: nil)
                #expect(query.status == .ok, "\(query.text)")
                let wrong = try await client.send(
                    .post, IngestPath.occurrences(), headers: sentryAuth(TestDaemon.webKey),
                    json: IngestMessages.occurrence(projectID: backend, fingerprint: ["auth-wrong"]).json)
                #expect(wrong.status == .unauthorized)
            }
        }
    }

    @Test(arguments: [("nobody", "backend"), ("acme", "nothing"), ("other", "backend")])
    func anUnknownOrganizationOrProjectIsNotFound(_ organization: String, _ project: String) async throws {
        try await withTestDaemon { test in
            let message = IngestMessages.occurrence(projectID: try test.project("acme", "backend").id)
            try await test.withClient { client in
                let response = try await client.ingest(message.json, path: IngestPath.occurrences(organization, project))
                #expect(response.status == .notFound)
                #expect(response.detail == "The requested resource does not exist")
            }
        }
    }

    @Test func aKeyOverItsRateIsToldWhenToRetry() async throws {
        try await withTestDaemon(configure: {
            $0.limits.requestsPerSecond = 0.01
            $0.limits.burst = 2
        }) { test in
            let backend = try test.project("acme", "backend").id
            try await test.withClient { client in
                for index in 0..<2 {
                    let message = IngestMessages.occurrence(projectID: backend, fingerprint: ["rate-\(index)"])
                    let response = try await client.ingest(message.json)
                    #expect(response.status == .ok)
                }
                let limited = try await client.ingest(IngestMessages.occurrence(projectID: backend).json)
                #expect(limited.status == .tooManyRequests)
                let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
                #expect((1...100).contains(retryAfter))
                #expect(limited.detail == "Too many requests; retry in \(retryAfter) s")
                // Another key has its own bucket.
                let other = try await client.ingest(
                    IngestMessages.occurrence(projectID: try test.project("other", "web").id).json, path: IngestPath.occurrences("other", "web"),
                    key: TestDaemon.webKey)
                #expect(other.status == .ok)
            }
        }
    }
}
