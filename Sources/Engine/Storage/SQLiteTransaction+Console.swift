import Foundation
internal import GRDB

/// The reads behind the console's pages (event walks, sparklines, tag summaries, rule and
/// outbox listings) and its session records.
extension SQLiteTransaction {
    // MARK: Events of an issue

    func groupEvents(groupID: Int64, from position: EventPosition?, direction: EventDirection, limit: Int) throws -> [GroupEvent] {
        let order = direction == .older ? "DESC" : "ASC"
        var condition = "o.group_id = ?"
        var values: [any SQLiteValue] = [groupID]
        if let position {
            // Row values compare (timestamp, rowid) as one key, in the index's order.
            condition += " AND (o.event_timestamp, o.rowid) \(direction == .older ? "<" : ">") (?, ?)"
            values += [position.timestamp.timeIntervalSince1970, position.sequence]
        }
        let columns = Event.qualifiedColumns
        return try fetchAll(
            """
            SELECT \(columns), o.event_timestamp, o.rowid FROM occurrence o
            JOIN event ON event.project_id = o.project_id AND event.event_id = o.event_id
            WHERE \(condition) ORDER BY o.event_timestamp \(order), o.rowid \(order) LIMIT ?
            """, values + [limit]
        ) { try GroupEvent(columns: $0) }
    }

    func groupEvent(groupID: Int64, eventID: String) throws -> GroupEvent? {
        try fetchOne(
            """
            SELECT \(Event.qualifiedColumns), o.event_timestamp, o.rowid FROM occurrence o
            JOIN event ON event.project_id = o.project_id AND event.event_id = o.event_id
            WHERE o.event_id = ? AND o.group_id = ? ORDER BY o.rowid DESC LIMIT 1
            """, [eventID, groupID]
        ) { try GroupEvent(columns: $0) }
    }

    func eventCounts(groupIDs: [Int64], since: Date, bucketSeconds: Int, buckets: Int) throws -> [Int64: [Int]] {
        guard !groupIDs.isEmpty, bucketSeconds > 0, buckets > 0 else { return [:] }
        let start = since.timeIntervalSince1970
        let end = start + Double(bucketSeconds * buckets)
        let rows = try fetchAll(
            """
            SELECT group_id, CAST((event_timestamp - ?) / ? AS INTEGER) AS bucket, COUNT(*) FROM occurrence
            WHERE group_id IN (\(IssueFilterSQL.placeholders(groupIDs.count))) AND event_timestamp >= ? AND event_timestamp < ?
            GROUP BY group_id, bucket
            """, [start, Double(bucketSeconds)] + groupIDs.map { $0 as any SQLiteValue } + [start, end], cached: false
        ) { ($0.int64(0), $0.int(1), $0.int(2)) }
        var counts: [Int64: [Int]] = [:]
        for (group, bucket, count) in rows where (0..<buckets).contains(bucket) {
            counts[group, default: Array(repeating: 0, count: buckets)][bucket] = count
        }
        return counts
    }

    func recentEventTags(groupID: Int64, limit: Int) throws -> [[EventTag]] {
        try fetchAll(
            """
            SELECT e.tags FROM occurrence o JOIN event e ON e.project_id = o.project_id AND e.event_id = o.event_id
            WHERE o.group_id = ? ORDER BY o.event_timestamp DESC, o.rowid DESC LIMIT ?
            """, [groupID, limit]
        ) { try Event.tags(fromJSON: $0.string(0)) }
    }

    func environmentNames(groupID: Int64) throws -> [String] {
        try fetchAll(
            "SELECT en.name FROM group_environment ge JOIN environment en ON en.id = ge.environment_id WHERE ge.group_id = ? ORDER BY en.name",
            [groupID]
        ) { $0.string(0) }
    }

    func recordGroupTags(groupID: Int64, tags: [EventTag]) throws {
        // One statement per event (cached per tag count, up to 16 at a time), not one per tag.
        var start = 0
        while start < tags.count {
            let chunk = tags[start..<min(start + 16, tags.count)]
            let rows = Array(repeating: "(?, ?, ?)", count: chunk.count).joined(separator: ", ")
            try execute(
                "INSERT OR IGNORE INTO group_tag_value (key, value, group_id) VALUES \(rows)",
                chunk.flatMap { [$0.key as any SQLiteValue, $0.value, groupID] })
            start += chunk.count
        }
    }

    // MARK: Rules and the outbox

    func ruleFirings(ruleID: String, limit: Int) throws -> [RuleFiring] {
        try fetchAll(
            "SELECT rule_id, group_id, event_id, notification_uuid, fired_at FROM rule_fire_history WHERE rule_id = ? ORDER BY id DESC LIMIT ?",
            [ruleID, limit]
        ) { RuleFiring(ruleID: $0.string(0), groupID: $0.int64(1), eventID: $0.optionalString(2), notificationUUID: $0.string(3), firedAt: $0.date(4)) }
    }

    func rulesLastFired() throws -> [String: Date] {
        let rows = try fetchAll("SELECT rule_id, MAX(fired_at) FROM rule_fire_history GROUP BY rule_id") { ($0.string(0), $0.date(1)) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    func deliveries(_ filter: DeliveryFilter, limit: Int) throws -> [Delivery] {
        var conditions: [String] = []
        var values: [any SQLiteValue] = []
        if let state = filter.state {
            conditions.append("state = ?")
            values.append(state.rawValue)
        }
        if let groupID = filter.groupID {
            conditions.append("group_id = ?")
            values.append(groupID)
        }
        if let before = filter.before {
            conditions.append("(created_at, id) < (?, ?)")
            values += [before.createdAt.timeIntervalSince1970, before.id]
        }
        let condition = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try fetchAll(
            "SELECT \(Delivery.columns) FROM delivery \(condition) ORDER BY created_at DESC, id DESC LIMIT ?", values + [limit], cached: false,
            Delivery.init(columns:))
    }

    // MARK: Console sessions

    func consoleSession(idDigest: String) throws -> ConsoleSession? {
        try fetchOne(
            "SELECT id_digest, token_name, csrf_token, created_at, last_seen_at FROM console_session WHERE id_digest = ?", [idDigest]
        ) { ConsoleSession(idDigest: $0.string(0), tokenName: $0.string(1), csrfToken: $0.string(2), createdAt: $0.date(3), lastSeenAt: $0.date(4)) }
    }

    func insertConsoleSession(_ session: ConsoleSession) throws {
        try execute(
            "INSERT INTO console_session (id_digest, token_name, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
            [
                session.idDigest, session.tokenName, session.csrfToken, session.createdAt.timeIntervalSince1970,
                session.lastSeenAt.timeIntervalSince1970,
            ])
    }

    func touchConsoleSession(idDigest: String, at date: Date) throws {
        try execute("UPDATE console_session SET last_seen_at = ? WHERE id_digest = ?", [date.timeIntervalSince1970, idDigest])
    }

    func deleteConsoleSession(idDigest: String) throws {
        try execute("DELETE FROM console_session WHERE id_digest = ?", [idDigest])
    }

    func deleteConsoleSessions(lastSeenBefore: Date, createdBefore: Date) throws -> Int {
        try execute(
            "DELETE FROM console_session WHERE last_seen_at < ? OR created_at < ?",
            [lastSeenBefore.timeIntervalSince1970, createdBefore.timeIntervalSince1970])
        return db.changesCount
    }
}

extension GroupEvent {
    /// The event's columns followed by the occurrence's `event_timestamp` and `rowid`.
    init(columns: SQLiteColumns) throws {
        self.init(event: try Event(columns: columns), position: EventPosition(timestamp: columns.date(10), sequence: columns.int64(11)))
    }
}
