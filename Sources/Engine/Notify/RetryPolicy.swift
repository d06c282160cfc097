/// When failed deliveries are tried again: a schedule of delays after each failed attempt, with
/// jitter, then dead. Data, not code in each channel (Alertmanager's `Retrier`, Svix's
/// schedule).
public struct RetryPolicy: Sendable, Hashable {
    /// The delay after the 1st, 2nd, … failed attempt; after the last one the delivery is dead.
    public var delays: [Duration]
    /// Each delay is moved by up to this fraction either way, so receivers that come back do not
    /// get every retry at once.
    public var jitter: Double
    /// The longest `Retry-After` honoured.
    public var maximumRetryAfter: Duration

    /// Svix's schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — eight attempts over about 27 hours.
    public static let standard = RetryPolicy(
        delays: [.seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18_000), .seconds(36_000), .seconds(36_000)],
        jitter: 0.2, maximumRetryAfter: .seconds(36_000))

    /// Creates a policy.
    public init(delays: [Duration], jitter: Double = 0.2, maximumRetryAfter: Duration = .seconds(36_000)) {
        self.delays = delays
        self.jitter = max(0, min(jitter, 1))
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// Attempts in all, the first included.
    public var maximumAttempts: Int { delays.count + 1 }

    /// The delay before the next attempt after `failedAttempts` failures, or `nil` when the
    /// delivery has had its last attempt. A `retryAfter` longer than the schedule's delay wins.
    ///
    /// - Parameter random: a number in 0..<1 (injected so tests are deterministic).
    public func delay(afterFailedAttempts failedAttempts: Int, retryAfter: Double?, random: Double) -> Duration? {
        guard failedAttempts >= 1, failedAttempts <= delays.count else { return nil }
        let base = Double(delays[failedAttempts - 1].components.seconds)
        var seconds = base * (1 + jitter * (2 * random - 1))
        if let retryAfter, retryAfter > seconds {
            seconds = min(retryAfter, Double(maximumRetryAfter.components.seconds))
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
