import Foundation
internal import GRDB

extension SQLiteTransaction {
    func group(id: Int64) throws -> Group? {
        try fetchOne("SELECT \(Group.columns) FROM issue_group WHERE id = ?", [id], Group.init(columns:))
    }

    func group(projectID: Int64, shortID: Int64) throws -> Group? {
        try fetchOne("SELECT \(Group.columns) FROM issue_group WHERE project_id = ? AND short_id = ?", [projectID, shortID], Group.init(columns:))
    }

    func groupID(projectID: Int64, hash: String) throws -> Int64? {
        try fetchOne("SELECT group_id FROM group_hash WHERE project_id = ? AND hash = ?", [projectID, hash]) { $0.optionalInt64(0) } ?? nil
    }

    func groupHashes(groupID: Int64) throws -> [String] {
        try fetchAll("SELECT hash FROM group_hash WHERE group_id = ? ORDER BY hash", [groupID]) { $0.string(0) }
    }

    func groups(projectID: Int64, limit: Int) throws -> [Group] {
        try fetchAll("SELECT \(Group.columns) FROM issue_group WHERE project_id = ? ORDER BY last_seen DESC, id DESC LIMIT ?", [projectID, limit], Group.init(columns:))
    }

    func claimGroupHash(projectID: Int64, hash: String) throws -> Bool {
        try execute("INSERT INTO group_hash (project_id, hash) VALUES (?, ?) ON CONFLICT DO NOTHING", [projectID, hash])
        return changesCount == 1
    }

    func linkGroupHash(projectID: Int64, hash: String, groupID: Int64) throws {
        try execute("UPDATE group_hash SET group_id = ? WHERE project_id = ? AND hash = ?", [groupID, projectID, hash])
    }

    func insertGroup(_ group: Group) throws -> Group {
        try execute(
            """
            INSERT INTO issue_group (
                project_id, short_id, type, status, substatus, priority, priority_locked_at, level, title, culprit, message,
                platform, first_seen, last_seen, active_at, resolved_at, times_seen, first_release_id, assignee, metadata)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                group.projectID, group.shortID, group.type, group.status.rawValue, group.substatus?.rawValue, group.priority.rawValue,
                group.priorityLockedAt?.timeIntervalSince1970, group.level.rawValue, group.title, group.culprit, group.message,
                group.platform, group.firstSeen.timeIntervalSince1970, group.lastSeen.timeIntervalSince1970,
                group.activeAt.timeIntervalSince1970, group.resolvedAt?.timeIntervalSince1970, group.timesSeen, group.firstReleaseID,
                group.assignee, JSONValue.object(group.metadata).serializedString(sortedKeys: false),
            ])
        var stored = group
        stored.id = lastInsertedRowID
        return stored
    }

    func updateGroup(_ group: Group, previous: Group) throws {
        var values: [any SQLiteValue] = [
            group.status.rawValue, group.substatus?.rawValue, group.priority.rawValue, group.priorityLockedAt?.timeIntervalSince1970,
            group.level.rawValue, group.culprit, group.firstSeen.timeIntervalSince1970, group.lastSeen.timeIntervalSince1970,
            group.activeAt.timeIntervalSince1970, group.resolvedAt?.timeIntervalSince1970, group.timesSeen, group.assignee,
        ]
        var columns = """
            status = ?, substatus = ?, priority = ?, priority_locked_at = ?, level = ?, culprit = ?, first_seen = ?, last_seen = ?,
            active_at = ?, resolved_at = ?, times_seen = ?, assignee = ?
            """
        // Title and message are set only when they change: the text index's trigger fires on an
        // update that names them, and most updates (a new occurrence) change neither.
        if group.title != previous.title || group.message != previous.message {
            columns += ", title = ?, message = ?"
            values += [group.title, group.message]
        }
        if group.metadata != previous.metadata {
            columns += ", metadata = ?"
            values.append(JSONValue.object(group.metadata).serializedString(sortedKeys: false))
        }
        values.append(group.id)
        try execute("UPDATE issue_group SET \(columns) WHERE id = ?", values)
    }

    func markRegressed(groupID: Int64, at date: Date) throws -> Bool {
        try execute(
            """
            UPDATE issue_group SET status = ?, substatus = ?, active_at = ?, last_seen = MAX(last_seen, ?), resolved_at = NULL
            WHERE id = ? AND status = ?
            """,
            [
                GroupStatus.unresolved.rawValue, GroupSubstatus.regressed.rawValue, date.timeIntervalSince1970, date.timeIntervalSince1970,
                groupID, GroupStatus.resolved.rawValue,
            ])
        return changesCount == 1
    }

    // MARK: Resolutions, activities, environments

    func resolution(groupID: Int64) throws -> GroupResolution? {
        try fetchOne("SELECT \(GroupResolution.columns) FROM group_resolution WHERE group_id = ?", [groupID], GroupResolution.init(columns:))
    }

    func setResolution(_ resolution: GroupResolution) throws {
        try execute(
            """
            INSERT OR REPLACE INTO group_resolution (group_id, release_id, kind, current_release_version, created_at)
            VALUES (?, ?, ?, ?, ?)
            """,
            [
                resolution.groupID, resolution.releaseID, resolution.kind?.rawValue, resolution.currentReleaseVersion,
                resolution.createdAt.timeIntervalSince1970,
            ])
    }

    func deleteResolution(groupID: Int64) throws -> GroupResolution? {
        guard let existing = try resolution(groupID: groupID) else { return nil }
        try execute("DELETE FROM group_resolution WHERE group_id = ?", [groupID])
        return existing
    }

    func activities(groupID: Int64) throws -> [Activity] {
        try fetchAll("SELECT \(Activity.columns) FROM activity WHERE group_id = ? ORDER BY id", [groupID], Activity.init(columns:))
    }

    func insertActivity(_ activity: Activity) throws -> Activity {
        try execute(
            "INSERT INTO activity (group_id, project_id, type, data, created_at) VALUES (?, ?, ?, ?, ?)",
            [
                activity.groupID, activity.projectID, activity.type.rawValue, JSONValue.object(activity.data).serializedString(sortedKeys: false),
                activity.createdAt.timeIntervalSince1970,
            ])
        var stored = activity
        stored.id = lastInsertedRowID
        return stored
    }

    func groupEnvironments(groupID: Int64) throws -> [GroupEnvironment] {
        try fetchAll("SELECT \(GroupEnvironment.columns) FROM group_environment WHERE group_id = ? ORDER BY environment_id", [groupID], GroupEnvironment.init(columns:))
    }

    func ensureGroupEnvironment(_ groupEnvironment: GroupEnvironment) throws -> Bool {
        try execute(
            """
            INSERT INTO group_environment (group_id, environment_id, first_release_id, first_seen) VALUES (?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """,
            [
                groupEnvironment.groupID, groupEnvironment.environmentID, groupEnvironment.firstReleaseID,
                groupEnvironment.firstSeen.timeIntervalSince1970,
            ])
        return changesCount == 1
    }
}
