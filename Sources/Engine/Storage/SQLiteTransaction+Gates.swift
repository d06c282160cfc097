import Foundation
internal import GRDB

extension SQLiteTransaction {
    func incrementNoiseCounter(projectID: Int64, hash: String, now: Date, expiry: Duration) throws -> Int {
        let nowSeconds = now.timeIntervalSince1970
        let expiresAt = nowSeconds + Double(expiry.components.seconds)
        // An expired counter restarts at 1; every sighting pushes the expiry out again (as Redis
        // EXPIRE does on each under-threshold hit in Sentry).
        return try fetchOne(
            """
            INSERT INTO noise_counter (project_id, hash, count, expires_at) VALUES (?, ?, 1, ?)
            ON CONFLICT (project_id, hash) DO UPDATE SET
                count = CASE WHEN expires_at <= ? THEN 1 ELSE count + 1 END,
                expires_at = excluded.expires_at
            RETURNING count
            """, [projectID, hash, expiresAt, nowSeconds]
        ) { $0.int(0) } ?? 0
    }

    func resetNoiseCounter(projectID: Int64, hash: String) throws {
        try execute("DELETE FROM noise_counter WHERE project_id = ? AND hash = ?", [projectID, hash])
    }

    func useQuota(key: String, quota: Quota, now: Date) throws -> Bool {
        let granularity = max(Int64(quota.granularity.components.seconds), 1)
        let window = max(Int64(quota.window.components.seconds), granularity)
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let bucket = nowSeconds - nowSeconds % granularity
        // Buckets that ended before the window are gone for good.
        let oldestLive = bucket - window + granularity
        try execute("DELETE FROM quota_bucket WHERE key = ? AND bucket_start < ?", [key, oldestLive])
        let used = try fetchOne("SELECT COALESCE(SUM(count), 0) FROM quota_bucket WHERE key = ?", [key]) { $0.int(0) } ?? 0
        guard used < quota.limit else { return false }
        try execute(
            "INSERT INTO quota_bucket (key, bucket_start, count) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET count = count + 1",
            [key, bucket])
        return true
    }

    func isProcessed(messageID: String, since: Date) throws -> Bool {
        try fetchOne("SELECT 1 FROM processed_message WHERE id = ? AND processed_at >= ?", [messageID, since.timeIntervalSince1970]) { _ in true }
            != nil
    }

    func markProcessed(messageID: String, at date: Date) throws {
        try execute("INSERT OR REPLACE INTO processed_message (id, processed_at) VALUES (?, ?)", [messageID, date.timeIntervalSince1970])
    }

    func forgetProcessed(before date: Date) throws {
        try execute("DELETE FROM processed_message WHERE processed_at < ?", [date.timeIntervalSince1970])
    }
}
