import Foundation

/// A stored row that no longer decodes (a JSON column edited by hand, an enum value from a
/// newer version). Names the table and column so an operator can find it.
struct CorruptRow: Error, CustomStringConvertible {
    var table: String
    var column: String
    var reason: String
    var description: String { "corrupt \(table).\(column): \(reason)" }
}

// Each model type that is stored lists its `columns` in SELECT order and reads them back by
// index from `SQLiteColumns`.

extension SQLiteColumns {
    fileprivate func level(_ index: Int32, table: String) throws -> Level {
        let name = string(index)
        guard let level = Level(rawValue: name) else { throw CorruptRow(table: table, column: "level", reason: "unknown level \(name)") }
        return level
    }
}

extension Organization {
    static let columns = "id, slug, name"
    init(columns c: SQLiteColumns) { self.init(id: c.int64(0), slug: c.string(1), name: c.string(2)) }
}

extension Project {
    static let columns = "id, organization_id, slug, name"
    init(columns c: SQLiteColumns) { self.init(id: c.int64(0), organizationID: c.int64(1), slug: c.string(2), name: c.string(3)) }
}

extension Release {
    static let columns = "id, project_id, version, date_added, new_groups"
    init(columns c: SQLiteColumns) {
        self.init(id: c.int64(0), projectID: c.int64(1), version: c.string(2), dateAdded: c.date(3), newGroups: c.int64(4))
    }
}

extension Environment {
    static let columns = "id, project_id, name"
    init(columns c: SQLiteColumns) { self.init(id: c.int64(0), projectID: c.int64(1), name: c.string(2)) }
}

extension GroupEnvironment {
    static let columns = "group_id, environment_id, first_release_id, first_seen"
    init(columns c: SQLiteColumns) {
        self.init(groupID: c.int64(0), environmentID: c.int64(1), firstReleaseID: c.optionalInt64(2), firstSeen: c.date(3))
    }
}

extension GroupResolution {
    static let columns = "group_id, release_id, kind, current_release_version, created_at"
    init(columns c: SQLiteColumns) {
        self.init(
            groupID: c.int64(0), releaseID: c.int64(1), kind: c.optionalInt(2).flatMap(Kind.init(rawValue:)),
            currentReleaseVersion: c.optionalString(3), createdAt: c.date(4))
    }
}

extension Activity {
    static let columns = "id, group_id, project_id, type, data, created_at"
    init(columns c: SQLiteColumns) throws {
        guard let type = ActivityType(rawValue: c.int(3)) else {
            throw CorruptRow(table: "activity", column: "type", reason: "unknown activity type \(c.int(3))")
        }
        self.init(
            id: c.int64(0), groupID: c.int64(1), projectID: c.int64(2), type: type,
            data: try c.jsonObject(4, table: "activity", column: "data"), createdAt: c.date(5))
    }
}

extension Group {
    static let columns = """
        id, project_id, short_id, type, status, substatus, priority, priority_locked_at, level, title, culprit, message, \
        platform, first_seen, last_seen, active_at, resolved_at, times_seen, first_release_id, assignee, metadata
        """
    init(columns c: SQLiteColumns) throws {
        guard let status = GroupStatus(rawValue: c.int(4)) else {
            throw CorruptRow(table: "issue_group", column: "status", reason: "unknown status \(c.int(4))")
        }
        guard let priority = PriorityLevel(rawValue: c.int(6)) else {
            throw CorruptRow(table: "issue_group", column: "priority", reason: "unknown priority \(c.int(6))")
        }
        self.init(
            id: c.int64(0), projectID: c.int64(1), shortID: c.int64(2), type: c.int(3), status: status,
            substatus: c.optionalInt(5).flatMap(GroupSubstatus.init(rawValue:)), priority: priority, priorityLockedAt: c.optionalDate(7),
            level: try c.level(8, table: "issue_group"), title: c.string(9), culprit: c.string(10), message: c.string(11),
            platform: c.string(12), firstSeen: c.date(13), lastSeen: c.date(14), activeAt: c.date(15), resolvedAt: c.optionalDate(16),
            timesSeen: c.int64(17), firstReleaseID: c.optionalInt64(18), assignee: c.optionalString(19),
            metadata: try c.jsonObject(20, table: "issue_group", column: "metadata"))
    }
}

extension Event {
    static let columns = "project_id, event_id, timestamp, received, platform, level, release, environment, tags, data"
    static let qualifiedColumns = columns.split(separator: ",").map { "event.\($0.trimmingCharacters(in: .whitespaces))" }
        .joined(separator: ", ")

    init(columns c: SQLiteColumns) throws {
        let tags = try Self.tags(fromJSON: c.string(8))
        self.init(
            eventID: c.string(1), projectID: c.int64(0), timestamp: c.date(2), received: c.date(3), platform: c.string(4),
            level: try c.level(5, table: "event"), release: c.optionalString(6), environment: c.optionalString(7), tags: tags,
            data: try c.jsonObject(9, table: "event", column: "data"))
    }

    /// The `tags` column: a JSON list of `[key, value]` pairs.
    static func tags(fromJSON text: String) throws -> [EventTag] {
        do {
            return try (JSONValue.parse(text).arrayValue ?? []).compactMap { pair in
                guard let pair = pair.arrayValue, pair.count == 2, let key = pair[0].stringValue, let value = pair[1].stringValue else {
                    return nil
                }
                return EventTag(key, value)
            }
        } catch {
            throw CorruptRow(table: "event", column: "tags", reason: error.description)
        }
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
