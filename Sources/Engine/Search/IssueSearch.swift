import Foundation

/// Runs issue searches over a store: turns an `IssueSearchRequest` into an `IssueFilter` and a
/// keyset, then reads one page and what lies on either side of it.
struct IssueSearch {
    /// What to read, checked before the store is touched.
    struct Plan {
        var filter: IssueFilter
        var sort: IssueSort
        var keyset: IssueKeyset?
        var limit: Int
    }

    /// Most issues one delete-by-search removes (Sentry's `BULK_MUTATION_LIMIT`).
    static let bulkLimit = 1000

    let registry: GroupTypeRegistry
    let now: Date

    /// Parses the request's query, cursor and limit.
    func plan(_ request: IssueSearchRequest) throws(IssueSearchError) -> Plan {
        guard request.limit >= 1 else { throw IssueSearchError(.invalidLimit, "limit must be at least 1") }
        var keyset: IssueKeyset?
        if let cursor = request.cursor {
            keyset = try IssueKeyset(cursor: cursor)
        }
        return Plan(
            filter: try filter(for: request), sort: request.sort, keyset: keyset, limit: min(request.limit, IssueSearchRequest.maximumLimit))
    }

    /// The store filter of a request: its query, date range, environments, and the types kept
    /// out of the default stream unless the query names a category or type (as Sentry's
    /// `in_default_search`: feedback shows only with `issue.category:feedback`).
    func filter(for request: IssueSearchRequest) throws(IssueSearchError) -> IssueFilter {
        var terms = try IssueSearchParser(registry: registry, now: now).parse(request.query ?? IssueSearchRequest.defaultQuery)
        let end = request.end ?? now
        let start = request.start ?? end.addingTimeInterval(-IssueSearchRequest.defaultPeriod)
        guard start < end else { throw IssueSearchError(.invalidRange, "start must be before end") }
        terms += [.date(.lastSeen, .greaterOrEqual, start), .date(.firstSeen, .lessOrEqual, end)]
        if !request.environments.isEmpty {
            terms.append(.environment(request.environments))
        }
        let hidden = Set(registry.all.filter { !$0.inDefaultSearch }.map(\.id))
        let namesTypes = terms.contains { term in
            if case .types = term { return true }
            return false
        }
        if !hidden.isEmpty, !namesTypes {
            terms.append(.types(hidden, negated: true))
        }
        return IssueFilter(organizationID: request.organizationID, projectIDs: request.projectIDs, terms: terms)
    }

    /// The planned page, its neighbours' cursors and the capped hit count.
    func page(_ plan: Plan, in reader: any StoreReader) throws -> IssuePage {
        let sort = plan.sort
        // One more than the page tells whether the page beyond it has issues.
        var groups = try reader.searchGroups(plan.filter, sort: sort, from: plan.keyset, limit: plan.limit + 1)
        let more = groups.count > plan.limit
        groups = Array(groups.prefix(plan.limit))
        let backwards = plan.keyset?.backwards ?? false
        if backwards { groups.reverse() }

        // An empty page keeps the position it was asked for (Sentry's `0:0` when there is none).
        let origin = plan.keyset ?? IssueKeyset(value: 0, id: 0, backwards: false)
        let first = groups.first.map { IssueKeyset(value: sort.value(of: $0), id: $0.id, backwards: true) }
            ?? IssueKeyset(value: origin.value, id: origin.id, backwards: true)
        let last = groups.last.map { IssueKeyset(value: sort.value(of: $0), id: $0.id, backwards: false) }
            ?? IssueKeyset(value: origin.value, id: origin.id, backwards: false)
        func hasIssues(from keyset: IssueKeyset) throws -> Bool {
            try !reader.searchGroups(plan.filter, sort: sort, from: keyset, limit: 1).isEmpty
        }
        let hasNext = backwards ? try hasIssues(from: last) : more
        let hasPrevious = backwards ? more : try plan.keyset != nil && hasIssues(from: first)
        return IssuePage(
            groups: groups, next: IssuePage.Link(cursor: last.cursor, hasResults: hasNext),
            previous: IssuePage.Link(cursor: first.cursor, hasResults: hasPrevious),
            hits: try reader.countGroups(plan.filter, upTo: IssuePage.maximumHits))
    }
}
