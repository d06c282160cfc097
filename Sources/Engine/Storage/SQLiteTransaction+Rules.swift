import Foundation
internal import GRDB

extension SQLiteTransaction {
    func countOccurrences(groupID: Int64, since: Date, environment: String?) throws -> Int {
        try countInWindow("COUNT(*)", groupID: groupID, since: since, environment: environment)
    }

    func countUniqueUsers(groupID: Int64, since: Date, environment: String?) throws -> Int {
        try countInWindow("COUNT(DISTINCT user_key)", groupID: groupID, since: since, environment: environment)
    }

    /// An aggregate over an issue's occurrences in a time window, optionally in one environment.
    private func countInWindow(_ aggregate: String, groupID: Int64, since: Date, environment: String?) throws -> Int {
        let base = "SELECT \(aggregate) FROM occurrence WHERE group_id = ? AND event_timestamp >= ?"
        if let environment {
            return try fetchOne(base + " AND environment = ?", [groupID, since.timeIntervalSince1970, environment]) { $0.int(0) } ?? 0
        }
        return try fetchOne(base, [groupID, since.timeIntervalSince1970]) { $0.int(0) } ?? 0
    }

    func rulesLastFired(groupID: Int64) throws -> [String: Date] {
        let rows = try fetchAll("SELECT rule_id, last_fired FROM rule_status WHERE group_id = ?", [groupID]) { ($0.string(0), $0.date(1)) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    func claimRuleFire(ruleID: String, groupID: Int64, now: Date, frequency: Duration) throws -> Bool {
        let cutoff = now.timeIntervalSince1970 - Double(frequency.components.seconds)
        // Inserts the first firing, or moves an expired one forward; a firing inside the window
        // changes no row, which is how a concurrent second signal learns it lost.
        try execute(
            """
            INSERT INTO rule_status (rule_id, group_id, last_fired) VALUES (?, ?, ?)
            ON CONFLICT (group_id, rule_id) DO UPDATE SET last_fired = excluded.last_fired WHERE last_fired <= ?
            """, [ruleID, groupID, now.timeIntervalSince1970, cutoff])
        return changesCount == 1
    }

    func insertFiring(_ firing: RuleFiring) throws {
        try execute(
            "INSERT INTO rule_fire_history (rule_id, group_id, event_id, notification_uuid, fired_at) VALUES (?, ?, ?, ?, ?)",
            [firing.ruleID, firing.groupID, firing.eventID, firing.notificationUUID, firing.firedAt.timeIntervalSince1970])
    }

    func ruleFirings(groupID: Int64) throws -> [RuleFiring] {
        try fetchAll(
            "SELECT rule_id, group_id, event_id, notification_uuid, fired_at FROM rule_fire_history WHERE group_id = ? ORDER BY id",
            [groupID]
        ) { RuleFiring(ruleID: $0.string(0), groupID: $0.int64(1), eventID: $0.optionalString(2), notificationUUID: $0.string(3), firedAt: $0.date(4)) }
    }

    func enqueue(_ delivery: Delivery) throws {
        try execute(
            """
            INSERT INTO delivery (
                id, channel, target, secret_env, kind, rule_ids, rule_names, organization_id, project_id, group_id, event_id,
                notification_uuid, created_at, state, attempts, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                delivery.id, delivery.channel.rawValue, delivery.target, delivery.secretEnv, delivery.kind.rawValue,
                JSONValue.array(delivery.ruleIDs.map(JSONValue.string)).serializedString(),
                JSONValue.array(delivery.ruleNames.map(JSONValue.string)).serializedString(), delivery.organizationID,
                delivery.projectID, delivery.groupID, delivery.eventID, delivery.notificationUUID,
                delivery.createdAt.timeIntervalSince1970, delivery.state.rawValue, delivery.attempts,
                delivery.nextAttemptAt.timeIntervalSince1970,
            ])
    }

    func deliveries(state: Delivery.State?, limit: Int) throws -> [Delivery] {
        let columns = Delivery.columns
        if let state {
            return try fetchAll(
                "SELECT \(columns) FROM delivery WHERE state = ? ORDER BY created_at, rowid LIMIT ?", [state.rawValue, limit],
                Delivery.init(columns:))
        }
        return try fetchAll("SELECT \(columns) FROM delivery ORDER BY created_at, rowid LIMIT ?", [limit], Delivery.init(columns:))
    }
}

extension Delivery {
    static let columns = """
        id, channel, target, secret_env, kind, rule_ids, rule_names, organization_id, project_id, group_id, event_id, \
        notification_uuid, created_at, state, attempts, next_attempt_at, last_error, delivered_at
        """

    init(columns c: SQLiteColumns) throws {
        func strings(_ index: Int32, _ column: String) throws -> [String] {
            do {
                return (try JSONValue.parse(c.string(index)).arrayValue ?? []).compactMap(\.stringValue)
            } catch {
                throw CorruptRow(table: "delivery", column: column, reason: error.description)
            }
        }
        guard let channel = Channel(rawValue: c.string(1)), let kind = Kind(rawValue: c.string(4)), let state = State(rawValue: c.string(13))
        else { throw CorruptRow(table: "delivery", column: "channel/kind/state", reason: "unknown value") }
        self.init(
            id: c.string(0), channel: channel, target: c.string(2), secretEnv: c.optionalString(3), kind: kind,
            ruleIDs: try strings(5, "rule_ids"), ruleNames: try strings(6, "rule_names"), organizationID: c.int64(7), projectID: c.int64(8),
            groupID: c.int64(9), eventID: c.optionalString(10), notificationUUID: c.string(11), createdAt: c.date(12), state: state,
            attempts: c.int(14), nextAttemptAt: c.date(15), lastError: c.optionalString(16), deliveredAt: c.optionalDate(17))
    }
}
