import Engine
import Foundation
import Hummingbird
import Templates

extension ConsoleRoutes {
    /// `GET /organizations/{org}/replays/{id}/`, the replay link of feedback emails. notifyd
    /// keeps no replays, so the page says so and shows the feedback sent with that replay.
    func replayPage(_ request: Request, _ user: ConsoleUser, _ organization: Organization, _ context: DaemonRequestContext) async throws -> Response {
        let replayID = try context.parameters.require("replay")
        var search = IssueSearchRequest(organizationID: organization.id, query: "", limit: 25)
        search.start = Date.distantPast
        search.query = "issue.category:feedback replayId:\"\(replayID.replacingOccurrences(of: "\"", with: ""))\""
        let found = (try? await daemon.engine.searchIssues(search).groups) ?? []
        let time = DisplayTime(now: Date(), builder: daemon.mailContextBuilder)
        var rows: [PageValue] = []
        for group in found {
            let event = try await daemon.engine.latestEvent(groupID: group.id)
            guard case .object(var feedback) = try await feedback(group, event: event, organization: organization) else { continue }
            feedback["url"] = .text(links.issue(organization.slug, group.id))
            feedback["title"] = .text(group.title)
            feedback["time"] = time.value(group.firstSeen)
            rows.append(.object(feedback))
        }
        let values: [String: PageValue] = ["replayID": .text(replayID), "hasFeedback": .flag(!rows.isEmpty), "feedback": .list(rows)]
        return frame(user, organization, .feedback, request: request).render("replay", title: "Replay \(replayID)", values)
    }

    /// `/settings/account/notifications/alerts/`, the settings link of every email: who gets
    /// which alerts. Rules live in files, so this page shows them and says where to change them.
    func settingsPage(_ request: Request, _ user: ConsoleUser) async throws -> Response {
        let organization = try await daemon.engine.store.read { try $0.organizations().first }
        var recipients: [String: [String]] = [:]
        for rule in daemon.evaluator.rules.rules where rule.enabled {
            for case .email(let addresses) in rule.actions {
                for address in addresses { recipients[address, default: []].append(rule.name) }
            }
        }
        let paragraphs: [PageValue] = [
            .text("Alerts are sent by the rules in \(daemon.configuration.rules); change who gets what by editing those files (notifyd reloads them on its own)."),
            .text("To stop the alerts of one issue, ignore it on its page; a resolved issue alerts again only when it regresses."),
        ] + (recipients.isEmpty
            ? [.text("No rule sends email at the moment.")]
            : recipients.keys.sorted().map { .text("\($0) gets: \(recipients[$0]!.joined(separator: "; "))") })
        var links: [PageValue] = []
        if let organization { links.append(["url": .text(self.links.rules(organization.slug)), "label": "See every alert rule"]) }
        return frame(user, organization, .rules, request: request).render(
            "message", title: "Notification settings", ["heading": "Notification settings", "paragraphs": .list(paragraphs), "links": .list(links)])
    }
}
