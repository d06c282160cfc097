public import Foundation
public import Templates

/// Builds the `MailContext` templates render, from an issue, its event, the rules that fired,
/// the project and organization: formatted values, and links with the alert's tracking
/// parameters (Sentry's `referrer=alert_email&alert_type=email&…`).
public struct MailContextBuilder: Sendable {
    /// Where notifyd's web pages live (no trailing slash), e.g. `https://notifyd.example.com`.
    public var baseURL: String
    /// The time zone times are shown in.
    public var timeZone: TimeZone
    /// The issue types, for slugs and categories.
    public var registry: GroupTypeRegistry

    /// Creates a builder; times default to UTC.
    public init(baseURL: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!, registry: GroupTypeRegistry = .standard) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeZone = timeZone
        self.registry = registry
    }

    /// Which template an alert about this issue uses.
    public func kind(for group: Group, regression: Bool) -> MailKind {
        if registry.type(id: group.type)?.category == .feedback { return .feedback }
        return regression ? .regression : .issueAlert
    }

    /// The context for one alert.
    ///
    /// - Parameters:
    ///   - rules: the rules that fired, as (id, name).
    ///   - notificationUUID: the firing's id, carried in the links.
    ///   - alertTime: when the alert was made (the links' `alert_timestamp`).
    public func context(
        group: Group, event: Event?, project: Project, organization: Organization, rules: [(id: String, name: String)],
        notificationUUID: String, alertTime: Date, regression: Bool
    ) -> MailContext {
        let type = registry.type(id: group.type)
        let isFeedback = type?.category == .feedback
        let status = group.status.name + (group.substatus.map { " / \($0.name)" } ?? "")
        let issuePath = "\(baseURL)/organizations/\(organization.slug)/issues/\(group.id)/"
        var query = [
            ("referrer", "alert_email"), ("alert_type", "email"),
            ("alert_timestamp", String(Int64((alertTime.timeIntervalSince1970 * 1000).rounded()))),
        ]
        if let first = rules.first { query.append(("alert_rule_id", first.id)) }
        query.append(("notification_uuid", notificationUUID))
        if let environment = event?.environment { query.append(("environment", environment)) }
        let issueURL = issuePath + "?" + Self.encode(query)
        var tags = event?.tags.map { MailContext.Tag(key: $0.key, value: $0.value) } ?? []
        tags.sort { $0.key < $1.key }
        let user = event?.user.flatMap { user in
            ["email", "username", "id", "ip_address"].lazy.compactMap { user[$0]?.stringValue }.first
        }
        var feedback: MailContext.Feedback?
        if isFeedback {
            let context = event?.data["contexts"]?["feedback"]
            let replay = context?["replay_id"]?.stringValue ?? event?.tag("replayId")
            feedback = MailContext.Feedback(
                message: group.metadata["message"]?.stringValue ?? context?["message"]?.stringValue ?? group.metadata["value"]?.stringValue ?? "",
                name: group.metadata["name"]?.stringValue ?? context?["name"]?.stringValue,
                email: group.metadata["contact_email"]?.stringValue ?? context?["contact_email"]?.stringValue,
                url: context?["url"]?.stringValue ?? event?.tag("url"),
                replayURL: replay.map { "\(baseURL)/organizations/\(organization.slug)/replays/\($0)/" })
        }
        return MailContext(
            header: isFeedback ? "New user feedback" : regression ? "Regressed issue" : "New issue",
            organization: organization.name, organizationID: String(organization.id), project: project.slug, projectID: String(project.id),
            issueType: type?.slug ?? String(group.type), shortID: ShortID.format(projectSlug: project.slug, number: group.shortID),
            title: group.title, culprit: group.culprit, level: group.level.rawValue, status: status, priority: group.priority.name,
            timesSeen: String(group.timesSeen), firstSeen: format(group.firstSeen), lastSeen: format(group.lastSeen),
            eventID: event?.eventID ?? "", eventTime: event.map { format($0.timestamp) } ?? "", release: event?.release,
            environment: event?.environment, user: user, tags: tags,
            rules: rules.map {
                MailContext.RuleLink(name: $0.name, url: "\(baseURL)/organizations/\(organization.slug)/alerts/rules/\(project.slug)/\($0.id)/details/")
            },
            issueURL: issueURL, muteURL: issuePath + "?" + Self.encode([("referrer", "alert_email"), ("mute", "1")]),
            settingsURL: "\(baseURL)/settings/account/notifications/alerts/", feedback: feedback)
    }

    /// `2025-11-24 10:05 UTC`, in the configured time zone.
    public func format(_ date: Date) -> String {
        let shifted = date.addingTimeInterval(Double(timeZone.secondsFromGMT(for: date)))
        let iso = Timestamp.format(shifted)  // 2025-11-24T10:05:00.000000Z, already shifted
        let day = iso.prefix(10)
        let time = iso.dropFirst(11).prefix(5)
        // Foundation on Linux names UTC "GMT"; say UTC, as configured.
        let zone = ["UTC", "GMT"].contains(timeZone.identifier) ? "UTC" : timeZone.abbreviation(for: date) ?? timeZone.identifier
        return "\(day) \(time) \(zone)"
    }

    /// `name=value&…` with each value percent-encoded (only unreserved characters stay); the
    /// names are the caller's own and stay as they are.
    public static func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }
}
