import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import notifyd

/// `POST /api/{project_id}/envelope/` and `/store/` through the router: the ways an SDK may
/// authenticate, the answers for unknown projects, bad bodies and encodings, and Sentry's rate
/// limit header. (The real Python SDK against a live daemon: `SentrySDKTests`.)
struct SentryRoutesTests {
    static func envelopePath(_ projectID: Int64) -> String { "/api/\(projectID)/envelope/" }
    static func storePath(_ projectID: Int64) -> String { "/api/\(projectID)/store/" }

    static func eventID() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }

    /// `X-Sentry-Auth` as the SDKs send it.
    static func auth(_ key: String) -> HTTPFields {
        [HTTPField.Name("X-Sentry-Auth")!: "Sentry sentry_key=\(key), sentry_version=7, sentry_client=sentry.python/2.75.0"]
    }

    /// An envelope of one message event, with `header` fields after its `event_id`.
    static func envelope(eventID: String, message: String = "hello", header: String = "") -> Data {
        let event = #"{"event_id": "\#(eventID)", "message": "\#(message)", "level": "error", "platform": "python"}"#
        return Data("{\"event_id\": \"\(eventID)\"\(header.isEmpty ? "" : ", " + header)}\n{\"type\": \"event\"}\n\(event)\n".utf8)
    }

    @Test func anEnvelopeIsAcceptedWithTheKeyInAnyOfTheSDKsPlaces() async throws {
        try await withTestDaemon { test in
            let project = try test.project("acme", "backend").id
            try await test.withClient { client in
                let dsn = "http://\(TestDaemon.backendKey)@127.0.0.1:1/\(project)"
                let ways: [(path: String, headers: HTTPFields, header: String)] = [
                    (Self.envelopePath(project), Self.auth(TestDaemon.backendKey), ""),
                    (Self.envelopePath(project) + "?sentry_key=\(TestDaemon.backendKey)&sentry_version=7", [:], ""),
                    (Self.envelopePath(project), [.authorization: "Bearer \(TestDaemon.backendKey)"], ""),
                    (Self.envelopePath(project), [:], #""dsn": "\#(dsn)""#),
                ]
                for way in ways {
                    let id = Self.eventID()
                    let response = try await client.sentry(way.path, Self.envelope(eventID: id, header: way.header), headers: way.headers)
                    #expect(response.status == .ok, "\(way): \(response.text)")
                    #expect(try response.json() == .object(["id": .string(id)]))
                }
            }
            #expect(try await test.daemon.engine.groups(projectID: project).map(\.timesSeen) == [4])
        }
    }

    @Test func aMissingWrongOrForeignKeyIsUnauthorized() async throws {
        try await withTestDaemon { test in
            let project = try test.project("acme", "backend").id
            try await test.withClient { client in
                let foreignDSN = #""dsn": "http://\#(TestDaemon.frontendKey)@127.0.0.1:1/\#(project)""#
                let attempts: [(HTTPFields, String)] = [
                    ([:], ""), (Self.auth("not-a-key-0123456789abcdef"), ""), (Self.auth(TestDaemon.frontendKey), ""), ([:], foreignDSN),
                    // The header's key is the one checked, whatever the envelope's DSN says.
                    (Self.auth(TestDaemon.frontendKey), #""dsn": "http://\#(TestDaemon.backendKey)@127.0.0.1:1/\#(project)""#),
                ]
                for (headers, header) in attempts {
                    let body = Self.envelope(eventID: Self.eventID(), header: header)
                    let response = try await client.sentry(Self.envelopePath(project), body, headers: headers)
                    #expect(response.status == .unauthorized, "\(headers) \(header): \(response.text)")
                }
                let store = try await client.sentry(Self.storePath(project), Data("{}".utf8), headers: Self.auth(TestDaemon.webKey))
                #expect(store.status == .unauthorized)
            }
            #expect(try await test.daemon.engine.groups(projectID: project).isEmpty)
        }
    }

    @Test(arguments: ["999", "abc", "-1", "1.5"])
    func anUnknownProjectIsNotFound(projectID: String) async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                for path in ["/api/\(projectID)/envelope/", "/api/\(projectID)/store/"] {
                    let response = try await client.sentry(path, Self.envelope(eventID: Self.eventID()))
                    #expect(response.status == .notFound, "\(path): \(response.text)")
                }
            }
        }
    }

    @Test func anEnvelopeWithoutAUsableHeaderIsABadRequest() async throws {
        try await withTestDaemon { test in
            let path = Self.envelopePath(try test.project("acme", "backend").id)
            try await test.withClient { client in
                for body in ["", "\n{\"type\": \"event\"}\n{}\n", "[1, 2]\n", "{\"event_id\": 42}\n"] {
                    let response = try await client.sentry(path, Data(body.utf8))
                    #expect(response.status == .badRequest, "\(body.debugDescription): \(response.text)")
                    #expect(response.detail?.hasPrefix("Invalid envelope: ") == true, "\(response.text)")
                    #expect(response.field?.hasPrefix("envelope") == true || response.field?.hasPrefix("header.") == true, "\(response.text)")
                }
            }
        }
    }

    @Test func onlyIgnoredItemsAreAnsweredWithTheHeadersID() async throws {
        try await withTestDaemon { test in
            let project = try test.project("acme", "backend").id
            try await test.withClient { client in
                let id = Self.eventID()
                let body = """
                    {"event_id": "\(id)"}
                    {"type": "session"}
                    {"sid": "x", "status": "ok"}
                    {"type": "client_report"}
                    {}

                    """
                let response = try await client.sentry(Self.envelopePath(project), Data(body.utf8))
                #expect(response.status == .ok, "\(response.text)")
                #expect(try response.json() == .object(["id": .string(id)]))
                let bare = try await client.sentry(Self.envelopePath(project), Data("{}\n".utf8))
                #expect(bare.status == .ok, "\(bare.text)")
                #expect(try bare.json() == .object([:]))
            }
            #expect(try await test.daemon.engine.groups(projectID: project).isEmpty)
        }
    }

    /// An SDK resends an envelope it got no answer for; the event counts once.
    @Test func aResentEnvelopeCountsOnce() async throws {
        try await withTestDaemon { test in
            let project = try test.project("acme", "backend").id
            let body = Self.envelope(eventID: Self.eventID())
            try await test.withClient { client in
                for _ in 0..<2 {
                    let response = try await client.sentry(Self.envelopePath(project), body)
                    #expect(response.status == .ok, "\(response.text)")
                }
            }
            #expect(try await test.daemon.engine.groups(projectID: project).map(\.timesSeen) == [1])
        }
    }

    @Test func aBrokenItemIsNamedWhileTheOthersAreProcessed() async throws {
        try await withTestDaemon { test in
            let project = try test.project("acme", "backend").id
            let id = Self.eventID()
            let body = """
                {"event_id": "\(id)"}
                {"type": "event"}
                {"event_id": "\(id)", "message": "kept", "level": "error"}
                {"type": "user_report"}
                {"name": "no event id, no comments"}
                {"type": "event", "length": 9}
                not json!
                {"type": "event", "length": 4000}
                {}

                """
            try await test.withClient { client in
                let response = try await client.sentry(Self.envelopePath(project), Data(body.utf8))
                #expect(response.status == .badRequest, "\(response.text)")
                #expect(response.field == "items[1]")
                let detail = try #require(response.detail)
                for item in ["item 1 (user_report): event_id", "item 2 (event): the payload is not JSON", "item 3 (event): length 4000 runs past"] {
                    #expect(detail.contains(item), "\(detail)")
                }
            }
            #expect(try await test.daemon.engine.groups(projectID: project).map(\.title) == ["kept"])
        }
    }

    // MARK: Encodings

    @Test func compressedBodiesAreInflatedAndOthersRefused() async throws {
        try await withTestDaemon(configure: { $0.limits.maxEnvelopeBytes = 64 << 10 }) { test in
            let project = try test.project("acme", "backend").id
            try await test.withClient { client in
                func post(_ path: String, _ encoding: String, _ body: Data) async throws -> TestResponse {
                    var headers = Self.auth(TestDaemon.backendKey)
                    headers[.contentEncoding] = encoding
                    return try await client.sentry(path, body, headers: headers)
                }
                let gzipped = try await post(Self.envelopePath(project), "gzip", Gzip.compress(Self.envelope(eventID: Self.eventID())))
                #expect(gzipped.status == .ok, "\(gzipped.text)")
                let store = try await post(Self.storePath(project), "gzip", Gzip.compress(Data(#"{"message": "stored", "level": "error"}"#.utf8)))
                #expect(store.status == .ok, "\(store.text)")

                let brotli = try await post(Self.envelopePath(project), "br", Self.envelope(eventID: Self.eventID()))
                #expect(brotli.status == .unsupportedMediaType)
                #expect(brotli.field == "Content-Encoding")
                #expect(brotli.detail == "Unsupported Content-Encoding 'br'; send identity, gzip or deflate")

                let corrupt = try await post(Self.envelopePath(project), "gzip", Self.envelope(eventID: Self.eventID()))
                #expect(corrupt.status == .badRequest)
                #expect(corrupt.detail == "The body is not valid gzip data", "\(corrupt.text)")

                // A megabyte of spaces after the header line, in about a kilobyte.
                let bomb = Gzip.compress(Self.envelope(eventID: Self.eventID()) + Data(repeating: 0x20, count: 1 << 20))
                #expect(bomb.count < 8 << 10)
                let tooLarge = try await post(Self.envelopePath(project), "gzip", bomb)
                #expect(tooLarge.status == .contentTooLarge)
                #expect(tooLarge.detail == "The decompressed body is larger than 65536 bytes.")
            }
            #expect(try await test.daemon.engine.groups(projectID: project).count == 2)
        }
    }

    // MARK: The store endpoint

    @Test func theStoreEndpointTakesOneEvent() async throws {
        try await withTestDaemon { test in
            let project = try test.project("acme", "backend").id
            try await test.withClient { client in
                let id = Self.eventID()
                let event = #"{"event_id": "\#(id)", "exception": {"values": [{"type": "ValueError", "value": "bad"}]}, "platform": "python"}"#
                let stored = try await client.sentry(Self.storePath(project), Data(event.utf8))
                #expect(stored.status == .ok, "\(stored.text)")
                #expect(try stored.json() == .object(["id": .string(id)]))

                for body in ["not json", "[1]", #"{"event_id": "not a uuid"}"#] {
                    let response = try await client.sentry(Self.storePath(project), Data(body.utf8))
                    #expect(response.status == .badRequest, "\(body): \(response.text)")
                    #expect(response.detail?.hasPrefix("Invalid event: ") == true, "\(response.text)")
                }
            }
            #expect(try await test.daemon.engine.groups(projectID: project).map(\.title) == ["ValueError: bad"])
        }
    }

    // MARK: Rate limits

    @Test func overTheRateTheAnswerTellsTheSDKToBackOff() async throws {
        try await withTestDaemon(configure: {
            $0.limits.requestsPerSecond = 0.01
            $0.limits.burst = 1
        }) { test in
            let project = try test.project("acme", "backend").id
            try await test.withClient { client in
                let first = try await client.sentry(Self.envelopePath(project), Self.envelope(eventID: Self.eventID()))
                #expect(first.status == .ok)
                let limited = try await client.sentry(Self.envelopePath(project), Self.envelope(eventID: Self.eventID()))
                #expect(limited.status == .tooManyRequests)
                let wait = try #require(limited.headers[.retryAfter].flatMap(Int.init), "\(limited.headers)")
                #expect(wait >= 90)
                #expect(limited.headers[HTTPField.Name("X-Sentry-Rate-Limits")!] == "\(wait)::organization")
                // Another project's key has its own budget.
                let frontend = try test.project("acme", "frontend").id
                let other = try await client.sentry(
                    Self.envelopePath(frontend), Self.envelope(eventID: Self.eventID()), headers: Self.auth(TestDaemon.frontendKey))
                #expect(other.status == .ok)
            }
        }
    }
}

extension TestClientProtocol {
    /// Posts a body to a Sentry endpoint, by default with `acme/backend`'s key in `X-Sentry-Auth`.
    fileprivate func sentry(
        _ path: String, _ body: Data, headers: HTTPFields = SentryRoutesTests.auth(TestDaemon.backendKey)
    ) async throws -> TestResponse {
        try await send(.post, path, headers: headers, body: body)
    }
}
