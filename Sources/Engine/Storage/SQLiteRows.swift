import Foundation
internal import GRDB

/// A stored row that no longer decodes (a JSON column edited by hand, an enum value from a
/// newer version). Names the table and column so an operator can find it.
struct CorruptRow: Error, CustomStringConvertible {
    var table: String
    var column: String
    var reason: String
    var description: String { "corrupt \(table).\(column): \(reason)" }
}

private func date(_ row: Row, _ column: String) -> Date { Date(timeIntervalSince1970: row[column]) }
private func optionalDate(_ row: Row, _ column: String) -> Date? {
    (row[column] as Double?).map(Date.init(timeIntervalSince1970:))
}
private func jsonObject(_ row: Row, _ column: String, table: String) throws -> [String: JSONValue] {
    let text: String = row[column]
    do {
        guard let object = try JSONValue.parse(text).objectValue else {
            throw CorruptRow(table: table, column: column, reason: "not a JSON object")
        }
        return object
    } catch let error as JSONValue.ParseError {
        throw CorruptRow(table: table, column: column, reason: error.description)
    }
}
private func storedLevel(_ row: Row, table: String) throws -> Level {
    let name: String = row["level"]
    guard let level = Level(rawValue: name) else { throw CorruptRow(table: table, column: "level", reason: "unknown level \(name)") }
    return level
}

extension Organization {
    init(row: Row) { self.init(id: row["id"], slug: row["slug"], name: row["name"]) }
}

extension Project {
    init(row: Row) { self.init(id: row["id"], organizationID: row["organization_id"], slug: row["slug"], name: row["name"]) }
}

extension Release {
    init(row: Row) {
        self.init(id: row["id"], projectID: row["project_id"], version: row["version"], dateAdded: date(row, "date_added"), newGroups: row["new_groups"])
    }
}

extension Environment {
    init(row: Row) { self.init(id: row["id"], projectID: row["project_id"], name: row["name"]) }
}

extension GroupEnvironment {
    init(row: Row) {
        self.init(
            groupID: row["group_id"], environmentID: row["environment_id"], firstReleaseID: row["first_release_id"],
            firstSeen: date(row, "first_seen"))
    }
}

extension GroupResolution {
    init(row: Row) {
        self.init(
            groupID: row["group_id"], releaseID: row["release_id"], kind: (row["kind"] as Int?).flatMap(Kind.init(rawValue:)),
            currentReleaseVersion: row["current_release_version"], createdAt: date(row, "created_at"))
    }
}

extension Activity {
    init(row: Row) throws {
        let rawType: Int = row["type"]
        guard let type = ActivityType(rawValue: rawType) else {
            throw CorruptRow(table: "activity", column: "type", reason: "unknown activity type \(rawType)")
        }
        self.init(
            id: row["id"], groupID: row["group_id"], projectID: row["project_id"], type: type,
            data: try jsonObject(row, "data", table: "activity"), createdAt: date(row, "created_at"))
    }
}

extension Group {
    init(row: Row) throws {
        let rawStatus: Int = row["status"]
        let rawPriority: Int = row["priority"]
        guard let status = GroupStatus(rawValue: rawStatus) else {
            throw CorruptRow(table: "issue_group", column: "status", reason: "unknown status \(rawStatus)")
        }
        guard let priority = PriorityLevel(rawValue: rawPriority) else {
            throw CorruptRow(table: "issue_group", column: "priority", reason: "unknown priority \(rawPriority)")
        }
        self.init(
            id: row["id"], projectID: row["project_id"], shortID: row["short_id"], type: row["type"], status: status,
            substatus: (row["substatus"] as Int?).flatMap(GroupSubstatus.init(rawValue:)), priority: priority,
            priorityLockedAt: optionalDate(row, "priority_locked_at"), level: try storedLevel(row, table: "issue_group"),
            title: row["title"], culprit: row["culprit"], message: row["message"], platform: row["platform"],
            firstSeen: date(row, "first_seen"), lastSeen: date(row, "last_seen"), activeAt: date(row, "active_at"),
            resolvedAt: optionalDate(row, "resolved_at"), timesSeen: row["times_seen"], firstReleaseID: row["first_release_id"],
            assignee: row["assignee"], metadata: try jsonObject(row, "metadata", table: "issue_group"))
    }
}

extension Event {
    init(row: Row) throws {
        let tagsText: String = row["tags"]
        let tags: [EventTag]
        do {
            tags = try (JSONValue.parse(tagsText).arrayValue ?? []).compactMap { pair in
                guard let pair = pair.arrayValue, pair.count == 2, let key = pair[0].stringValue, let value = pair[1].stringValue else {
                    return nil
                }
                return EventTag(key, value)
            }
        } catch {
            throw CorruptRow(table: "event", column: "tags", reason: error.description)
        }
        self.init(
            eventID: row["event_id"], projectID: row["project_id"], timestamp: date(row, "timestamp"), received: date(row, "received"),
            platform: row["platform"], level: try storedLevel(row, table: "event"), release: row["release"], environment: row["environment"],
            tags: tags, data: try jsonObject(row, "data", table: "event"))
    }
}

extension IssueOccurrence {
    /// Decodes the JSON this store wrote with `IssueOccurrence.json` (already validated, so any
    /// mismatch means a corrupt row).
    init(storedJSON text: String) throws {
        func corrupt(_ reason: String) -> CorruptRow { CorruptRow(table: "occurrence", column: "data", reason: reason) }
        let object: [String: JSONValue]
        do {
            guard let parsed = try JSONValue.parse(text).objectValue else { throw corrupt("not a JSON object") }
            object = parsed
        } catch let error as JSONValue.ParseError {
            throw corrupt(error.description)
        }
        guard let id = object["id"]?.stringValue, let projectID = object["project_id"]?.intValue,
            let eventID = object["event_id"]?.stringValue, let type = object["type"]?.intValue,
            let detection = object["detection_time"]?.doubleValue,
            let level = object["level"]?.stringValue.flatMap(Level.init(rawValue:))
        else { throw corrupt("missing a required field") }
        self.init(
            id: id, projectID: projectID, eventID: eventID,
            fingerprint: (object["fingerprint"]?.arrayValue ?? []).compactMap(\.stringValue),
            issueTitle: object["issue_title"]?.stringValue ?? "", subtitle: object["subtitle"]?.stringValue ?? "",
            resourceID: object["resource_id"]?.stringValue, evidenceData: object["evidence_data"]?.objectValue ?? [:],
            evidenceDisplay: (object["evidence_display"]?.arrayValue ?? []).compactMap { row in
                guard let name = row["name"]?.stringValue, let value = row["value"]?.stringValue else { return nil }
                return IssueEvidence(name: name, value: value, important: row["important"] == .bool(true))
            },
            type: Int(type), detectionTime: Date(timeIntervalSince1970: detection), level: level,
            culprit: object["culprit"]?.stringValue ?? "",
            priority: object["priority"]?.intValue.flatMap { PriorityLevel(rawValue: Int($0)) },
            assignee: object["assignee"]?.stringValue)
    }
}
