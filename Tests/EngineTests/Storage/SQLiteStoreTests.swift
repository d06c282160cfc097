import Engine
import Foundation
import GRDB
import Testing

/// The SQLite store: files, migrations, transactions and the gate primitives (hash claims,
/// short-id counters, quotas, noise counters, regression marks).
struct SQLiteStoreTests {
    struct Boom: Error {}

    /// Every table of the schema, as `rowCounts()` must report them.
    static let tables: Set<String> = [
        "organization", "project", "project_counter", "release", "environment", "event", "issue_group", "group_hash", "occurrence",
        "group_environment", "group_resolution", "activity", "noise_counter", "quota_bucket", "processed_message", "rule_status",
        "rule_fire_history", "delivery", "delivery_attempt", "console_session", "group_tag_value",
    ]

    /// A fresh directory path under the system temporary directory (not created).
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-store-test-\(UUID().uuidString)")
    }

    /// An in-memory store with an organization and two projects.
    func storeWithProjects() async throws -> (store: SQLiteStore, first: Int64, second: Int64) {
        let store = try SQLiteStore.inMemory()
        let (first, second) = try await store.write { tx in
            let organization = try tx.insertOrganization(slug: "acme", name: "Acme")
            let first = try tx.insertProject(organizationID: organization.id, slug: "one", name: "One")
            let second = try tx.insertProject(organizationID: organization.id, slug: "two", name: "Two")
            return (first.id, second.id)
        }
        return (store, first, second)
    }

    // MARK: Files

    @Test func openingCreatesTheFileAndItsDirectory() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("nested/deeper")
        let path = directory.appendingPathComponent("notifyd.sqlite").path
        #expect(!FileManager.default.fileExists(atPath: root.path))

        let store = try SQLiteStore(path: path)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        #expect(FileManager.default.fileExists(atPath: path))
        // The file holds the schema.
        let counts = try await store.read { try $0.rowCounts() }
        #expect(Set(counts.keys) == Self.tables)
    }

    @Test func databaseRunsInWALMode() async throws {
        let test = try await TestEngine()
        let result = await test.ingest(Messages.occurrence(projectID: test.project.id).json)
        #expect(result.groupInfo != nil)
        // WAL mode keeps a `-wal` file beside the database while it is open.
        #expect(FileManager.default.fileExists(atPath: test.databasePath + "-wal"))
        // The journal mode is persistent, so another connection reports it as well.
        let queue = try DatabaseQueue(path: test.databasePath)
        let mode = try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func dataSurvivesClosingAndReopening() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("notifyd.sqlite").path
        let now: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_750_000_000) }

        let groupID: Int64
        let projectID: Int64
        do {
            let engine = try Engine(configuration: .init(databasePath: path, now: now))
            let project = try await engine.ensureProject(organizationSlug: "acme", projectSlug: "backend")
            let message = Messages.occurrence(projectID: project.id, title: "it persisted", release: "1.0", environment: "prod")
            let info = try #require(await engine.ingest(message.json.serialized()).groupInfo)
            groupID = info.group.id
            projectID = project.id
        }

        let reopened = try Engine(configuration: .init(databasePath: path, now: now))
        let group = try #require(try await reopened.group(id: groupID))
        #expect(group.title == "it persisted")
        #expect(group.projectID == projectID)
        #expect(group.timesSeen == 1)
        #expect(try await reopened.project(organizationSlug: "acme", projectSlug: "backend")?.id == projectID)
        #expect(try await reopened.groups(projectID: projectID).map(\.id) == [groupID])
        let event = try #require(try await reopened.latestEvent(groupID: groupID))
        #expect(event.release == "1.0" && event.environment == "prod")

        // Ingesting the same fingerprint again finds the stored issue.
        let again = try #require(await reopened.ingest(Messages.occurrence(projectID: projectID).json.serialized()).groupInfo)
        #expect(again.group.id == groupID && !again.isNew)
        #expect(again.group.timesSeen == 2)
    }

    @Test func openingTwiceMigratesIdempotently() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("notifyd.sqlite").path

        let first = try SQLiteStore(path: path)
        _ = try await first.write { try $0.insertOrganization(slug: "acme", name: "Acme") }
        // A second store on the same file while the first is open, then a third.
        let second = try SQLiteStore(path: path)
        #expect(try await second.read { try $0.organizations() }.map(\.slug) == ["acme"])
        let third = try SQLiteStore(path: path)
        let counts = try await third.read { try $0.rowCounts() }
        #expect(Set(counts.keys) == Self.tables)
        #expect(counts["organization"] == 1)
        // Writes through one store are seen by the others.
        _ = try await third.write { try $0.insertOrganization(slug: "other", name: "Other") }
        #expect(try await first.read { try $0.organizations() }.map(\.slug) == ["acme", "other"])

        // The migration ran once.
        let queue = try DatabaseQueue(path: path)
        let migrations = try await queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations == ["v1-ingest", "v2-rules", "v3-search", "v4-window-counts", "v5-console", "v6-group-tags", "v7-issue-text"])
    }

    /// A store from before the tag index gets it filled from its events when it is opened.
    @Test func theTagIndexIsFilledFromTheEventsOfAnOlderStore() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("notifyd.sqlite").path
        let groupID: Int64
        do {
            let engine = try Engine(configuration: .init(databasePath: path))
            let project = try await engine.ensureProject(organizationSlug: "acme", projectSlug: "backend")
            var message = Messages.occurrence(projectID: project.id)
            message["event"] = .object(Messages.event(id: message["event_id"]!.stringValue!, projectID: project.id, tags: ["browser": "Firefox", "os": "Linux"]))
            groupID = try #require(await engine.ingest(message.json.serialized()).groupInfo).group.id
        }
        // Back to the schema before v6, as an older notifyd left it.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "DROP TABLE group_tag_value; DELETE FROM grdb_migrations WHERE identifier = 'v6-group-tags'")
        }
        let reopened = try SQLiteStore(path: path)
        let filter = IssueFilter(organizationID: 1, projectIDs: [], terms: [.tag("browser", ["Firefox"])])
        #expect(try await reopened.read { try $0.searchGroups(filter, sort: .date, from: nil, limit: 10) }.map(\.id) == [groupID])
        #expect(try await reopened.read { try $0.rowCounts() }["group_tag_value"] == 2)
    }

    @Test func rowCountsCoversEveryTableOfTheSchema() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("notifyd.sqlite").path
        let store = try SQLiteStore(path: path)
        let counts = try await store.read { try $0.rowCounts() }

        let queue = try DatabaseQueue(path: path)
        let schemaTables = try await queue.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
        }
        // The text index holds no data of its own: it indexes issue_group's columns.
        .filter { !$0.hasPrefix("issue_text") }
        #expect(Set(counts.keys) == Set(schemaTables))
    }

    // MARK: In-memory stores

    @Test func freshStoreCountsZeroRowsInEveryTable() async throws {
        let store = try SQLiteStore.inMemory()
        let counts = try await store.read { try $0.rowCounts() }
        #expect(counts == Dictionary(uniqueKeysWithValues: Self.tables.map { ($0, 0) }))
    }

    @Test func inMemoryStoresWorkAndAreIndependent() async throws {
        let a = try SQLiteStore.inMemory()
        let b = try SQLiteStore.inMemory()
        let organization = try await a.write { try $0.insertOrganization(slug: "acme", name: "Acme") }
        #expect(try await a.read { try $0.organization(id: organization.id) } == organization)
        #expect(try await a.read { try $0.organization(slug: "acme") }?.name == "Acme")
        #expect(try await b.read { try $0.organizations() }.isEmpty)
        // The same slug is free in the other store.
        let other = try await b.write { try $0.insertOrganization(slug: "acme", name: "Other Acme") }
        #expect(try await b.read { try $0.organizations() } == [other])
        #expect(try await a.read { try $0.organizations() } == [organization])
        let counts = try await a.read { try $0.rowCounts() }
        #expect(counts["organization"] == 1 && counts["project"] == 0)
    }

    // MARK: Transactions

    @Test func writeRollsBackEverythingWhenItsClosureThrows() async throws {
        let store = try SQLiteStore.inMemory()
        await #expect(throws: Boom.self) {
            try await store.write { tx in
                let organization = try tx.insertOrganization(slug: "acme", name: "Acme")
                _ = try tx.insertProject(organizationID: organization.id, slug: "backend", name: "Backend")
                throw Boom()
            }
        }
        #expect(try await store.read { try $0.organizations() }.isEmpty)
        #expect(try await store.read { try $0.organization(slug: "acme") } == nil)
        let counts = try await store.read { try $0.rowCounts() }
        #expect(counts.values.allSatisfy { $0 == 0 })

        // The store is usable afterwards.
        let organization = try await store.write { try $0.insertOrganization(slug: "acme", name: "Acme") }
        #expect(try await store.read { try $0.organizations() } == [organization])
    }

    @Test func isolatedRollsBackOnlyItsOwnWrites() async throws {
        let store = try SQLiteStore.inMemory()
        let (slugsInside, value, duplicateFailed) = try await store.write { tx -> ([String], Int, Bool) in
            _ = try tx.insertOrganization(slug: "before", name: "Before")
            do {
                try tx.isolated {
                    _ = try tx.insertOrganization(slug: "undone", name: "Undone")
                    _ = try tx.insertOrganization(slug: "undone-too", name: "Undone too")
                    throw Boom()
                }
            } catch is Boom {}
            // A failing statement inside an isolated block leaves the transaction usable.
            var duplicateFailed = false
            do {
                try tx.isolated {
                    _ = try tx.insertOrganization(slug: "duplicate-attempt", name: "x")
                    _ = try tx.insertOrganization(slug: "before", name: "Taken slug")
                }
            } catch {
                duplicateFailed = true
            }
            let value = try tx.isolated { () -> Int in
                _ = try tx.insertOrganization(slug: "isolated", name: "Isolated")
                return 7
            }
            _ = try tx.insertOrganization(slug: "after", name: "After")
            return (try tx.organizations().map(\.slug), value, duplicateFailed)
        }
        #expect(value == 7)
        #expect(duplicateFailed)
        #expect(slugsInside == ["before", "isolated", "after"])
        #expect(try await store.read { try $0.organizations() }.map(\.slug) == ["before", "isolated", "after"])
    }

    // MARK: Gates

    @Test func claimGroupHashReturnsTrueThenFalse() async throws {
        let (store, first, second) = try await storeWithProjects()
        let claims = try await store.write { tx in
            [
                try tx.claimGroupHash(projectID: first, hash: "abc"),
                try tx.claimGroupHash(projectID: first, hash: "abc"),
                try tx.claimGroupHash(projectID: second, hash: "abc"),
                try tx.claimGroupHash(projectID: first, hash: "def"),
            ]
        }
        #expect(claims == [true, false, true, true])
        // The claim is durable: a later transaction sees it.
        #expect(try await store.write { try $0.claimGroupHash(projectID: first, hash: "abc") } == false)
        // A claim without an issue yet points nowhere.
        #expect(try await store.read { try $0.groupID(projectID: first, hash: "abc") } == nil)
        // A rolled-back claim is not kept.
        await #expect(throws: Boom.self) {
            try await store.write { tx in
                _ = try tx.claimGroupHash(projectID: first, hash: "rolled-back")
                throw Boom()
            }
        }
        #expect(try await store.write { try $0.claimGroupHash(projectID: first, hash: "rolled-back") } == true)
    }

    @Test func nextShortIDCountsPerProject() async throws {
        let (store, first, second) = try await storeWithProjects()
        let numbers = try await store.write { tx in
            [
                try tx.nextShortID(projectID: first), try tx.nextShortID(projectID: first), try tx.nextShortID(projectID: second),
                try tx.nextShortID(projectID: first),
            ]
        }
        #expect(numbers == [1, 2, 1, 3])
        #expect(try await store.write { try $0.nextShortID(projectID: second) } == 2)
        // A number taken by a transaction that rolls back is given out again.
        await #expect(throws: Boom.self) {
            try await store.write { tx in
                _ = try tx.nextShortID(projectID: first)
                throw Boom()
            }
        }
        #expect(try await store.write { try $0.nextShortID(projectID: first) } == 4)
    }

    @Test func useQuotaAllowsLimitUsesPerWindow() async throws {
        let store = try SQLiteStore.inMemory()
        let quota = Quota(window: .seconds(3600), granularity: .seconds(60), limit: 3)
        // A bucket boundary (divisible by 60).
        let base: TimeInterval = 1_750_000_020
        func use(_ key: String, at offset: TimeInterval) async throws -> Bool {
            try await store.write { try $0.useQuota(key: key, quota: quota, now: Date(timeIntervalSince1970: base + offset)) }
        }

        #expect(try await use("a", at: 0))
        #expect(try await use("a", at: 10))
        #expect(try await use("a", at: 20))
        #expect(try await use("a", at: 30) == false)
        // Keys are independent.
        #expect(try await use("b", at: 30))
        // Still inside the hour: refused (and refusals use nothing).
        #expect(try await use("a", at: 1800) == false)
        #expect(try await use("a", at: 3500) == false)
        // Once the window has passed, `limit` uses again.
        #expect(try await use("a", at: 3600))
        #expect(try await use("a", at: 3601))
        #expect(try await use("a", at: 3602))
        #expect(try await use("a", at: 3603) == false)
    }

    @Test func useQuotaWindowSlidesBucketByBucket() async throws {
        let store = try SQLiteStore.inMemory()
        let quota = Quota(window: .seconds(3600), granularity: .seconds(60), limit: 3)
        let base: TimeInterval = 1_750_000_020
        func use(at offset: TimeInterval) async throws -> Bool {
            try await store.write { try $0.useQuota(key: "k", quota: quota, now: Date(timeIntervalSince1970: base + offset)) }
        }

        #expect(try await use(at: 0))
        #expect(try await use(at: 1800))
        #expect(try await use(at: 1801))
        #expect(try await use(at: 1802) == false)
        // The first use leaves the window; the two at 1800 s are still in it.
        #expect(try await use(at: 3600))
        #expect(try await use(at: 3601) == false)
        // The uses at 1800 s leave the window an hour later.
        #expect(try await use(at: 5400))
        #expect(try await use(at: 5401))
        #expect(try await use(at: 5402) == false)
    }

    @Test func incrementNoiseCounterCountsAndRestartsAfterExpiry() async throws {
        let store = try SQLiteStore.inMemory()
        let base: TimeInterval = 1_750_000_000
        func increment(_ hash: String, projectID: Int64 = 1, at offset: TimeInterval) async throws -> Int {
            try await store.write {
                try $0.incrementNoiseCounter(
                    projectID: projectID, hash: hash, now: Date(timeIntervalSince1970: base + offset), expiry: .seconds(3600))
            }
        }

        #expect(try await increment("h", at: 0) == 1)
        #expect(try await increment("h", at: 10) == 2)
        #expect(try await increment("h", at: 20) == 3)
        // Other hashes and projects count on their own.
        #expect(try await increment("other", at: 20) == 1)
        #expect(try await increment("h", projectID: 2, at: 20) == 1)
        // Every sighting pushes the expiry out again.
        #expect(try await increment("h", at: 20 + 3599) == 4)
        // An hour after the last sighting the counter starts again.
        #expect(try await increment("h", at: 20 + 3599 + 3601) == 1)
        #expect(try await increment("h", at: 20 + 3599 + 3602) == 2)

        // A reset forgets the sightings.
        try await store.write { try $0.resetNoiseCounter(projectID: 1, hash: "h") }
        #expect(try await increment("h", at: 20 + 3599 + 3603) == 1)
        #expect(try await increment("other", at: 30) == 2)
    }

    @Test func processedMessagesAreRememberedUntilForgotten() async throws {
        let store = try SQLiteStore.inMemory()
        let at = Date(timeIntervalSince1970: 1_750_000_000)
        try await store.write { try $0.markProcessed(messageID: "m1", at: at) }
        #expect(try await store.read { try $0.isProcessed(messageID: "m1", since: at.addingTimeInterval(-60)) })
        #expect(try await store.read { try $0.isProcessed(messageID: "m1", since: at) })
        #expect(try await store.read { try $0.isProcessed(messageID: "m1", since: at.addingTimeInterval(1)) } == false)
        #expect(try await store.read { try $0.isProcessed(messageID: "m2", since: .distantPast) } == false)
        try await store.write { try $0.forgetProcessed(before: at) }
        #expect(try await store.read { try $0.isProcessed(messageID: "m1", since: .distantPast) })
        try await store.write { try $0.forgetProcessed(before: at.addingTimeInterval(1)) }
        #expect(try await store.read { try $0.isProcessed(messageID: "m1", since: .distantPast) } == false)
    }

    @Test func markRegressedOnlySucceedsOnAResolvedGroup() async throws {
        let test = try await TestEngine()
        let info = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id).json).groupInfo)
        let id = info.group.id
        let regressedAt = Date(timeIntervalSince1970: 1_750_000_500)

        // Unresolved: refused, nothing changes.
        let before = try #require(try await test.engine.group(id: id))
        #expect(before.status == .unresolved && before.substatus == .new)
        #expect(try await test.store.write { try $0.markRegressed(groupID: id, at: regressedAt) } == false)
        #expect(try await test.engine.group(id: id) == before)

        // Resolved: regressed once.
        let resolved = try await test.engine.changeStatus(groupID: id, to: .resolved)
        guard case .statusChanged(let group, changed: true) = resolved.outcome else {
            Issue.record("not resolved: \(resolved.outcome)")
            return
        }
        #expect(group.status == .resolved)
        #expect(try await test.store.write { try $0.markRegressed(groupID: id, at: regressedAt) } == true)
        let regressed = try #require(try await test.engine.group(id: id))
        #expect(regressed.status == .unresolved)
        #expect(regressed.substatus == .regressed)
        #expect(regressed.resolvedAt == nil)
        #expect(regressed.activeAt == regressedAt)
        #expect(regressed.lastSeen == regressedAt)
        // A second writer finds it no longer resolved.
        #expect(try await test.store.write { try $0.markRegressed(groupID: id, at: regressedAt) } == false)

        // An earlier date does not move last_seen back.
        _ = try await test.engine.changeStatus(groupID: id, to: .resolved)
        let earlier = Date(timeIntervalSince1970: 1_749_999_000)
        #expect(try await test.store.write { try $0.markRegressed(groupID: id, at: earlier) } == true)
        let again = try #require(try await test.engine.group(id: id))
        #expect(again.lastSeen == regressedAt)
        #expect(again.activeAt == earlier)

        // Ignored: refused.
        let other = try #require(
            await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["other"]).json).groupInfo)
        #expect(other.group.id != id)
        _ = try await test.engine.changeStatus(groupID: other.group.id, to: .ignored, substatus: .forever)
        #expect(try await test.store.write { try $0.markRegressed(groupID: other.group.id, at: regressedAt) } == false)
        #expect(try await test.engine.group(id: other.group.id)?.status == .ignored)

        // Unknown id: refused.
        #expect(try await test.store.write { try $0.markRegressed(groupID: 999_999, at: regressedAt) } == false)
    }

    // MARK: Corrupt rows

    @Test(arguments: ["not json", "[1, 2]", "{\"a\": ", "\"text\""])
    func corruptMetadataNamesTheColumn(metadata: String) async throws {
        let test = try await TestEngine()
        let info = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id).json).groupInfo)
        let id = info.group.id

        let queue = try DatabaseQueue(path: test.databasePath)
        try await queue.write { db in
            try db.execute(sql: "UPDATE issue_group SET metadata = ? WHERE id = ?", arguments: [metadata, id])
        }

        let error = try #require(await #expect(throws: (any Error).self) { try await test.engine.group(id: id) })
        #expect(String(describing: error).contains("issue_group.metadata"), "\(error)")
        // Listing the project's issues fails the same way rather than returning garbage.
        await #expect(throws: (any Error).self) { try await test.engine.groups(projectID: test.project.id) }
    }

    @Test func corruptStatusNamesTheColumn() async throws {
        let test = try await TestEngine()
        let info = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id).json).groupInfo)
        let id = info.group.id
        let queue = try DatabaseQueue(path: test.databasePath)
        try await queue.write { db in try db.execute(sql: "UPDATE issue_group SET status = 99 WHERE id = ?", arguments: [id]) }

        let error = try #require(await #expect(throws: (any Error).self) { try await test.engine.group(id: id) })
        #expect(String(describing: error).contains("issue_group.status"), "\(error)")
    }
}
