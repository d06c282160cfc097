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

// Rows are read by column index: GRDB's by-name lookup lower-cases the name on every access,
// which showed up in ingest profiles. Each type's `columns` lists the SELECT order.
private func date(_ row: Row, _ index: Int) -> Date { Date(timeIntervalSince1970: row[index]) }
private func optionalDate(_ row: Row, _ index: Int) -> Date? {
    (row[index] as Double?).map(Date.init(timeIntervalSince1970:))
}
private func jsonObject(_ row: Row, _ index: Int, column: String, table: String) throws -> [String: JSONValue] {
    let text: String = row[index]
    do {
        guard let object = try JSONValue.parse(text).objectValue else {
            throw CorruptRow(table: table, column: column, reason: "not a JSON object")
        }
        return object
    } catch let error as JSONValue.ParseError {
        throw CorruptRow(table: table, column: column, reason: error.description)
    }
}
private func storedLevel(_ row: Row, _ index: Int, table: String) throws -> Level {
    let name: String = row[index]
    guard let level = Level(rawValue: name) else { throw CorruptRow(table: table, column: "level", reason: "unknown level \(name)") }
    return level
}

extension Organization {
    static let columns = "id, slug, name"
    init(row: Row) { self.init(id: row[0], slug: row[1], name: row[2]) }
}

extension Project {
    static let columns = "id, organization_id, slug, name"
    init(row: Row) { self.init(id: row[0], organizationID: row[1], slug: row[2], name: row[3]) }
}

extension Release {
    static let columns = "id, project_id, version, date_added, new_groups"
    init(row: Row) { self.init(id: row[0], projectID: row[1], version: row[2], dateAdded: date(row, 3), newGroups: row[4]) }
}

extension Environment {
    static let columns = "id, project_id, name"
    init(row: Row) { self.init(id: row[0], projectID: row[1], name: row[2]) }
}

extension GroupEnvironment {
    static let columns = "group_id, environment_id, first_release_id, first_seen"
    init(row: Row) { self.init(groupID: row[0], environmentID: row[1], firstReleaseID: row[2], firstSeen: date(row, 3)) }
}

extension GroupResolution {
    static let columns = "group_id, release_id, kind, current_release_version, created_at"
    init(row: Row) {
        self.init(
            groupID: row[0], releaseID: row[1], kind: (row[2] as Int?).flatMap(Kind.init(rawValue:)), currentReleaseVersion: row[3],
            createdAt: date(row, 4))
    }
}

extension Activity {
    static let columns = "id, group_id, project_id, type, data, created_at"
    init(row: Row) throws {
        let rawType: Int = row[3]
        guard let type = ActivityType(rawValue: rawType) else {
            throw CorruptRow(table: "activity", column: "type", reason: "unknown activity type \(rawType)")
        }
        self.init(
            id: row[0], groupID: row[1], projectID: row[2], type: type, data: try jsonObject(row, 4, column: "data", table: "activity"),
            createdAt: date(row, 5))
    }
}

extension Group {
    static let columns = """
        id, project_id, short_id, type, status, substatus, priority, priority_locked_at, level, title, culprit, message, \
        platform, first_seen, last_seen, active_at, resolved_at, times_seen, first_release_id, assignee, metadata
        """
    init(row: Row) throws {
        let rawStatus: Int = row[4]
        let rawPriority: Int = row[6]
        guard let status = GroupStatus(rawValue: rawStatus) else {
            throw CorruptRow(table: "issue_group", column: "status", reason: "unknown status \(rawStatus)")
        }
        guard let priority = PriorityLevel(rawValue: rawPriority) else {
            throw CorruptRow(table: "issue_group", column: "priority", reason: "unknown priority \(rawPriority)")
        }
        self.init(
            id: row[0], projectID: row[1], shortID: row[2], type: row[3], status: status,
            substatus: (row[5] as Int?).flatMap(GroupSubstatus.init(rawValue:)), priority: priority, priorityLockedAt: optionalDate(row, 7),
            level: try storedLevel(row, 8, table: "issue_group"), title: row[9], culprit: row[10], message: row[11], platform: row[12],
            firstSeen: date(row, 13), lastSeen: date(row, 14), activeAt: date(row, 15), resolvedAt: optionalDate(row, 16),
            timesSeen: row[17], firstReleaseID: row[18], assignee: row[19],
            metadata: try jsonObject(row, 20, column: "metadata", table: "issue_group"))
    }
}

extension Event {
    static let columns = "project_id, event_id, timestamp, received, platform, level, release, environment, tags, data"
    static let qualifiedColumns = columns.split(separator: ",").map { "event.\($0.trimmingCharacters(in: .whitespaces))" }
        .joined(separator: ", ")
    init(row: Row) throws {
        let tagsText: String = row[8]
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
            eventID: row[1], projectID: row[0], timestamp: date(row, 2), received: date(row, 3), platform: row[4],
            level: try storedLevel(row, 5, table: "event"), release: row[6], environment: row[7], tags: tags,
            data: try jsonObject(row, 9, column: "data", table: "event"))
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
