import Foundation

extension SQLiteTransaction {
    func searchGroups(_ filter: IssueFilter, sort: IssueSort, from keyset: IssueKeyset?, limit: Int) throws -> [Group] {
        let column = Self.sortColumn(sort)
        let filterSQL = IssueFilterSQL(filter)
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
        let filterSQL = IssueFilterSQL(filter)
        return try fetchOne(
            "SELECT COUNT(*) FROM (SELECT 1 FROM issue_group g WHERE \(filterSQL.sql) LIMIT ?)", filterSQL.values + [limit], cached: false
        ) { $0.int(0) } ?? 0
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
