import Engine
import Foundation
import Hummingbird
import NIOCore
import Testing
@testable import notifyd

/// Reading request bodies within the limits, with and without a Content-Length (the router test
/// client always sends one, so the streamed case is tested here).
struct RequestBodyTests {
    private let reader = notifyd.RequestBody(maxBytes: 1024, maxDepth: 4)

    @Test func aBodyWithinTheLimitIsRead() async throws {
        let data = try await reader.data(Self.request(Data(#"{"a": [1, 2]}"#.utf8)))
        #expect(String(decoding: data, as: UTF8.self) == #"{"a": [1, 2]}"#)
        let (value, _) = try await reader.json(Self.request(Data(#"{"a": [1, 2]}"#.utf8)))
        #expect(value == ["a": [1, 2]])
    }

    @Test func aStreamedBodyOverTheLimitIsTooLargeWithADetail() async throws {
        let error = await #expect(throws: APIError.self) {
            try await reader.data(Self.request(Data(repeating: UInt8(ascii: "a"), count: 4096)))
        }
        #expect(error?.status == .contentTooLarge)
        #expect(error?.detail == "The request body is larger than 1024 bytes.")
    }

    @Test func aContentLengthOverTheLimitIsTooLargeBeforeReading() async throws {
        let error = await #expect(throws: APIError.self) {
            try await reader.data(Self.request(Data("{}".utf8), contentLength: 1_000_000))
        }
        #expect(error?.status == .contentTooLarge)
    }

    @Test func nestingDeeperThanTheLimitIsABadRequest() async throws {
        let error = await #expect(throws: APIError.self) {
            try await reader.json(Self.request(Data("[[[[[1]]]]]".utf8)))
        }
        #expect(error?.status == .badRequest)
        #expect(error?.detail.contains("nesting deeper than 4 levels") == true)
    }

    private static func request(_ body: Data, contentLength: Int? = nil) -> Request {
        var head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/")
        if let contentLength { head.headerFields[.contentLength] = String(contentLength) }
        return Request(head: head, body: Hummingbird.RequestBody(buffer: ByteBuffer(bytes: body)))
    }
}
