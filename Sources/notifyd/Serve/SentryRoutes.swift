import Engine
import Foundation
import HTTPTypes
import Hummingbird

/// Sentry SDKs' front door: `POST /api/{project_id}/envelope/` and the legacy
/// `POST /api/{project_id}/store/`, authenticated the SDK way (`X-Sentry-Auth`, the
/// `sentry_key` query parameter, or the `dsn` in the envelope header) with the project's ingest
/// key. Bodies may be gzip- or deflate-encoded. Everything behind is the engine's SDK stage.
struct SentryRoutes {
    let daemon: Daemon

    func register(on router: Router<DaemonRequestContext>) {
        router.post("/api/{projectID}/envelope") { request, context -> Response in try await envelope(request, context) }
        router.post("/api/{projectID}/store") { request, context -> Response in try await store(request, context) }
    }

    /// An envelope: 200 `{"id": <event id>}` when every item was accepted; 400 naming the
    /// malformed items otherwise (the valid ones are processed all the same).
    func envelope(_ request: Request, _ context: DaemonRequestContext) async throws -> Response {
        let access = try project(context)
        // A key in the request is checked before the body is read and inflated; only an SDK
        // that puts it in the envelope's `dsn` alone gets its body read first.
        let headerKey = Daemon.ingestKey(request)
        if let headerKey { try authorize(headerKey, access: access) }
        let data = try await body(request)
        if headerKey == nil { try authorize(Self.dsnKey(data), access: access) }
        let result: EnvelopeResult
        do {
            result = try await daemon.engine.ingestEnvelope(data, projectID: access.project.id)
        } catch {
            throw APIError.badRequest("Invalid envelope: \(error)", field: error.field.isEmpty ? "envelope" : "header.\(error.field)")
        }
        daemon.dispatcher.wake()
        if let failure = result.failures.first {
            let details = result.failures.map { $0.description }.joined(separator: "; ")
            throw APIError.badRequest("Invalid envelope item: \(details)", field: "items[\(failure.index)]")
        }
        return .json(.object(result.eventID.map { ["id": .string($0)] } ?? [:]))
    }

    /// One JSON event: 200 `{"id": <event id>}`, 400 when it cannot be an event.
    func store(_ request: Request, _ context: DaemonRequestContext) async throws -> Response {
        let access = try project(context)
        try authorize(Daemon.ingestKey(request), access: access)
        let data = try await body(request)
        let result = await daemon.engine.ingestStoreEvent(data, projectID: access.project.id)
        daemon.dispatcher.wake()
        if let error = result.error {
            throw APIError.badRequest("Invalid event: \(error.reason)", field: error.field.isEmpty ? nil : error.field)
        }
        return .json(.object(result.eventID.map { ["id": .string($0)] } ?? [:]))
    }

    private func project(_ context: DaemonRequestContext) throws -> Credentials.ProjectAccess {
        guard let id = Int64(try context.parameters.require("projectID")), let access = daemon.credentials.project(id: id) else {
            throw APIError.notFound("The requested resource does not exist")
        }
        return access
    }

    /// The project's key check, with the header Sentry SDKs back off by on a 429.
    private func authorize(_ key: String?, access: Credentials.ProjectAccess) throws {
        do {
            try daemon.authorizeIngest(key: key, access: access)
        } catch var error as APIError where error.status == .tooManyRequests {
            // All categories, for the whole organization.
            error.headers[HTTPField.Name("X-Sentry-Rate-Limits")!] = "\(error.headers[.retryAfter] ?? "1")::organization"
            throw error
        }
    }

    /// The body, decompressed, within `limits.max_envelope_bytes` (before and after).
    private func body(_ request: Request) async throws -> Data {
        let limit = daemon.configuration.limits.maxEnvelopeBytes
        let raw = try await RequestBody(maxBytes: limit, maxDepth: daemon.configuration.limits.maxJSONDepth).data(request)
        do {
            return try ContentDecoding.decode(raw, encoding: request.headers[.contentEncoding], limit: limit)
        } catch .unsupported(let encoding) {
            throw APIError(.unsupportedMediaType, "Unsupported Content-Encoding '\(encoding)'; send identity, gzip or deflate", field: "Content-Encoding")
        } catch .corrupt {
            throw APIError.badRequest("The body is not valid \(request.headers[.contentEncoding] ?? "") data", field: "Content-Encoding")
        } catch .tooLarge {
            throw APIError(.contentTooLarge, "The decompressed body is larger than \(limit) bytes.")
        }
    }

    /// The `sentry_key` of the `dsn` in an envelope's header line, if there is one.
    static func dsnKey(_ data: Data) -> String? {
        let line = data.prefix { $0 != UInt8(ascii: "\n") }
        guard case .object(let members)? = try? JSONValue.parse(Data(line)), let header = try? EnvelopeHeader(members) else { return nil }
        return header.dsn?.publicKey
    }
}
