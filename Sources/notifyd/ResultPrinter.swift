import Engine
import Foundation

/// Formats message results as the one-line JSON the CLI prints (the same shape the HTTP
/// ingest endpoint answers with).
struct ResultPrinter {
    let engine: Engine

    func line(for result: MessageResult) async throws -> String {
        var object: [String: JSONValue] = ["id": result.messageID.map(JSONValue.string) ?? .null]
        switch result.outcome {
        case .grouped(let info):
            object["status"] = "grouped"
            object["group_id"] = .string(String(info.group.id))
            object["short_id"] = .string(try await shortID(info.group))
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
        return JSONValue.object(object).serializedString()
    }

    func shortID(_ group: Group) async throws -> String {
        let slug = try await engine.store.read { try $0.project(id: group.projectID)?.slug } ?? "?"
        return ShortID.format(projectSlug: slug, number: group.shortID)
    }
}
