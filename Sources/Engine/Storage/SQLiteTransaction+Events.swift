import Foundation
internal import GRDB

extension SQLiteTransaction {
    func event(projectID: Int64, eventID: String) throws -> Event? {
        try fetchOne("SELECT \(Event.columns) FROM event WHERE project_id = ? AND event_id = ?", [projectID, eventID], Event.init(columns:))
    }

    func saveEvent(_ row: EventRow) throws {
        let event = row.event
        try execute(
            """
            INSERT OR REPLACE INTO event (project_id, event_id, timestamp, received, platform, level, release, environment, tags, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                event.projectID, event.eventID, event.timestamp.timeIntervalSince1970, event.received.timeIntervalSince1970,
                event.platform, event.level.rawValue, event.release, event.environment, row.tagsJSON, row.dataJSON,
            ])
    }

    func occurrence(projectID: Int64, id: String) throws -> IssueOccurrence? {
        try fetchOne("SELECT data FROM occurrence WHERE project_id = ? AND id = ?", [projectID, id]) { try IssueOccurrence(storedJSON: $0.string(0)) }
    }

    func saveOccurrence(_ row: OccurrenceRow, event: Event, groupID: Int64?) throws {
        let occurrence = row.occurrence
        try execute(
            """
            INSERT OR REPLACE INTO occurrence (project_id, id, event_id, group_id, type, event_timestamp, data, environment, user_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                occurrence.projectID, occurrence.id, occurrence.eventID, groupID, occurrence.type, event.timestamp.timeIntervalSince1970,
                row.json, event.environment, Self.userKey(event),
            ])
    }

    /// The identity unique-user counts use: the first of the user's id, email, username and IP
    /// address, prefixed with its kind (Sentry's `sentry:user` tag).
    static func userKey(_ event: Event) -> String? {
        guard let user = event.user else { return nil }
        for field in ["id", "email", "username", "ip_address"] {
            if let value = user[field], value.isTruthy {
                return "\(field == "ip_address" ? "ip" : field):\(value.stringValue ?? value.serializedString())"
            }
        }
        return nil
    }

    func latestEvent(groupID: Int64) throws -> Event? {
        try fetchOne(
            """
            SELECT \(Event.qualifiedColumns) FROM occurrence JOIN event ON event.project_id = occurrence.project_id AND event.event_id = occurrence.event_id
            WHERE occurrence.group_id = ? ORDER BY occurrence.event_timestamp DESC, occurrence.rowid DESC LIMIT 1
            """, [groupID]
        , Event.init(columns:))
    }
}
