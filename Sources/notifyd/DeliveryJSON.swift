import Engine

/// JSON views of outbox deliveries, shared by `notifyd deliveries list --json` and the
/// deliveries API.
enum DeliveryJSON {
    static func json(_ delivery: Delivery, attempts: [DeliveryAttempt]? = nil) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(delivery.id), "state": .string(delivery.state.rawValue), "attempts": .int(Int64(delivery.attempts)),
            "channel": .string(delivery.channel.rawValue), "target": .string(delivery.target), "kind": .string(delivery.kind.rawValue),
            "rules": .array(delivery.ruleIDs.map(JSONValue.string)), "group_id": .string(String(delivery.groupID)),
            "created_at": .string(Timestamp.format(delivery.createdAt)),
            "next_attempt_at": .string(Timestamp.format(delivery.nextAttemptAt)),
            "last_error": delivery.lastError.map(JSONValue.string) ?? .null,
            "delivered_at": delivery.deliveredAt.map { .string(Timestamp.format($0)) } ?? .null,
        ]
        if let attempts {
            object["attempt_log"] = .array(
                attempts.map { attempt in
                    .object([
                        "attempted_at": .string(Timestamp.format(attempt.attemptedAt)),
                        "duration_ms": .double(attempt.durationMilliseconds),
                        "status_code": attempt.statusCode.map { .int(Int64($0)) } ?? .null,
                        "error": attempt.error.map(JSONValue.string) ?? .null,
                        "outcome": .string(attempt.outcome.rawValue),
                    ])
                })
        }
        return .object(object)
    }
}
