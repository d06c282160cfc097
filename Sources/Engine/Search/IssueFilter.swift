/// Which issues a search looks at and the terms they must all meet: what a `Store` needs to run
/// an issue search, with the query already parsed and the request's date range, environments and
/// default type filter turned into terms.
public struct IssueFilter: Sendable, Hashable {
    /// The organization searched; issues of other organizations never match.
    public var organizationID: Int64
    /// The projects searched; empty = every project of the organization. Ids of projects outside
    /// the organization match nothing.
    public var projectIDs: [Int64]
    /// The terms every matching issue meets.
    public var terms: [IssueSearchTerm]

    /// Creates a filter.
    public init(organizationID: Int64, projectIDs: [Int64] = [], terms: [IssueSearchTerm] = []) {
        self.organizationID = organizationID
        self.projectIDs = projectIDs
        self.terms = terms
    }
}
