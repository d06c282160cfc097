public import Foundation

/// An issue search: Sentry's `GET /api/0/organizations/{org}/issues/` parameters, as the
/// engine takes them.
public struct IssueSearchRequest: Sendable, Hashable {
    /// The query Sentry runs when none is given: open issues of high or medium priority.
    public static let defaultQuery = "is:unresolved issue.priority:[high, medium]"
    /// The date range when none is given: the last 90 days (Sentry's `MAX_STATS_PERIOD`).
    public static let defaultPeriod: TimeInterval = 90 * 86_400
    /// The largest page (Sentry's paginator maximum); larger limits are cut to it.
    public static let maximumLimit = 100

    /// The organization searched.
    public var organizationID: Int64
    /// The projects searched; empty = every project of the organization.
    public var projectIDs: [Int64]
    /// Only issues seen in one of these environments; empty = any.
    public var environments: [String]
    /// Sentry search syntax (see `IssueSearchParser`); `nil` = `defaultQuery`, `""` = no filter.
    public var query: String?
    /// Start of the date range; `nil` = 90 days before `end`.
    public var start: Date?
    /// End of the date range; `nil` = now.
    ///
    /// As in Sentry's issue stream, an issue matches when it was seen within the range:
    /// last seen at or after `start` and first seen at or before `end`.
    public var end: Date?
    /// The order.
    public var sort: IssueSort
    /// Issues per page, 1…100 (more is cut to 100).
    public var limit: Int
    /// Where the page starts: a cursor from a previous `IssuePage`; `nil` = the first page.
    public var cursor: String?

    /// Creates a request; the defaults are Sentry's.
    public init(
        organizationID: Int64, projectIDs: [Int64] = [], environments: [String] = [], query: String? = nil, start: Date? = nil,
        end: Date? = nil, sort: IssueSort = .date, limit: Int = maximumLimit, cursor: String? = nil
    ) {
        self.organizationID = organizationID
        self.projectIDs = projectIDs
        self.environments = environments
        self.query = query
        self.start = start
        self.end = end
        self.sort = sort
        self.limit = limit
        self.cursor = cursor
    }
}
