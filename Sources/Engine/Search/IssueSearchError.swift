/// Why an issue search was refused: a query that does not parse, a bad cursor, range or limit.
///
/// For `.invalidQuery` the message is what Sentry puts after `Error parsing search query: `
/// (the HTTP layer adds that prefix); the other messages stand alone.
public struct IssueSearchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of error; a bounded set, safe as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidQuery = "invalid_query"
            case invalidCursor = "invalid_cursor"
            case invalidRange = "invalid_range"
            case invalidLimit = "invalid_limit"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The query string does not parse, or uses something notifyd cannot search by.
        public static let invalidQuery = Code(.invalidQuery)
        /// The cursor is not one this search handed out.
        public static let invalidCursor = Code(.invalidCursor)
        /// The date range is empty (start not before end).
        public static let invalidRange = Code(.invalidRange)
        /// The page size is below 1.
        public static let invalidLimit = Code(.invalidLimit)

        /// Stable snake-case name.
        public var description: String { base.rawValue }
    }

    /// The kind of error.
    public var code: Code
    /// What was wrong, in Sentry's words where Sentry has them.
    public var message: String
    /// For a query error, where in the query the term at fault starts: an offset in characters
    /// from 0 (the console points at it under the query).
    public var position: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The same error, placed at `offset` unless it already has a position.
    func at(_ offset: Int) -> IssueSearchError {
        var placed = self
        placed.position = position ?? offset
        return placed
    }

    /// A query error.
    static func query(_ message: String) -> IssueSearchError { IssueSearchError(.invalidQuery, message) }

    /// Sentry's answer to a cursor it cannot read.
    static let invalidCursor = IssueSearchError(.invalidCursor, "Invalid cursor parameter.")

    public var description: String { message }

    /// Two errors are the same error when their code and message are: the position says where
    /// it was found, not what it is.
    public static func == (lhs: IssueSearchError, rhs: IssueSearchError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
