import Engine
import Foundation
import Hummingbird
import NIOCore

/// Reads request bodies within the configured limits.
struct RequestBody {
    var maxBytes: Int
    var maxDepth: Int

    /// The body's bytes; 413 beyond the limit.
    func data(_ request: Request) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw APIError(.contentTooLarge, "The request body is larger than \(maxBytes) bytes.")
        }
        do {
            let buffer = try await request.body.collect(upTo: maxBytes)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            // A body without Content-Length (chunked) is only measured while it is read.
            throw APIError(.contentTooLarge, "The request body is larger than \(maxBytes) bytes.")
        }
    }

    /// The body parsed as JSON; 400 naming the byte offset when it is not JSON or nests too deep.
    func json(_ request: Request) async throws -> (JSONValue, Data) {
        let data = try await data(request)
        do {
            return (try JSONValue.parse(data, maxDepth: maxDepth), data)
        } catch {
            throw APIError.badRequest("The request body is not valid JSON: \(error)")
        }
    }
}
