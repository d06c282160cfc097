import Foundation
internal import Logging
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

    /// The issues of an organization that have the event with this id (Sentry's direct hit for a
    /// query that is an event id; it answers with `X-Sentry-Direct-Hit: 1`), by id.
    ///
    /// - Parameters:
    ///   - eventID: 32 hex digits or a UUID with dashes, in any case; anything else finds nothing.
    ///   - organizationID: the organization searched.
    public func issues(eventID: String, organizationID: Int64) async throws -> [Group] {
        guard let eventID = UUIDText.normalize(eventID.trimmingCharacters(in: .whitespaces)) else { return [] }
        return try await store.read { try $0.groups(organizationID: organizationID, eventID: eventID) }
    }

    /// The issue with a short id (`BACKEND-1A`, any case) in one of an organization's projects,
    /// if there is one (Sentry's direct hit for `shortIdLookup=1`).
    public func issue(shortID: String, organizationID: Int64) async throws -> Group? {
        guard let (slug, number) = ShortID.parse(shortID.trimmingCharacters(in: .whitespaces)) else { return nil }
        return try await store.read { reader in
            guard let project = try reader.project(organizationID: organizationID, slug: slug) else { return nil }
            return try reader.group(projectID: project.id, shortID: number)
        }
    }

    // MARK: Deleting issues

    /// Deletes issues of an organization with everything that hangs on them (occurrences, their
    /// events, environments, activities, resolution, rule state, fingerprint hashes), in one
    /// transaction, and returns how many issues were deleted.
    ///
    /// Ids that are unknown or belong to another organization are ignored, as in Sentry. Since
    /// the fingerprint hashes go too, a later occurrence with the same fingerprint creates a new
    /// issue. Unlike Sentry, which can delete only error issues, every category can be deleted:
    /// notifyd keeps all issues in the same store. Deliveries already in the outbox stay there as
    /// a record; any not yet sent fail with "issue … no longer exists".
    public func deleteIssues(organizationID: Int64, ids: [Int64]) async throws -> Int {
        let deleted = try await store.write { try $0.deleteGroups(organizationID: organizationID, ids: ids) }
        recordDeletion(deleted, organizationID: organizationID)
        return deleted
    }

    /// Deletes the first 1,000 issues a search finds, in its order (Sentry's bulk delete without
    /// ids; a `nil` query is the default query), in one transaction; returns how many.
    /// The request's cursor and limit are not used.
    ///
    /// - Throws: `IssueSearchError` as `searchIssues(_:)` does.
    public func deleteIssues(matching request: IssueSearchRequest) async throws -> Int {
        let filter = try IssueSearch(registry: configuration.registry, now: configuration.now()).filter(for: request)
        let (sort, organizationID) = (request.sort, request.organizationID)
        let deleted = try await store.write { transaction in
            let ids = try transaction.searchGroups(filter, sort: sort, from: nil, limit: IssueSearch.bulkLimit).map(\.id)
            return try transaction.deleteGroups(organizationID: organizationID, ids: ids)
        }
        recordDeletion(deleted, organizationID: organizationID)
        return deleted
    }

    private func recordDeletion(_ count: Int, organizationID: Int64) {
        Counter(label: "issue_search.deleted").increment(by: count)
        configuration.logger.info("issues deleted", metadata: ["organization_id": "\(organizationID)", "count": "\(count)"])
    }
}
