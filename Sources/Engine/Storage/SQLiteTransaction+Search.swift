import Foundation

extension SQLiteTransaction {
    func searchGroups(_ filter: IssueFilter, sort: IssueSort, from keyset: IssueKeyset?, limit: Int) throws -> [Group] {
        let column = Self.sortColumn(sort)
        let filterSQL = try IssueFilterSQL(filter, isRare: isRareTag, isRareText: isRareText)
        var sql = "SELECT \(Group.columns) FROM issue_group g WHERE \(filterSQL.sql)"
        var values = filterSQL.values
        var direction = "DESC"
        if let keyset {
            // Row values compare (value, id) pairs in the list's own order.
            sql += keyset.backwards ? " AND (\(column), g.id) > (?, ?)" : " AND (\(column), g.id) < (?, ?)"
            values += [keyset.value, keyset.id]
            if keyset.backwards { direction = "ASC" }
        }
        sql += " ORDER BY \(column) \(direction), g.id \(direction) LIMIT ?"
        values.append(limit)
        return try fetchAll(sql, values, cached: false, Group.init(columns:))
    }

    func countGroups(_ filter: IssueFilter, upTo limit: Int) throws -> Int {
        let filterSQL = try IssueFilterSQL(filter, isRare: isRareTag, isRareText: isRareText)
        return try fetchOne(
            "SELECT COUNT(*) FROM (SELECT 1 FROM issue_group g WHERE \(filterSQL.sql) LIMIT ?)", filterSQL.values + [limit], cached: false
        ) { $0.int(0) } ?? 0
    }

    /// Whether fewer than 2,000 issues carry one of these tag values (answered by counting in
    /// the tag index, stopping at 2,000): such a filter reads its issues once; a commoner one is
    /// probed per issue as the search walks.
    private func isRareTag(_ key: String, _ values: [String]) throws -> Bool {
        let exact = values.filter { !$0.contains("*") }
        guard exact.count == values.count, !exact.isEmpty else { return false }
        let count = try fetchOne(
            "SELECT COUNT(*) FROM (SELECT 1 FROM group_tag_value WHERE key = ? AND value IN (\(IssueFilterSQL.placeholders(exact.count))) LIMIT 2000)",
            [key] + exact.map { $0 as any SQLiteValue }, cached: false
        ) { $0.int(0) } ?? 0
        return count < 2000
    }

    /// Whether fewer than 2,000 issues' titles or messages hold the text (a text index query),
    /// counted in the index: such a search reads its issues from the index; a commoner text is
    /// tested per issue as the search walks, which finds a page of matches sooner.
    private func isRareText(_ query: String) throws -> Bool {
        let count = try fetchOne(
            "SELECT COUNT(*) FROM (SELECT 1 FROM issue_text WHERE issue_text MATCH ? LIMIT 2000)", [query], cached: false
        ) { $0.int(0) } ?? 0
        return count < 2000
    }

    func groups(organizationID: Int64, eventID: String) throws -> [Group] {
        try fetchAll(
            """
            SELECT \(Group.columns) FROM issue_group WHERE id IN (
                SELECT o.group_id FROM occurrence o JOIN project p ON p.id = o.project_id WHERE o.event_id = ? AND p.organization_id = ?)
            ORDER BY id
            """, [eventID, organizationID], Group.init(columns:))
    }

    func deleteGroups(organizationID: Int64, ids: [Int64]) throws -> Int {
        var deleted = 0
        // Chunks keep the statements far below SQLite's limit on bound values.
        let unique = Array(Set(ids)).sorted()
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = unique[start..<min(start + 500, unique.count)].map { $0 as any SQLiteValue }
            let owned = try fetchAll(
                """
                SELECT g.id FROM issue_group g JOIN project p ON p.id = g.project_id
                WHERE p.organization_id = ? AND g.id IN (\(IssueFilterSQL.placeholders(chunk.count)))
                """, [organizationID] + chunk, cached: false
            ) { $0.int64(0) as any SQLiteValue }
            guard !owned.isEmpty else { continue }
            let list = IssueFilterSQL.placeholders(owned.count)
            let events = try fetchAll(
                "SELECT DISTINCT project_id, event_id FROM occurrence WHERE group_id IN (\(list))", owned, cached: false
            ) { ($0.int64(0), $0.string(1)) }
            // The schema cascades to occurrences, group_hash, group_environment, group_resolution,
            // activity, rule_status and rule_fire_history.
            try execute("DELETE FROM issue_group WHERE id IN (\(list))", owned, cached: false)
            deleted += changesCount
            // Events have no foreign key to issues; drop those no remaining occurrence uses.
            for (projectID, eventID) in events {
                try execute(
                    """
                    DELETE FROM event WHERE project_id = ? AND event_id = ?
                    AND NOT EXISTS (SELECT 1 FROM occurrence WHERE event_id = ? AND project_id = ?)
                    """, [projectID, eventID, eventID, projectID])
            }
        }
        return deleted
    }

    /// The issue column an order sorts by.
    private static func sortColumn(_ sort: IssueSort) -> String {
        switch sort {
        case .date: return "g.last_seen"
        case .new: return "g.first_seen"
        case .freq: return "g.times_seen"
        }
    }
}
