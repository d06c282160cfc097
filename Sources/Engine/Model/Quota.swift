/// A sliding-window limit: at most `limit` uses within `window`, counted in `granularity` buckets.
public struct Quota: Sendable, Hashable {
    /// The length of the window.
    public var window: Duration
    /// The width of one counting bucket.
    public var granularity: Duration
    /// Uses allowed per window.
    public var limit: Int

    /// Creates a quota; Sentry's issue-creation default is 5 per hour in 60-second buckets.
    public init(window: Duration = .seconds(3600), granularity: Duration = .seconds(60), limit: Int = 5) {
        self.window = window
        self.granularity = granularity
        self.limit = limit
    }
}
