import Foundation
internal import GRDB
internal import GRDBSQLite

/// `StoreTransaction` over one GRDB connection, valid only inside the `read`/`write` closure
/// that created it. Hot statements go through `cachedStatement` so each is prepared once per
/// connection.
struct SQLiteTransaction: StoreTransaction {
    let db: Database

    func isolated<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        return result!
    }

    // MARK: Statements

    // Statements are prepared once per connection by GRDB's statement cache, then bound,
    // stepped and read through SQLite's C API: GRDB's generic arguments and row cursors cost
    // more than the SQL itself on the ingest path. Statements whose SQL varies with the input
    // (searches, deletes of n ids) pass `cached: false`: the cache never evicts, so each new
    // shape would stay prepared for the life of the connection.

    func execute(_ sql: String, _ values: [any SQLiteValue] = [], cached: Bool = true) throws {
        try withStatement(sql, values, cached: cached) { statement in
            let code = sqlite3_step(statement)
            guard code == SQLITE_DONE || code == SQLITE_ROW else { throw failure(code, sql) }
        }
    }

    func fetchOne<T>(_ sql: String, _ values: [any SQLiteValue] = [], cached: Bool = true, _ read: (SQLiteColumns) throws -> T) throws -> T? {
        try withStatement(sql, values, cached: cached) { statement in
            let code = sqlite3_step(statement)
            switch code {
            case SQLITE_ROW: return try read(SQLiteColumns(statement: statement))
            case SQLITE_DONE: return nil
            default: throw failure(code, sql)
            }
        }
    }

    func fetchAll<T>(_ sql: String, _ values: [any SQLiteValue] = [], cached: Bool = true, _ read: (SQLiteColumns) throws -> T) throws -> [T] {
        try withStatement(sql, values, cached: cached) { statement in
            var rows: [T] = []
            while true {
                let code = sqlite3_step(statement)
                switch code {
                case SQLITE_ROW: rows.append(try read(SQLiteColumns(statement: statement)))
                case SQLITE_DONE: return rows
                default: throw failure(code, sql)
                }
            }
        }
    }

    /// Runs `body` with the statement prepared and bound, and resets it afterwards.
    private func withStatement<R>(_ sql: String, _ values: [any SQLiteValue], cached: Bool, _ body: (OpaquePointer) throws -> R) throws -> R {
        let prepared = cached ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        // An uncached statement is finalized when `prepared` goes; keep it until the rows are read.
        return try withExtendedLifetime(prepared) {
            let statement = prepared.sqliteStatement
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            defer { sqlite3_reset(statement) }
            for (offset, value) in values.enumerated() {
                let code = value.bind(to: statement, at: Int32(offset + 1))
                guard code == SQLITE_OK else { throw failure(code, sql) }
            }
            return try body(statement)
        }
    }

    private func failure(_ code: Int32, _ sql: String) -> DatabaseError {
        let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
    }

    /// The rowid of the last row this connection inserted.
    var lastInsertedRowID: Int64 { db.lastInsertedRowID }

    /// Rows changed by the last statement.
    var changesCount: Int { db.changesCount }

    // MARK: Organizations and projects

    func organization(id: Int64) throws -> Organization? {
        try fetchOne("SELECT \(Organization.columns) FROM organization WHERE id = ?", [id], Organization.init(columns:))
    }

    func organization(slug: String) throws -> Organization? {
        try fetchOne("SELECT \(Organization.columns) FROM organization WHERE slug = ?", [slug], Organization.init(columns:))
    }

    func organizations() throws -> [Organization] {
        try fetchAll("SELECT \(Organization.columns) FROM organization ORDER BY id", [], Organization.init(columns:))
    }

    func project(id: Int64) throws -> Project? {
        try fetchOne("SELECT \(Project.columns) FROM project WHERE id = ?", [id], Project.init(columns:))
    }

    func project(organizationID: Int64, slug: String) throws -> Project? {
        try fetchOne("SELECT \(Project.columns) FROM project WHERE organization_id = ? AND slug = ?", [organizationID, slug], Project.init(columns:))
    }

    func projects(organizationID: Int64) throws -> [Project] {
        try fetchAll("SELECT \(Project.columns) FROM project WHERE organization_id = ? ORDER BY id", [organizationID], Project.init(columns:))
    }

    func insertOrganization(slug: String, name: String) throws -> Organization {
        try execute("INSERT INTO organization (slug, name) VALUES (?, ?)", [slug, name])
        return Organization(id: lastInsertedRowID, slug: slug, name: name)
    }

    func insertProject(organizationID: Int64, slug: String, name: String) throws -> Project {
        try execute("INSERT INTO project (organization_id, slug, name) VALUES (?, ?, ?)", [organizationID, slug, name])
        return Project(id: lastInsertedRowID, organizationID: organizationID, slug: slug, name: name)
    }

    func nextShortID(projectID: Int64) throws -> Int64 {
        // The counter commits with the issue that uses it, so it can never fall behind the
        // stored short ids (Sentry's "stuck counter" repair is not needed here).
        try fetchOne(
            """
            INSERT INTO project_counter (project_id, value) VALUES (?, 1)
            ON CONFLICT (project_id) DO UPDATE SET value = value + 1
            RETURNING value
            """, [projectID]
        ) { $0.int64(0) } ?? 1
    }

    // MARK: Releases and environments

    func release(id: Int64) throws -> Release? {
        try fetchOne("SELECT \(Release.columns) FROM release WHERE id = ?", [id], Release.init(columns:))
    }

    func release(projectID: Int64, version: String) throws -> Release? {
        try fetchOne("SELECT \(Release.columns) FROM release WHERE project_id = ? AND version = ?", [projectID, version], Release.init(columns:))
    }

    func recentReleases(projectID: Int64, limit: Int) throws -> [Release] {
        try fetchAll("SELECT \(Release.columns) FROM release WHERE project_id = ? ORDER BY date_added DESC, id DESC LIMIT ?", [projectID, limit], Release.init(columns:))
    }

    func ensureRelease(projectID: Int64, version: String, now: Date) throws -> Release {
        if let existing = try release(projectID: projectID, version: version) { return existing }
        try execute(
            "INSERT INTO release (project_id, version, date_added) VALUES (?, ?, ?)", [projectID, version, now.timeIntervalSince1970])
        return Release(id: lastInsertedRowID, projectID: projectID, version: version, dateAdded: now)
    }

    func incrementNewGroups(releaseID: Int64) throws {
        try execute("UPDATE release SET new_groups = new_groups + 1 WHERE id = ?", [releaseID])
    }

    func environment(projectID: Int64, name: String) throws -> Environment? {
        try fetchOne("SELECT \(Environment.columns) FROM environment WHERE project_id = ? AND name = ?", [projectID, name], Environment.init(columns:))
    }

    func ensureEnvironment(projectID: Int64, name: String) throws -> Environment {
        if let existing = try environment(projectID: projectID, name: name) { return existing }
        try execute("INSERT INTO environment (project_id, name) VALUES (?, ?)", [projectID, name])
        return Environment(id: lastInsertedRowID, projectID: projectID, name: name)
    }

    // MARK: Operators

    func rowCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in SQLiteStore.tables {
            counts[table] = try fetchOne("SELECT COUNT(*) FROM \(table)") { $0.int(0) } ?? 0
        }
        return counts
    }
}
