import Foundation
internal import GRDB

extension SQLiteTransaction {
    func delivery(id: String) throws -> Delivery? {
        try fetchOne("SELECT \(Delivery.columns) FROM delivery WHERE id = ?", [id], Delivery.init(columns:))
    }

    func deliveryAttempts(deliveryID: String) throws -> [DeliveryAttempt] {
        try fetchAll(
            "SELECT delivery_id, attempted_at, duration_ms, status_code, error, outcome FROM delivery_attempt WHERE delivery_id = ? ORDER BY id",
            [deliveryID]
        ) { c in
            guard let outcome = DeliveryAttempt.Outcome(rawValue: c.string(5)) else {
                throw CorruptRow(table: "delivery_attempt", column: "outcome", reason: "unknown outcome \(c.string(5))")
            }
            return DeliveryAttempt(
                deliveryID: c.string(0), attemptedAt: c.date(1), durationMilliseconds: c.double(2), statusCode: c.optionalInt(3),
                error: c.optionalString(4), outcome: outcome)
        }
    }

    func outboxDepth(now: Date) throws -> (pending: Int, oldestDue: Date?) {
        try fetchOne(
            "SELECT COUNT(*), MIN(CASE WHEN next_attempt_at <= ? THEN next_attempt_at END) FROM delivery WHERE state = 'pending'",
            [now.timeIntervalSince1970]
        ) { ($0.int(0), $0.optionalDate(1)) } ?? (0, nil)
    }

    /// How many of the oldest due deliveries one claim looks at.
    static let claimWindow = 1000

    func claimDueDeliveries(
        now: Date, limit: Int, owner: String, lease: Duration, channels: Set<Delivery.Channel>, admit: (Delivery.Channel, String) -> Bool
    ) throws -> [Delivery] {
        let nowSeconds = now.timeIntervalSince1970
        // The channel set is small and fixed per dispatcher; spelling it into the SQL keeps one
        // cached statement per set.
        let names = channels.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
        guard !names.isEmpty, limit > 0 else { return [] }
        // Only what `admit` needs: passing over a backlog for a busy host costs little. A small
        // window first — when every host has room (the common case) it holds the whole claim,
        // and a claim is made each time a slot frees; the full window only when the small one
        // was passed over.
        let until = nowSeconds + Double(lease.components.seconds)
        var claimed: [Delivery] = []
        for window in [min(Self.claimWindow, limit * 2 + 8), Self.claimWindow] {
            let candidates = try fetchAll(
                """
                SELECT id, channel, target FROM delivery
                WHERE state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?) AND channel IN (\(names))
                ORDER BY next_attempt_at, rowid LIMIT ?
                """, [nowSeconds, nowSeconds, window]
            ) { c in (id: c.string(0), channel: Delivery.Channel(rawValue: c.string(1)), target: c.string(2)) }
            for candidate in candidates {
                guard claimed.count < limit else { break }
                guard let channel = candidate.channel, admit(channel, candidate.target) else { continue }
                try execute("UPDATE delivery SET lease_owner = ?, lease_until = ? WHERE id = ?", [owner, until, candidate.id])
                if let delivery = try delivery(id: candidate.id) {
                    claimed.append(delivery)
                }
            }
            // Done when the claim is full or the small window already held every due delivery.
            if claimed.count == limit || candidates.count < window || window == Self.claimWindow { break }
        }
        return claimed
    }

    func completeDelivery(id: String, owner: String, attempt: DeliveryAttempt, nextAttemptAt: Date?) throws -> Bool {
        let state: Delivery.State
        switch attempt.outcome {
        case .delivered: state = .delivered
        case .retry: state = .pending
        case .dead: state = .dead
        }
        try execute(
            """
            UPDATE delivery SET state = ?, attempts = attempts + 1, next_attempt_at = COALESCE(?, next_attempt_at),
                lease_owner = NULL, lease_until = NULL, last_error = ?, delivered_at = ?
            WHERE id = ? AND lease_owner = ?
            """,
            [
                state.rawValue, nextAttemptAt?.timeIntervalSince1970, attempt.error,
                attempt.outcome == .delivered ? attempt.attemptedAt.timeIntervalSince1970 : nil, id, owner,
            ])
        guard changesCount == 1 else { return false }
        try execute(
            "INSERT INTO delivery_attempt (delivery_id, attempted_at, duration_ms, status_code, error, outcome) VALUES (?, ?, ?, ?, ?, ?)",
            [
                attempt.deliveryID, attempt.attemptedAt.timeIntervalSince1970, attempt.durationMilliseconds, attempt.statusCode, attempt.error,
                attempt.outcome.rawValue,
            ])
        return true
    }

    func releaseLeases(owner: String) throws -> Int {
        try execute("UPDATE delivery SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?", [owner])
        return changesCount
    }

    func markWaiting(channel: Delivery.Channel, reason: String) throws -> Int {
        try execute(
            "UPDATE delivery SET last_error = ? WHERE state = 'pending' AND channel = ? AND last_error IS NOT ?", [reason, channel.rawValue, reason])
        return changesCount
    }

    func redeliver(id: String, now: Date) throws -> Bool {
        try execute(
            """
            UPDATE delivery SET state = 'pending', attempts = 0, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL
            WHERE id = ? AND state IN ('delivered', 'dead')
            """, [now.timeIntervalSince1970, id])
        return changesCount == 1
    }

    func redeliverDead(now: Date) throws -> Int {
        try execute(
            "UPDATE delivery SET state = 'pending', attempts = 0, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL WHERE state = 'dead'",
            [now.timeIntervalSince1970])
        return changesCount
    }
}
