import Foundation
internal import GRDB

/// The embedded store: one SQLite file through GRDB, in WAL mode, with concurrent readers and
/// one serialized writer (which is what makes find-or-create race-safe here).
public struct SQLiteStore: Store {
    private let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path` and migrates it to the current
    /// schema. The parent directory is created; the file gets `-wal`/`-shm` companions beside it.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        // The default is to fail at once when another connection holds the lock; a daemon and a
        // CLI command may share the file, so wait instead.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL + NORMAL: a commit survives a process crash; only an OS crash may lose the last ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Issue rows are read and rewritten on every occurrence; keep the hot pages in memory.
            try db.execute(sql: "PRAGMA cache_size = -16000")
            // Savepoint journals (the consumer's per-message isolation) stay in memory.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
        self.writer = pool
    }

    /// A private in-memory database, gone when the value is released: for `rules test` and
    /// other throw-away engines.
    public static func inMemory() throws -> SQLiteStore {
        try SQLiteStore(writer: DatabaseQueue())
    }

    private init(writer: any DatabaseWriter) throws {
        try Self.migrator.migrate(writer)
        self.writer = writer
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        try await writer.read { db in try body(SQLiteTransaction(db: db)) }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await writer.write { db in try body(SQLiteTransaction(db: db)) }
    }
}
