import Engine
import Foundation

/// Formats message results as JSON: the line the CLI prints and the element the HTTP ingest
/// endpoint answers with (the same shape for both).
struct ResultPrinter {
    let engine: Engine

    /// The one-line JSON for a result; looks up the project's slug for the short id.
    func line(for result: MessageResult) async throws -> String {
        var slug: String?
        if let group = result.groupInfo?.group {
            slug = try await engine.store.read { try $0.project(id: group.projectID)?.slug }
        }
        return value(for: result, projectSlug: slug).serializedString()
    }

    /// The JSON for a result whose project slug is known.
    func value(for result: MessageResult, projectSlug: String?) -> JSONValue {
        var object: [String: JSONValue] = ["id": result.messageID.map(JSONValue.string) ?? .null]
        switch result.outcome {
        case .grouped(let info):
            object["status"] = "grouped"
            object["group_id"] = .string(String(info.group.id))
            object["short_id"] = .string(ShortID.format(projectSlug: projectSlug ?? "?", number: info.group.shortID))
            object["is_new"] = .bool(info.isNew)
            object["is_regression"] = .bool(info.isRegression)
        case .statusChanged(let group, let changed):
            object["status"] = "status_changed"
            object["group_id"] = .string(String(group.id))
            object["changed"] = .bool(changed)
            object["group_status"] = .string(group.status.name)
        case .dropped(let reason):
            object["status"] = "dropped"
            object["reason"] = .string(reason.description)
        case .invalid(let error):
            object["status"] = "invalid"
            object["error"] = .string(error.reason)
            object["field"] = .string(error.field)
        case .failed(let reason):
            object["status"] = "failed"
            object["error"] = .string(reason)
        }
        return .object(object)
    }
}
