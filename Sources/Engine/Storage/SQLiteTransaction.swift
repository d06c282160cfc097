import Foundation
internal import GRDB

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

    // MARK: Helpers

    func execute(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    func fetchRow(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func fetchRows(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    // MARK: Organizations and projects

    func organization(id: Int64) throws -> Organization? {
        try fetchRow("SELECT \(Organization.columns) FROM organization WHERE id = ?", [id]).map(Organization.init(row:))
    }

    func organization(slug: String) throws -> Organization? {
        try fetchRow("SELECT \(Organization.columns) FROM organization WHERE slug = ?", [slug]).map(Organization.init(row:))
    }

    func organizations() throws -> [Organization] {
        try fetchRows("SELECT \(Organization.columns) FROM organization ORDER BY id").map(Organization.init(row:))
    }

    func project(id: Int64) throws -> Project? {
        try fetchRow("SELECT \(Project.columns) FROM project WHERE id = ?", [id]).map(Project.init(row:))
    }

    func project(organizationID: Int64, slug: String) throws -> Project? {
        try fetchRow("SELECT \(Project.columns) FROM project WHERE organization_id = ? AND slug = ?", [organizationID, slug]).map(Project.init(row:))
    }

    func projects(organizationID: Int64) throws -> [Project] {
        try fetchRows("SELECT \(Project.columns) FROM project WHERE organization_id = ? ORDER BY id", [organizationID]).map(Project.init(row:))
    }

    func insertOrganization(slug: String, name: String) throws -> Organization {
        try execute("INSERT INTO organization (slug, name) VALUES (?, ?)", [slug, name])
        return Organization(id: db.lastInsertedRowID, slug: slug, name: name)
    }

    func insertProject(organizationID: Int64, slug: String, name: String) throws -> Project {
        try execute("INSERT INTO project (organization_id, slug, name) VALUES (?, ?, ?)", [organizationID, slug, name])
        return Project(id: db.lastInsertedRowID, organizationID: organizationID, slug: slug, name: name)
    }

    func nextShortID(projectID: Int64) throws -> Int64 {
        // The counter commits with the issue that uses it, so it can never fall behind the
        // stored short ids (Sentry's "stuck counter" repair is not needed here).
        let row = try fetchRow(
            """
            INSERT INTO project_counter (project_id, value) VALUES (?, 1)
            ON CONFLICT (project_id) DO UPDATE SET value = value + 1
            RETURNING value
            """, [projectID])
        return row!["value"]
    }

    // MARK: Releases and environments

    func release(id: Int64) throws -> Release? {
        try fetchRow("SELECT \(Release.columns) FROM release WHERE id = ?", [id]).map(Release.init(row:))
    }

    func release(projectID: Int64, version: String) throws -> Release? {
        try fetchRow("SELECT \(Release.columns) FROM release WHERE project_id = ? AND version = ?", [projectID, version]).map(Release.init(row:))
    }

    func recentReleases(projectID: Int64, limit: Int) throws -> [Release] {
        try fetchRows("SELECT \(Release.columns) FROM release WHERE project_id = ? ORDER BY date_added DESC, id DESC LIMIT ?", [projectID, limit])
            .map(Release.init(row:))
    }

    func ensureRelease(projectID: Int64, version: String, now: Date) throws -> Release {
        if let existing = try release(projectID: projectID, version: version) { return existing }
        try execute(
            "INSERT INTO release (project_id, version, date_added) VALUES (?, ?, ?)", [projectID, version, now.timeIntervalSince1970])
        return Release(id: db.lastInsertedRowID, projectID: projectID, version: version, dateAdded: now)
    }

    func incrementNewGroups(releaseID: Int64) throws {
        try execute("UPDATE release SET new_groups = new_groups + 1 WHERE id = ?", [releaseID])
    }

    func environment(projectID: Int64, name: String) throws -> Environment? {
        try fetchRow("SELECT \(Environment.columns) FROM environment WHERE project_id = ? AND name = ?", [projectID, name]).map(Environment.init(row:))
    }

    func ensureEnvironment(projectID: Int64, name: String) throws -> Environment {
        if let existing = try environment(projectID: projectID, name: name) { return existing }
        try execute("INSERT INTO environment (project_id, name) VALUES (?, ?)", [projectID, name])
        return Environment(id: db.lastInsertedRowID, projectID: projectID, name: name)
    }

    // MARK: Operators

    func rowCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in SQLiteStore.tables {
            counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
        }
        return counts
    }
}
