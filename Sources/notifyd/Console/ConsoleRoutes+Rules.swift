import Engine
import Foundation
import Hummingbird
import Templates

extension ConsoleRoutes {
    /// `GET /organizations/{org}/alerts/rules/`: every loaded rule per project with its last
    /// firing, and the errors of the rule files when their last change did not load.
    func rulesPage(_ request: Request, _ user: ConsoleUser, _ organization: Organization) async throws -> Response {
        let (projects, lastFired) = try await daemon.engine.store.read { reader in
            (try reader.projects(organizationID: organization.id), try reader.rulesLastFired())
        }
        let rules = daemon.evaluator.rules
        let time = DisplayTime(now: Date(), builder: daemon.mailContextBuilder)
        let errors = daemon.reloader.currentErrors?.errors.map(\.description) ?? []
        let values: [String: PageValue] = [
            "directory": .text(daemon.configuration.rules), "hasErrors": .flag(!errors.isEmpty), "errors": .list(errors.map(PageValue.text)),
            "projects": .list(projects.map { project in
                let applying = rules.rules.filter { $0.projects == nil || $0.projects!.contains(project.slug) }
                return [
                    "slug": .text(project.slug),
                    "rules": .list(applying.map { rule in
                        [
                            "name": .text(rule.name), "id": .text(rule.id), "location": .text(rule.location.description), "enabled": .flag(rule.enabled),
                            "url": .text(links.rule(organization.slug, project: project.slug, id: rule.id)),
                            "triggers": .text(Self.triggers(rule)), "actions": .text(rule.actions.map(RuleText.action).joined(separator: "; ")),
                            "lastFired": time.value(lastFired[rule.id]),
                        ]
                    }),
                ]
            }),
        ]
        return frame(user, organization, .rules, request: request).render("rules", title: "Alert rules", values)
    }

    static func triggers(_ rule: Rule) -> String {
        guard !rule.triggers.isEmpty else { return "every signal" }
        return rule.triggers.map(RuleText.trigger).joined(separator: rule.match == .any ? ", or " : rule.match == .none ? ", none of " : ", and ")
    }

    /// `GET …/alerts/rules/{project}/{rule}/details/`: the rule as loaded (file and line,
    /// triggers, filters, actions — secrets only by their variable's name) and its firings with
    /// their issues and notifications.
    func rulePage(_ request: Request, _ user: ConsoleUser, _ organization: Organization, _ context: DaemonRequestContext) async throws -> Response {
        let projectSlug = try context.parameters.require("project")
        let ruleID = try context.parameters.require("rule")
        guard let project = try await daemon.engine.project(organizationSlug: organization.slug, projectSlug: projectSlug) else {
            throw APIError.notFound("There is no project '\(projectSlug)'.")
        }
        let loaded = daemon.evaluator.rules.rule(id: ruleID)
        let projectID = project.id
        let (firings, issues, deliveries) = try await daemon.engine.store.read { reader in
            let firings = try reader.ruleFirings(ruleID: ruleID, limit: 100)
            var issues: [Int64: Group] = [:]
            var deliveries: [String: [Delivery]] = [:]
            for groupID in Set(firings.map(\.groupID)) {
                guard let group = try reader.group(id: groupID), group.projectID == projectID else { continue }
                issues[groupID] = group
                for delivery in try reader.deliveries(DeliveryFilter(groupID: groupID), limit: 200) where delivery.ruleIDs.contains(ruleID) {
                    deliveries[delivery.notificationUUID, default: []].append(delivery)
                }
            }
            return (firings.filter { issues[$0.groupID] != nil }, issues, deliveries)
        }
        guard loaded != nil || !firings.isEmpty else {
            throw APIError.notFound("No rule '\(ruleID)' is loaded, and it never fired in \(projectSlug).")
        }
        let time = DisplayTime(now: Date(), builder: daemon.mailContextBuilder)
        var rule: [String: PageValue] = ["id": .text(ruleID), "name": .text(loaded?.name ?? ruleID), "enabled": .flag(loaded?.enabled ?? false)]
        if let loaded {
            rule["location"] = .text(loaded.location.description)
            rule["projects"] = .text(loaded.projects?.joined(separator: ", ") ?? "every project")
            rule["environment"] = .text(loaded.environment ?? "any")
            rule["match"] = .text(loaded.match.rawValue)
            rule["triggers"] = .list(loaded.triggers.isEmpty ? ["every signal"] : loaded.triggers.map { .text(RuleText.trigger($0)) })
            rule["filterMatch"] = .text(loaded.filterMatch.rawValue)
            rule["hasFilters"] = .flag(!loaded.filters.isEmpty)
            rule["filters"] = .list(loaded.filters.map { .text(RuleText.filter($0)) })
            rule["actions"] = .list(loaded.actions.map { .text(RuleText.action($0)) })
            rule["frequency"] = .text(RuleDuration.format(loaded.frequency))
        } else {
            rule["location"] = "no longer in the rule files"
        }
        rule["hasFirings"] = .flag(!firings.isEmpty)
        rule["firings"] = .list(firings.map { firing in
            let group = issues[firing.groupID]
            return [
                "issueURL": PageValue(group.map { links.issue(organization.slug, $0.id) }), "issueTitle": .text(group?.title ?? ""),
                "shortID": .text(group.map { ShortID.format(projectSlug: project.slug, number: $0.shortID) } ?? ""), "time": time.value(firing.firedAt),
                "deliveries": .list((deliveries[firing.notificationUUID] ?? []).map { deliveryRow($0, organization: organization, time: time) }),
            ]
        })
        let values: [String: PageValue] = ["project": .text(project.slug), "rule": .object(rule)]
        return frame(user, organization, .rules, request: request).render("rule", title: loaded?.name ?? ruleID, values)
    }
}
