import Engine
import Foundation
import Hummingbird
import Templates

extension ConsoleRoutes {
    /// Tags are summarized over the issue's latest events (see `Engine.tagSummaries`).
    static let tagSample = 1000

    /// `GET /organizations/{org}/issues/{id or short id}/[?event=…][&mute=1]`: the issue page.
    func issuePage(_ request: Request, _ user: ConsoleUser, _ organization: Organization, _ context: DaemonRequestContext) async throws -> Response {
        let (group, project, _) = try await IssueRoutes(daemon: daemon).issue(context)
        let parameters = FormParameters(request.uri.query)
        let requested = parameters["event"]
        let groupID = group.id
        let firstReleaseID = group.firstReleaseID
        let found = try await daemon.engine.store.read { reader in
            let shown = try requested.flatMap { try reader.groupEvent(groupID: groupID, eventID: $0) }
                ?? reader.groupEvents(groupID: groupID, from: nil, direction: .older, limit: 1).first
            let older = try shown.flatMap { try reader.groupEvents(groupID: groupID, from: $0.position, direction: .older, limit: 1).first }
            let newer = try shown.flatMap { try reader.groupEvents(groupID: groupID, from: $0.position, direction: .newer, limit: 1).first }
            let first = try reader.groupEvents(groupID: groupID, from: nil, direction: .newer, limit: 1).first
            let latest = try reader.groupEvents(groupID: groupID, from: nil, direction: .older, limit: 1).first
            return IssueReads(
                shown: shown, older: older, newer: newer, first: first, latest: latest,
                users: try reader.countUniqueUsers(groupID: groupID, since: .distantPast, environment: nil),
                environments: try reader.environmentNames(groupID: groupID), firstRelease: try firstReleaseID.flatMap { try reader.release(id: $0) },
                activities: try reader.activities(groupID: groupID), firings: try reader.ruleFirings(groupID: groupID),
                deliveries: try reader.deliveries(DeliveryFilter(groupID: groupID), limit: 50))
        }
        if requested != nil, found.shown?.event.eventID != requested {
            throw APIError.notFound("This issue has no event \(requested ?? "").")
        }
        let summaries = try await daemon.engine.tagSummaries(groupID: group.id, sampleSize: Self.tagSample)
        let time = DisplayTime(now: Date(), builder: daemon.mailContextBuilder)
        let shortID = ShortID.format(projectSlug: project.slug, number: group.shortID)
        let issueURL = links.issue(organization.slug, group.id)
        let isFeedback = daemon.engine.configuration.registry.type(id: group.type)?.category == .feedback

        var values = issueHeader(group, project: project, time: time, users: found.users)
        values["issueURL"] = .text(issueURL)
        values["eventsURL"] = .text(links.events(organization.slug, group.id))
        values["actionURL"] = .text(issueURL)
        values["muteNotice"] = .flag(parameters["mute"] == "1" && group.status == .unresolved)
        if case .object(var issue) = values["issue"] {
            issue["firstRelease"] = PageValue(found.firstRelease?.version)
            issue["lastRelease"] = PageValue(found.latest?.event.release)
            issue["environments"] = .list(found.environments.map(PageValue.text))
            issue["hasEnvironments"] = .flag(!found.environments.isEmpty)
            values["issue"] = .object(issue)
        }
        if let shown = found.shown {
            var event = EventView(event: shown.event, time: time).value
            func link(_ other: GroupEvent?) -> PageValue {
                guard let other, other.event.eventID != shown.event.eventID else { return false }
                return .text(issueURL + "?" + ConsoleLinks.query([("event", other.event.eventID)]))
            }
            event["nav"] = ["first": link(found.first), "older": link(found.older), "newer": link(found.newer), "latest": link(found.latest)]
            event["jsonURL"] = .text(links.events(organization.slug, group.id) + "\(shown.event.eventID)/json")
            event["tags"] = .list(shown.event.tags.sorted { $0.key < $1.key }.map { tag in
                ["key": .text(tag.key), "value": .text(tag.value), "searchURL": .text(tagSearchURL(organization, key: tag.key, value: tag.value))]
            })
            event["hasTags"] = .flag(!shown.event.tags.isEmpty)
            values["event"] = .object(event)
        } else {
            values["event"] = false
        }
        values["feedback"] = isFeedback ? try await feedback(group, event: found.shown?.event, organization: organization) : false
        values["tagSummaries"] = .list(summaries.map { summary in
            [
                "key": .text(summary.key), "distinct": .text(summary.distinctValues == 1 ? "1 value" : "\(summary.distinctValues) values"),
                "values": .list(summary.topValues.map { value in
                    let share = summary.total == 0 ? 0 : Double(value.count) / Double(summary.total) * 100
                    return [
                        "value": .text(value.value), "share": .text(share >= 1 || share == 0 ? "\(Int(share.rounded()))%" : "<1%"),
                        "percent": .text(String(format: "%.1f", share)), "searchURL": .text(tagSearchURL(organization, key: summary.key, value: value.value)),
                    ]
                }),
            ]
        })
        values["tagNote"] = group.timesSeen > Self.tagSample ? .text("Over the latest \(Self.tagSample) events.") : false
        // Newest first, ending with the first sighting, as Sentry's activity does.
        values["activity"] = .list(
            found.activities.reversed().map { ["text": .text(Self.describe($0)), "time": time.value($0.createdAt)] }
                + [["text": "First seen", "time": time.value(group.firstSeen)]])
        let rules = daemon.evaluator.rules
        values["firings"] = .list(found.firings.reversed().map { firing in
            [
                "ruleName": .text(rules.rule(id: firing.ruleID)?.name ?? firing.ruleID),
                "ruleURL": .text(links.rule(organization.slug, project: project.slug, id: firing.ruleID)), "time": time.value(firing.firedAt),
            ]
        })
        values["hasDeliveries"] = .flag(!found.deliveries.isEmpty)
        values["deliveries"] = .list(found.deliveries.map { deliveryRow($0, organization: organization, time: time) })
        return frame(user, organization, isFeedback ? .feedback : .issues, request: request).render("issue", title: "\(shortID) \(group.title)", values)
    }

    /// What one read of the issue page brings.
    struct IssueReads: Sendable {
        var shown, older, newer, first, latest: GroupEvent?
        var users: Int
        var environments: [String]
        var firstRelease: Release?
        var activities: [Activity]
        var firings: [RuleFiring]
        var deliveries: [Delivery]
    }

    /// The issue's title block, shared by its pages.
    func issueHeader(_ group: Group, project: Project, time: DisplayTime, users: Int) -> [String: PageValue] {
        [
            "issue": [
                "id": .text(String(group.id)), "shortID": .text(ShortID.format(projectSlug: project.slug, number: group.shortID)),
                "title": .text(group.title), "culprit": PageValue(group.culprit.isEmpty ? nil : group.culprit), "level": .text(group.level.rawValue),
                "type": .text(daemon.engine.configuration.registry.type(id: group.type)?.description ?? String(group.type)),
                "status": .text(group.status.name), "statusLabel": .text(group.status.name), "unresolved": .flag(group.status == .unresolved),
                "substatusLabel": PageValue(group.substatus.map { $0.name.replacingOccurrences(of: "_", with: " ") }),
                "priority": .text(group.priority.name), "project": .text(project.slug), "platform": .text(group.platform),
                "events": .text(Self.count(group.timesSeen)), "users": .text(Self.count(Int64(users))),
                "firstSeen": time.value(group.firstSeen), "lastSeen": time.value(group.lastSeen),
            ]
        ]
    }

    func tagSearchURL(_ organization: Organization, key: String, value: String) -> String {
        let quoted = value.contains(" ") || value.contains("\"") ? "\"\(value.replacingOccurrences(of: "\"", with: "\\\""))\"" : value
        return links.issues(organization.slug) + "?" + ConsoleLinks.query([("query", "is:unresolved \(key):\(quoted)")])
    }

    /// The feedback block: what the reporter wrote, who they are, the page, the linked event.
    func feedback(_ group: Group, event: Event?, organization: Organization) async throws -> PageValue {
        let context = event?.data["contexts"]?["feedback"]
        let linkedID = context?["associated_event_id"]?.stringValue ?? event?.tag("associated_event_id")
        var linked: PageValue = false
        if let linkedID, let issue = try await daemon.engine.issues(eventID: linkedID, organizationID: organization.id).first {
            linked = [
                "url": .text(links.issue(organization.slug, issue.id) + "?" + ConsoleLinks.query([("event", linkedID.replacingOccurrences(of: "-", with: "").lowercased())])),
                "label": .text(issue.title),
            ]
        }
        let replay = context?["replay_id"]?.stringValue ?? event?.tag("replayId")
        let url = context?["url"]?.stringValue ?? event?.tag("url")
        return [
            "message": .text(group.metadata["message"]?.stringValue ?? context?["message"]?.stringValue ?? group.metadata["value"]?.stringValue ?? ""),
            "name": PageValue(group.metadata["name"]?.stringValue ?? context?["name"]?.stringValue),
            "email": PageValue(group.metadata["contact_email"]?.stringValue ?? context?["contact_email"]?.stringValue),
            "url": url.map(SafeLink.value) ?? false, "linkedEvent": linked,
            "replay": PageValue(replay.map { links.organization(organization.slug) + "/replays/\(ConsoleLinks.segment($0))/" }),
        ]
    }

    /// An activity in words.
    static func describe(_ activity: Activity) -> String {
        let version = activity.data["version"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        switch activity.type {
        case .setResolved: return "Resolved"
        case .setResolvedInRelease: return version.map { "Resolved in release \($0)" } ?? "Resolved in the next release"
        case .setResolvedByAge: return "Resolved for inactivity"
        case .setResolvedInCommit: return "Resolved in a commit"
        case .setUnresolved: return "Unresolved"
        case .setIgnored:
            let substatus = activity.data["substatus"]?.stringValue.map { $0.replacingOccurrences(of: "_", with: " ") }
            return "Ignored" + (substatus.map { " (\($0))" } ?? "")
        case .setRegression: return "Regressed" + (version.map { " in release \($0)" } ?? "")
        case .firstSeen: return "First seen"
        case .assigned: return "Assigned"
        case .autoSetOngoing: return "Marked as ongoing"
        case .setEscalating: return "Escalating"
        case .setPriority: return "Priority set to \(activity.data["priority"]?.stringValue ?? "a new level")"
        }
    }

    /// `GET …/issues/{id}/events/[?cursor=…&direction=older|newer]`: the issue's events, 50 a page.
    func eventsPage(_ request: Request, _ user: ConsoleUser, _ organization: Organization, _ context: DaemonRequestContext) async throws -> Response {
        let (group, project, _) = try await IssueRoutes(daemon: daemon).issue(context)
        let parameters = FormParameters(request.uri.query)
        let direction: EventDirection = parameters["direction"] == "newer" ? .newer : .older
        let from = parameters["cursor"].flatMap(Self.decodePosition)
        let groupID = group.id
        let limit = 50
        let (events, users) = try await daemon.engine.store.read { reader in
            var events = try reader.groupEvents(groupID: groupID, from: from, direction: direction, limit: limit + 1)
            let more = events.count > limit
            events = Array(events.prefix(limit))
            if direction == .newer { events.reverse() }
            return ((events, more), try reader.countUniqueUsers(groupID: groupID, since: .distantPast, environment: nil))
        }
        let time = DisplayTime(now: Date(), builder: daemon.mailContextBuilder)
        let issueURL = links.issue(organization.slug, group.id)
        let base = links.events(organization.slug, group.id)
        var values = issueHeader(group, project: project, time: time, users: users)
        values["issueURL"] = .text(issueURL)
        values["eventsURL"] = .text(base)
        values["events"] = .list(events.0.map { item in
            let user = item.event.user.flatMap { user in ["email", "username", "id", "ip_address"].lazy.compactMap { user[$0]?.stringValue }.first }
            return [
                "id": .text(item.event.eventID), "url": .text(issueURL + "?" + ConsoleLinks.query([("event", item.event.eventID)])),
                "message": PageValue(item.event.message), "time": time.value(item.event.timestamp), "release": .text(item.event.release ?? ""),
                "environment": .text(item.event.environment ?? ""), "user": .text(user ?? ""),
            ]
        })
        // Newest first: "older" continues after the last row, "newer" before the first.
        let hasOlder = direction == .older ? events.1 : from != nil
        let hasNewer = direction == .newer ? events.1 : from != nil
        values["older"] = hasOlder && !events.0.isEmpty
            ? .text(base + "?" + ConsoleLinks.query([("cursor", Self.encode(events.0.last!.position)), ("direction", "older")])) : false
        values["newer"] = hasNewer && !events.0.isEmpty
            ? .text(base + "?" + ConsoleLinks.query([("cursor", Self.encode(events.0.first!.position)), ("direction", "newer")])) : false
        return frame(user, organization, .issues, request: request).render("events", title: "Events of \(group.title)", values)
    }

    static func encode(_ position: EventPosition) -> String { "\(position.timestamp.timeIntervalSince1970):\(position.sequence)" }

    static func decodePosition(_ text: String) -> EventPosition? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let seconds = Double(parts[0]), let sequence = Int64(parts[1]) else { return nil }
        return EventPosition(timestamp: Date(timeIntervalSince1970: seconds), sequence: sequence)
    }

    /// `GET …/issues/{id}/events/{event}/json`: the stored event as JSON, for a closer look.
    func eventJSON(_ request: Request, _ user: ConsoleUser, _ organization: Organization, _ context: DaemonRequestContext) async throws -> Response {
        let (group, _, _) = try await IssueRoutes(daemon: daemon).issue(context)
        let eventID = try context.parameters.require("event")
        let groupID = group.id
        guard let event = try await daemon.engine.store.read({ try $0.groupEvent(groupID: groupID, eventID: eventID) })?.event else {
            throw APIError.notFound("This issue has no event \(eventID).")
        }
        // Everything that was stored, not only the API's fields.
        var json = EventJSON.json(event)
        if case .object(var fields) = json {
            fields["data"] = .object(event.data)
            json = .object(fields)
        }
        var response = Response.json(json)
        ConsolePage.secure(&response.headers)
        return response
    }

    /// `POST …/issues/{id}/`: resolve, resolve in the next release, ignore, unresolve or delete,
    /// through the same status path as the API; back to the issue (or the stream after a delete).
    func issueAction(
        _ request: Request, _ user: ConsoleUser, _ organization: Organization, _ form: FormParameters, _ context: DaemonRequestContext
    ) async throws -> Response {
        let (group, _, _) = try await IssueRoutes(daemon: daemon).issue(context)
        let action = form["action"] ?? ""
        if action == "delete" {
            guard user.may(.admin) else { throw APIError.forbidden(.admin) }
            _ = try await daemon.engine.deleteIssues(organizationID: organization.id, ids: [group.id])
            return ConsolePage.redirect(links.issues(organization.slug) + "?done=deleted")
        }
        let change = try Self.statusChange(action, form: form)
        let result = try await daemon.engine.changeStatus(groupID: group.id, to: change.status, substatus: change.substatus, resolution: change.resolution)
        let notice: String
        switch result.outcome {
        case .statusChanged: notice = change.notice
        case .failed(let reason): throw APIError(.internalServerError, reason)
        default: notice = "rejected"
        }
        return ConsolePage.redirect(links.issue(organization.slug, group.id) + "?done=\(notice)")
    }
}
