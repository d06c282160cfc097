import Foundation
internal import Metrics

extension Engine {
    // MARK: Issue search

    /// One page of Sentry's issue search over the store: the issues of an organization's
    /// projects that match the request's query, date range and environments, in its order.
    ///
    /// ```swift
    /// var request = IssueSearchRequest(organizationID: organization.id, query: "is:unresolved timeout", sort: .new, limit: 25)
    /// let page = try await engine.searchIssues(request)
    /// if page.next.hasResults { request.cursor = page.next.cursor }  // …and search again
    /// ```
    ///
    /// Pages are cut by position (the sort value and id of the last issue), not by offset, so
    /// issues added between two requests never shift the issues of the later pages.
    ///
    /// - Throws: `IssueSearchError` for a query that does not parse (`.invalidQuery`, whose
    ///   message goes after `Error parsing search query: `), a cursor this search did not hand
    ///   out (`.invalidCursor`), a start not before the end (`.invalidRange`) or a limit below 1
    ///   (`.invalidLimit`); store errors as they come.
    public func searchIssues(_ request: IssueSearchRequest) async throws -> IssuePage {
        let search = IssueSearch(registry: configuration.registry, now: configuration.now())
        let plan: IssueSearch.Plan
        do {
            plan = try search.plan(request)
        } catch {
            Counter(label: "issue_search.refused", dimensions: [("code", error.code.description)]).increment()
            throw error
        }
        Counter(label: "issue_search.searches").increment()
        return try await store.read { try search.page(plan, in: $0) }
    }
}
