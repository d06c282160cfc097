import Templates

/// Contexts the template tests render; the feedback one uses Sentry's test-feedback values.
enum MailSamples {
    static let lorem = """
        Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed vel aliquam velit, nec condimentum mi. Maecenas accumsan, \
        nunc ac venenatis hendrerit, mi libero facilisis nunc, fringilla molestie dui est vulputate diam.
        """

    static func issue(header: String = "New issue", title: String = "TypeError: x is undefined", release: String? = "shop@2.4.0") -> MailContext {
        MailContext(
            header: header, organization: "Acme", organizationID: "1", project: "backend", projectID: "4", issueType: "error",
            shortID: "BACKEND-1A", title: title, culprit: "app/checkout.js in pay", level: "error", status: "unresolved / new",
            priority: "medium", timesSeen: "3", firstSeen: "2025-11-24 10:00 UTC", lastSeen: "2025-11-24 10:05 UTC",
            eventID: "0c1d2e3f405162738495a6b7c8d9eaf1", eventTime: "2025-11-24 10:05 UTC", release: release, environment: "production",
            user: "ada@example.com", tags: [.init(key: "browser", value: "Firefox 132"), .init(key: "os", value: "Linux")],
            rules: [.init(name: "New errors", url: "https://notifyd.example.com/rules/new-errors")],
            issueURL: "https://notifyd.example.com/organizations/acme/issues/42/?referrer=alert_email",
            muteURL: "https://notifyd.example.com/organizations/acme/issues/42/?mute=1",
            settingsURL: "https://notifyd.example.com/settings/notifications/")
    }

    static func feedback(message: String = lorem) -> MailContext {
        var context = issue(header: "New user feedback", title: "User Feedback: Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed vel…")
        context.issueType = "feedback"
        context.culprit = "/checkout"
        context.feedback = .init(
            message: message, name: "Test Name", email: "test@test.com", url: "https://shop.example.com/checkout",
            replayURL: "https://notifyd.example.com/replays/0123456789abcdef")
        return context
    }
}
