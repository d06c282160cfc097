/// The most common values of one tag among an issue's events (Sentry's tag distribution on the
/// issue page).
public struct TagSummary: Sendable, Hashable {
    /// One value and how many of the counted events carry it.
    public struct Value: Sendable, Hashable {
        /// The tag value.
        public var value: String
        /// Events with it.
        public var count: Int

        /// Creates a value count.
        public init(value: String, count: Int) {
            self.value = value
            self.count = count
        }
    }

    /// The tag name.
    public var key: String
    /// Events that carry the tag at all.
    public var total: Int
    /// The most common values, most frequent first.
    public var topValues: [Value]
    /// How many different values were seen.
    public var distinctValues: Int

    /// Creates a summary.
    public init(key: String, total: Int, topValues: [Value], distinctValues: Int) {
        self.key = key
        self.total = total
        self.topValues = topValues
        self.distinctValues = distinctValues
    }
}
