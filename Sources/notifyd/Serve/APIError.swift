import Engine
import Hummingbird

/// An API error answer in Sentry's shape, `{"detail": "…"}`, plus the field at fault when there
/// is one (`{"detail": …, "field": "limit"}`).
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var detail: String
    var field: String?
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ detail: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.field = field
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var object: [String: JSONValue] = ["detail": .string(detail)]
        if let field { object["field"] = .string(field) }
        return Response.json(.object(object), status: status, headers: headers)
    }

    static func badRequest(_ detail: String, field: String? = nil) -> APIError { APIError(.badRequest, detail, field: field) }
    static func notFound(_ detail: String) -> APIError { APIError(.notFound, detail) }
    static let unauthorized = APIError(
        .unauthorized, "Invalid token", headers: [.wwwAuthenticate: #"Bearer realm="api""#])
    static func forbidden(_ scope: Scope) -> APIError {
        APIError(.forbidden, "You do not have permission to perform this action (needs \(scope.rawValue)).")
    }

    /// The answer for an engine error.
    init(_ error: EngineError) {
        switch error.code {
        case .notFound: self.init(.notFound, error.reason, field: error.field.isEmpty ? nil : error.field)
        case .conflict: self.init(.conflict, error.reason, field: error.field.isEmpty ? nil : error.field)
        case .notProcessed: self.init(.tooManyRequests, error.reason, field: error.field.isEmpty ? nil : error.field)
        default: self.init(.badRequest, error.reason, field: error.field.isEmpty ? nil : error.field)
        }
    }
}
