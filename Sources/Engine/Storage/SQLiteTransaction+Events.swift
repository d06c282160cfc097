import Foundation
internal import GRDB

extension SQLiteTransaction {
    func event(projectID: Int64, eventID: String) throws -> Event? {
        try fetchRow("SELECT \(Event.columns) FROM event WHERE project_id = ? AND event_id = ?", [projectID, eventID]).map(Event.init(row:))
    }

    func saveEvent(_ event: Event) throws {
        let tags = JSONValue.array(event.tags.map { .array([.string($0.key), .string($0.value)]) })
        try execute(
            """
            INSERT OR REPLACE INTO event (project_id, event_id, timestamp, received, platform, level, release, environment, tags, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                event.projectID, event.eventID, event.timestamp.timeIntervalSince1970, event.received.timeIntervalSince1970,
                event.platform, event.level.rawValue, event.release, event.environment, tags.serializedString(),
                JSONValue.object(event.data).serializedString(),
            ])
    }

    func occurrence(projectID: Int64, id: String) throws -> IssueOccurrence? {
        guard let row = try fetchRow("SELECT data FROM occurrence WHERE project_id = ? AND id = ?", [projectID, id]) else { return nil }
        return try IssueOccurrence(storedJSON: row["data"])
    }

    func occurrenceGroupID(projectID: Int64, id: String) throws -> Int64? {
        try fetchRow("SELECT group_id FROM occurrence WHERE project_id = ? AND id = ?", [projectID, id])?["group_id"]
    }

    func saveOccurrence(_ occurrence: IssueOccurrence, eventTimestamp: Date, groupID: Int64?) throws {
        try execute(
            """
            INSERT OR REPLACE INTO occurrence (project_id, id, event_id, group_id, type, event_timestamp, data)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                occurrence.projectID, occurrence.id, occurrence.eventID, groupID, occurrence.type, eventTimestamp.timeIntervalSince1970,
                occurrence.json.serializedString(),
            ])
    }

    func latestEvent(groupID: Int64) throws -> Event? {
        try fetchRow(
            """
            SELECT \(Event.qualifiedColumns) FROM occurrence JOIN event ON event.project_id = occurrence.project_id AND event.event_id = occurrence.event_id
            WHERE occurrence.group_id = ? ORDER BY occurrence.event_timestamp DESC, occurrence.rowid DESC LIMIT 1
            """, [groupID]
        ).map(Event.init(row:))
    }
}
