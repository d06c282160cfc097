import Engine
import Foundation
import Hummingbird
import Templates

extension ConsoleRoutes {
    static let deliveryPageSize = 50

    /// One outbox row, as the issue, rule and deliveries pages list it.
    func deliveryRow(_ delivery: Delivery, organization: Organization, time: DisplayTime) -> PageValue {
        [
            "url": .text(links.delivery(organization.slug, delivery.id)), "channel": .text(delivery.channel.rawValue),
            "target": .text(delivery.target), "state": .text(delivery.state.rawValue), "attempts": .text(String(delivery.attempts)),
            "lastError": PageValue(delivery.lastError), "created": time.value(delivery.createdAt),
            "rules": .text(delivery.ruleNames.joined(separator: ", ")),
        ]
    }

    /// `GET /organizations/{org}/deliveries/[?state=…&before=…]`: the outbox, newest first.
    func deliveriesPage(_ request: Request, _ user: ConsoleUser, _ organization: Organization) async throws -> Response {
        let parameters = FormParameters(request.uri.query)
        let state = parameters["state"].flatMap(Delivery.State.init(rawValue:))
        var filter = DeliveryFilter(state: state)
        if let before = parameters["before"], let separator = before.firstIndex(of: "_"), let seconds = Double(before[..<separator]) {
            filter.before = (Date(timeIntervalSince1970: seconds), String(before[before.index(after: separator)...]))
        }
        let organizationID = organization.id
        let limit = Self.deliveryPageSize
        let query = filter
        let (found, titles, depth, dead) = try await daemon.engine.store.read { reader in
            let found = try reader.deliveries(query, limit: limit + 1).filter { $0.organizationID == organizationID }
            var titles: [Int64: String] = [:]
            for groupID in Set(found.map(\.groupID)) { titles[groupID] = try reader.group(id: groupID)?.title }
            return (found, titles, try reader.outboxDepth(now: Date()).pending, try reader.deliveries(DeliveryFilter(state: .dead), limit: 1).count)
        }
        let shown = Array(found.prefix(limit))
        let time = DisplayTime(now: Date(), builder: daemon.mailContextBuilder)
        let base = links.deliveries(organization.slug)
        var values: [String: PageValue] = [
            "summary": .text("\(depth) pending"), "hasDead": .flag(dead > 0),
            "tabs": .list([("All", nil), ("Pending", Delivery.State.pending), ("Delivered", .delivered), ("Dead", .dead)].map { label, tab in
                ["label": .text(label), "url": .text(tab.map { base + "?state=\($0.rawValue)" } ?? base), "current": .flag(tab == state)]
            }),
            "deliveries": .list(shown.map { delivery in
                guard case .object(var row) = deliveryRow(delivery, organization: organization, time: time) else { return false }
                row["issueURL"] = titles[delivery.groupID] == nil ? false : .text(links.issue(organization.slug, delivery.groupID))
                row["issueTitle"] = .text(titles[delivery.groupID] ?? "")
                return .object(row)
            }),
        ]
        if found.count > limit, let last = shown.last {
            var pairs = [("before", "\(last.createdAt.timeIntervalSince1970)_\(last.id)")]
            if let state { pairs.insert(("state", state.rawValue), at: 0) }
            values["next"] = .text(base + "?" + ConsoleLinks.query(pairs))
        } else {
            values["next"] = false
        }
        return frame(user, organization, .deliveries, request: request).render("deliveries", title: "Deliveries", values)
    }

    /// `GET …/deliveries/{id}/`: one notification with every attempt.
    func deliveryPage(_ request: Request, _ user: ConsoleUser, _ organization: Organization, _ context: DaemonRequestContext) async throws -> Response {
        let id = try context.parameters.require("delivery")
        let found = try await daemon.engine.store.read { reader -> (Delivery, [DeliveryAttempt], Group?, Project?)? in
            guard let delivery = try reader.delivery(id: id) else { return nil }
            return (delivery, try reader.deliveryAttempts(deliveryID: id), try reader.group(id: delivery.groupID), try reader.project(id: delivery.projectID))
        }
        guard let (delivery, attempts, group, project) = found, delivery.organizationID == organization.id else {
            throw APIError.notFound("There is no delivery \(id).")
        }
        let time = DisplayTime(now: Date(), builder: daemon.mailContextBuilder)
        let value: [String: PageValue] = [
            "id": .text(delivery.id), "channel": .text(delivery.channel.rawValue), "target": .text(delivery.target),
            "state": .text(delivery.state.rawValue), "finished": .flag(delivery.state != .pending), "kind": .text(delivery.kind.rawValue),
            "redeliverURL": .text(links.delivery(organization.slug, delivery.id) + "redeliver"),
            "issueURL": PageValue(group.map { links.issue(organization.slug, $0.id) }), "issueTitle": .text(group?.title ?? ""),
            "rules": .list(zip(delivery.ruleIDs, delivery.ruleNames).map { ruleID, name in
                ["name": .text(name), "url": .text(links.rule(organization.slug, project: project?.slug ?? "", id: ruleID))]
            }),
            "created": time.value(delivery.createdAt), "notificationUUID": .text(delivery.notificationUUID),
            "nextAttempt": .text(delivery.state == .pending ? daemon.mailContextBuilder.format(delivery.nextAttemptAt) : "none"),
            "delivered": PageValue(delivery.deliveredAt.map(daemon.mailContextBuilder.format)), "lastError": PageValue(delivery.lastError),
            "hasAttempts": .flag(!attempts.isEmpty),
            "attempts": .list(attempts.reversed().map { attempt in
                [
                    "time": time.value(attempt.attemptedAt), "outcome": .text(attempt.outcome.rawValue),
                    "status": .text(attempt.statusCode.map(String.init) ?? "—"), "duration": .text(String(format: "%.0f ms", attempt.durationMilliseconds)),
                    "error": .text(attempt.error ?? ""),
                ]
            }),
        ]
        return frame(user, organization, .deliveries, request: request).render("delivery", title: "Delivery \(delivery.id)", ["delivery": .object(value)])
    }

    /// `POST …/deliveries/{id}/redeliver`: sends a delivered or dead notification again.
    func redeliver(_ request: Request, _ user: ConsoleUser, _ organization: Organization, _ form: FormParameters, _ context: DaemonRequestContext) async throws -> Response {
        let id = try context.parameters.require("delivery")
        guard let delivery = try await daemon.engine.store.read({ try $0.delivery(id: id) }), delivery.organizationID == organization.id else {
            throw APIError.notFound("There is no delivery \(id).")
        }
        _ = try await daemon.engine.store.write { try $0.redeliver(id: id, now: Date()) }
        daemon.dispatcher.wake()
        return ConsolePage.redirect(links.delivery(organization.slug, id) + "?done=redelivered")
    }

    /// `POST …/deliveries/redeliver-dead`: every dead notification again.
    func redeliverDead(_ request: Request, _ user: ConsoleUser, _ organization: Organization, _ form: FormParameters) async throws -> Response {
        _ = try await daemon.engine.store.write { try $0.redeliverDead(now: Date()) }
        daemon.dispatcher.wake()
        return ConsolePage.redirect(links.deliveries(organization.slug) + "?done=redelivered")
    }
}
