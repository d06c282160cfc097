/// One page of an issue search, with the cursors of the pages around it.
///
/// The HTTP layer turns the cursors into Sentry's `Link` header
/// (`<url>; rel="previous"; results="false"; cursor="…", <url>; rel="next"; results="true"; cursor="…"`)
/// and `hits` into `X-Hits` (with `X-Max-Hits: 1000`).
public struct IssuePage: Sendable, Hashable {
    /// Where another page starts, and whether it has issues.
    public struct Link: Sendable, Hashable {
        /// Opaque; pass it back as `IssueSearchRequest.cursor`.
        public var cursor: String
        /// Whether that page has issues (Sentry's `results="true"`).
        public var hasResults: Bool

        /// Creates a link.
        public init(cursor: String, hasResults: Bool) {
            self.cursor = cursor
            self.hasResults = hasResults
        }
    }

    /// Most hits counted; more are reported as this many (Sentry's `max_hits`).
    public static let maximumHits = 1000

    /// The issues, in the requested order.
    public var groups: [Group]
    /// The page after this one.
    public var next: Link
    /// The page before this one.
    public var previous: Link
    /// How many issues match in all, counted up to `maximumHits`.
    public var hits: Int

    /// Creates a page.
    public init(groups: [Group], next: Link, previous: Link, hits: Int) {
        self.groups = groups
        self.next = next
        self.previous = previous
        self.hits = hits
    }
}
