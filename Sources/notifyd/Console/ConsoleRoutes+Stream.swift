import Engine
import Foundation
import Hummingbird
import Templates

extension ConsoleRoutes {
    /// The stream's tabs: (label, query). "Unresolved" is Sentry's default query; feedback
    /// has a tab of its own because the default search leaves it out, as Sentry's does.
    static let streamTabs: [(label: String, query: String)] = [
        ("Unresolved", IssueSearchRequest.defaultQuery), ("For review", "is:unresolved substatus:[new, regressed, escalating]"),
        ("Ignored", "is:ignored"), ("Resolved", "is:resolved"), ("All", ""), ("Feedback", "issue.category:feedback"),
    ]
    static let streamPeriods: [(value: String, label: String)] = [
        ("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("14d", "Last 14 days"), ("30d", "Last 30 days"), ("", "Last 90 days"),
    ]
    static let streamSorts: [(value: String, label: String)] = [("date", "Last seen"), ("new", "First seen"), ("freq", "Events")]
    /// Issues per page of the stream (Sentry's is 25).
    static let streamPageSize = 25

    /// `GET /organizations/{org}/issues/`: the search box (Sentry's syntax, the API's parser),
    /// project picker, period, sort, status tabs, a page of issues with sparklines, cursors.
    func stream(_ request: Request, _ user: ConsoleUser, _ organization: Organization) async throws -> Response {
        let raw = FormParameters(request.uri.query)
        // Empty selections of the form mean "every project" and "no period".
        let parameters = FormParameters(pairs: raw.pairs.filter { !(["project", "statsPeriod", "sort", "cursor"].contains($0.name) && $0.value.isEmpty) })
        let query = parameters["query"] ?? IssueSearchRequest.defaultQuery
        let isFeedback = query.contains("issue.category:feedback")
        var page = frame(user, organization, isFeedback ? .feedback : .issues, request: request)
        page.notice = raw["done"]

        let api = IssueRoutes(daemon: daemon)
        var search = try api.searchRequest(parameters, organization: organization)
        search.query = query
        search.limit = Self.streamPageSize
        let graph = parameters["graph"] == "14d" ? "14d" : "24h"

        // Like Sentry's stream, an event id or short id goes straight to its issue.
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, !trimmed.contains(" ") {
            if let hit = try await daemon.engine.issues(eventID: trimmed, organizationID: organization.id).first {
                return ConsolePage.redirect(links.issue(organization.slug, hit.id))
            }
            if let hit = try await daemon.engine.issue(shortID: trimmed, organizationID: organization.id) {
                return ConsolePage.redirect(links.issue(organization.slug, hit.id))
            }
        }

        let projects = try await daemon.engine.store.read { try $0.projects(organizationID: organization.id) }
        var values: [String: PageValue] = [
            "heading": .text(isFeedback ? "User feedback" : "Issues"), "query": .text(query), "graph": .text(graph),
            "back": .text(links.root + request.uri.description),
            "projects": .list(projects.map { ["id": .text(String($0.id)), "slug": .text($0.slug), "selected": .flag(search.projectIDs == [$0.id])] }),
            "periods": .list(Self.streamPeriods.map { ["value": .text($0.value), "label": .text($0.label), "selected": .flag((parameters["statsPeriod"] ?? "") == $0.value)] }),
            "sorts": .list(Self.streamSorts.map { ["value": .text($0.value), "label": .text($0.label), "selected": .flag(search.sort.rawValue == $0.value)] }),
            "tabs": .list(Self.streamTabs.map { tab in
                ["label": .text(tab.label), "url": .text(streamURL(organization, parameters, replacing: [("query", tab.query)])), "current": .flag(tab.query == query)]
            }),
            "graphs": .list(["24h", "14d"].map { ["label": .text($0), "url": .text(streamURL(organization, parameters, replacing: [("graph", $0)])), "current": .flag($0 == graph)] }),
            "graphLabel": .text(graph == "14d" ? "14 days" : "24 hours"),
        ]

        let result: IssuePage
        do {
            result = try await daemon.engine.searchIssues(search)
        } catch let error as IssueSearchError {
            var box: [String: PageValue] = [
                "message": .text(error.code == .invalidQuery ? "Error parsing search query: \(error.message)" : error.message), "caret": false,
            ]
            if let position = error.position {
                box["caret"] = .text(String(repeating: " ", count: position) + "^")
                box["query"] = .text(query)
            }
            values["error"] = .object(box)
            return page.render("issues", title: "Issues", values, status: .badRequest)
        }

        let now = Date()
        let (bucketSeconds, buckets) = graph == "14d" ? (86_400, 14) : (3600, 24)
        let since = Date(timeIntervalSince1970: (floor(now.timeIntervalSince1970 / Double(bucketSeconds)) - Double(buckets - 1)) * Double(bucketSeconds))
        let ids = result.groups.map(\.id)
        let (counts, users) = try await daemon.engine.store.read { reader in
            let counts = try reader.eventCounts(groupIDs: ids, since: since, bucketSeconds: bucketSeconds, buckets: buckets)
            let users = try Dictionary(uniqueKeysWithValues: ids.map { ($0, try reader.countUniqueUsers(groupID: $0, since: .distantPast, environment: nil)) })
            return (counts, users)
        }
        let time = DisplayTime(now: now, builder: daemon.mailContextBuilder)
        let labels = (0..<buckets).map { index in
            daemon.mailContextBuilder.format(since.addingTimeInterval(Double(index * bucketSeconds)))
        }
        let slugs = Dictionary(uniqueKeysWithValues: projects.map { ($0.id, $0.slug) })
        values["issues"] = .list(result.groups.map { group in
            let series = counts[group.id] ?? Array(repeating: 0, count: buckets)
            return [
                "id": .text(String(group.id)), "url": .text(links.issue(organization.slug, group.id)),
                "shortID": .text(ShortID.format(projectSlug: slugs[group.projectID] ?? "", number: group.shortID)),
                "title": .text(group.title), "culprit": PageValue(group.culprit.isEmpty ? nil : group.culprit), "level": .text(group.level.rawValue),
                "type": .text(daemon.engine.configuration.registry.type(id: group.type)?.description ?? String(group.type)),
                "status": .text(group.status.name), "statusLabel": .text(group.status.name), "unresolved": .flag(group.status == .unresolved),
                "substatusLabel": PageValue(group.substatus.map { $0.name.replacingOccurrences(of: "_", with: " ") }),
                "project": .text(slugs[group.projectID] ?? ""), "events": .text(Self.count(group.timesSeen)),
                "users": .text(Self.count(Int64(users[group.id] ?? 0))), "firstSeen": time.value(group.firstSeen), "lastSeen": time.value(group.lastSeen),
                "spark": Sparkline.value(series, labels: labels, summary: "\(series.reduce(0, +)) events in the last \(graph == "14d" ? "14 days" : "24 hours")"),
            ]
        })
        if result.groups.isEmpty, query == IssueSearchRequest.defaultQuery {
            values["hint"] = "Low-priority issues and feedback are not in the default search: try the All or Feedback tab."
        }
        let hits = result.hits >= IssuePage.maximumHits ? "\(IssuePage.maximumHits)+" : String(result.hits)
        values["hitsLabel"] = .text("\(hits) issue\(result.hits == 1 ? "" : "s")")
        values["previous"] = result.previous.hasResults
            ? .text(streamURL(organization, parameters, replacing: [("cursor", result.previous.cursor)])) : false
        values["next"] = result.next.hasResults ? .text(streamURL(organization, parameters, replacing: [("cursor", result.next.cursor)])) : false
        return page.render("issues", title: isFeedback ? "User feedback" : "Issues", values)
    }

    /// The stream's URL with some parameters replaced; a new query, project, period or sort
    /// starts again from the first page.
    func streamURL(_ organization: Organization, _ parameters: FormParameters, replacing changes: [(String, String)]) -> String {
        let names = Set(changes.map(\.0))
        let resetsCursor = !names.isDisjoint(with: ["query", "project", "statsPeriod", "sort"])
        var pairs = parameters.pairs.filter { !names.contains($0.name) && $0.name != "done" && $0.name != "count" && !(resetsCursor && $0.name == "cursor") }
        pairs += changes.map { (name: $0.0, value: $0.1) }
        return links.issues(organization.slug) + "?" + ConsoleLinks.query(pairs.map { ($0.name, $0.value) })
    }

    /// `1,234`, `12.3k`, `4.5M`: counts as Sentry's stream shows them.
    static func count(_ value: Int64) -> String {
        switch value {
        case ..<10_000: return value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        case ..<1_000_000: return String(format: "%.1fk", Double(value) / 1000)
        default: return String(format: "%.1fM", Double(value) / 1_000_000)
        }
    }

    /// `POST /organizations/{org}/issues/`: resolve, ignore, unresolve or delete the selected issues.
    func bulkAction(_ request: Request, _ user: ConsoleUser, _ organization: Organization, _ form: FormParameters) async throws -> Response {
        let back = links.safeNext(form["back"]) ?? links.issues(organization.slug)
        let ids = form.all("id").compactMap(Int64.init)
        func returning(_ notice: String, count: Int? = nil) -> Response {
            let separator = back.contains("?") ? "&" : "?"
            return ConsolePage.redirect(back + separator + ConsoleLinks.query([("done", notice)] + (count.map { [("count", String($0))] } ?? [])))
        }
        guard !ids.isEmpty else { return returning("none") }
        let action = form["action"] ?? ""
        if action == "delete" {
            guard user.may(.admin) else { throw APIError.forbidden(.admin) }
            let deleted = try await daemon.engine.deleteIssues(organizationID: organization.id, ids: ids)
            return returning("deleted", count: deleted)
        }
        let change = try Self.statusChange(action, form: form)
        var changed = 0
        for id in ids {
            guard try await issueInOrganization(id, organization) != nil else { continue }
            if case .statusChanged = try await daemon.engine.changeStatus(groupID: id, to: change.status, substatus: change.substatus, resolution: change.resolution).outcome {
                changed += 1
            }
        }
        return returning(change.notice, count: changed)
    }

    /// What a form's `action` asks of the status path.
    static func statusChange(_ action: String, form: FormParameters) throws -> (status: GroupStatus, substatus: GroupSubstatus?, resolution: StatusChange.Resolution?, notice: String) {
        switch action {
        case "resolve": return (.resolved, nil, nil, "resolved")
        case "resolve_next_release": return (.resolved, nil, .inNextRelease, "resolved_next_release")
        case "ignore": return (.ignored, form["ignore"] == "forever" ? .forever : .untilEscalating, nil, "ignored")
        case "unresolve": return (.unresolved, .ongoing, nil, "unresolved")
        default: throw APIError.badRequest("Unknown action '\(action)'", field: "action")
        }
    }

    /// The issue if it belongs to the organization.
    func issueInOrganization(_ id: Int64, _ organization: Organization) async throws -> Group? {
        try await daemon.engine.store.read { reader in
            guard let group = try reader.group(id: id), try reader.project(id: group.projectID)?.organizationID == organization.id else { return nil }
            return group
        }
    }
}
