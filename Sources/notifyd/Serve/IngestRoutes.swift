import Engine
import Foundation
import Hummingbird

/// `POST /api/0/projects/{org}/{project}/occurrences/` and `…/feedback/`: producers' front door.
struct IngestRoutes {
    let daemon: Daemon

    func register(on router: Router<DaemonRequestContext>) {
        router.post("/api/0/projects/{organization}/{project}/occurrences") { request, context -> Response in
            try await occurrences(request, context)
        }
        router.post("/api/0/projects/{organization}/{project}/feedback") { request, context -> Response in
            try await feedback(request, context)
        }
    }

    private var body: RequestBody {
        RequestBody(maxBytes: daemon.configuration.limits.maxBodyBytes, maxDepth: daemon.configuration.limits.maxJSONDepth)
    }

    /// One message or an array of up to `limits.max_batch`; one result per message, in order.
    func occurrences(_ request: Request, _ context: DaemonRequestContext) async throws -> Response {
        let access = try daemon.authorizeIngest(
            request, organization: try context.parameters.require("organization"), project: try context.parameters.require("project"))
        let (value, data) = try await body.json(request)
        let messages: [Data]
        let elements: [JSONValue]
        switch value {
        case .array(let array):
            guard array.count <= daemon.configuration.limits.maxBatch else {
                throw APIError.badRequest("A request may hold at most \(daemon.configuration.limits.maxBatch) messages", field: "body")
            }
            elements = array
            messages = array.map { $0.serialized() }
        case .object:
            elements = [value]
            messages = [data]
        default:
            throw APIError.badRequest("Expected a message object or an array of messages", field: "body")
        }
        let results = await daemon.engine.ingest(batch: messages, projectID: access.project.id)
        daemon.dispatcher.wake()
        let printer = ResultPrinter(engine: daemon.engine)
        var answers: [JSONValue] = []
        answers.reserveCapacity(results.count)
        for (index, result) in results.enumerated() {
            var result = result
            // A message refused before its id was read still has one the producer can match on.
            if result.messageID == nil, case .string(let id)? = elements[index]["id"] { result.messageID = id }
            answers.append(printer.value(for: result, projectSlug: access.project.slug))
        }
        return .json(.array(answers))
    }

    /// `{message, name?, email?, url?, environment?, release?, tags?, replay_id?}` → 201 and the
    /// new feedback issue.
    func feedback(_ request: Request, _ context: DaemonRequestContext) async throws -> Response {
        let access = try daemon.authorizeIngest(
            request, organization: try context.parameters.require("organization"), project: try context.parameters.require("project"))
        let (value, _) = try await body.json(request)
        guard case .object(let fields) = value else { throw APIError.badRequest("Expected a JSON object", field: "body") }
        let known: Set<String> = ["message", "name", "email", "url", "environment", "release", "tags", "replay_id", "associated_event_id"]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.badRequest("Unknown field '\(unknown)'", field: unknown)
        }
        func string(_ key: String) throws -> String? {
            switch fields[key] {
            case nil, .null?: return nil
            case .string(let text)?: return text
            default: throw APIError.badRequest("Expected a string", field: key)
            }
        }
        guard let message = try string("message") else { throw APIError.badRequest("This field is required.", field: "message") }
        var tags: [String: String] = [:]
        switch fields["tags"] {
        case nil, .null?: break
        case .object(let members)?:
            for (key, value) in members {
                guard case .string(let text) = value else { throw APIError.badRequest("Tag values must be strings", field: "tags.\(key)") }
                tags[key] = text
            }
        default: throw APIError.badRequest("Expected an object of strings", field: "tags")
        }
        let input = FeedbackInput(
            message: message, name: try string("name"), email: try string("email"), url: try string("url"),
            environment: try string("environment"), release: try string("release"), tags: tags, replayID: try string("replay_id"),
            associatedEventID: try string("associated_event_id"), source: "api")
        do {
            let (group, _) = try await daemon.engine.createFeedback(projectID: access.project.id, input)
            daemon.dispatcher.wake()
            return .json(daemon.issueJSON.json(group, project: access.project, organization: access.organization), status: .created)
        } catch let error as EngineError {
            throw APIError(error)
        }
    }
}
