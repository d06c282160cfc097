import Engine
import Foundation
import Templates
import Testing

struct MailContextBuilderTests {
    func organization(_ test: TestEngine) async throws -> Organization {
        let id = test.project.organizationID
        return try #require(try await test.store.read { try $0.organization(id: id) })
    }

    @Test func issueLinksCarryTheAlertTrackingParameters() async throws {
        let test = try await TestEngine()
        let info = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, environment: "prod west").json).groupInfo)
        let event = try await test.engine.latestEvent(groupID: info.group.id)
        let builder = MailContextBuilder(baseURL: "https://notifyd.example.com/")
        let context = builder.context(
            group: info.group, event: event, project: test.project, organization: try await organization(test),
            rules: [("new-errors", "New errors"), ("second", "Second")], notificationUUID: "abc123",
            alertTime: Date(timeIntervalSince1970: 1_750_000_000.5), regression: false)
        #expect(context.issueURL == """
            https://notifyd.example.com/organizations/acme/issues/\(info.group.id)/?referrer=alert_email&alert_type=email\
            &alert_timestamp=1750000000500&alert_rule_id=new-errors&notification_uuid=abc123&environment=prod%20west
            """)
        #expect(context.rules.map(\.url) == [
            "https://notifyd.example.com/organizations/acme/alerts/rules/backend/new-errors/details/",
            "https://notifyd.example.com/organizations/acme/alerts/rules/backend/second/details/",
        ])
        #expect(context.muteURL.hasSuffix("/issues/\(info.group.id)/?referrer=alert_email&mute=1"))
        #expect(context.settingsURL == "https://notifyd.example.com/settings/account/notifications/alerts/")
        #expect(context.shortID == "BACKEND-1" && context.header == "New issue" && context.issueType == "error")
        #expect(context.status == "unresolved / new" && context.priority == "medium" && context.timesSeen == "1")
        #expect(builder.kind(for: info.group, regression: false) == .issueAlert)
        #expect(builder.kind(for: info.group, regression: true) == .regression)
    }

    @Test func timesAreShownInTheConfiguredZone() {
        let date = Date(timeIntervalSince1970: 1_750_000_000)  // 2025-06-15 15:06:40 UTC
        #expect(MailContextBuilder(baseURL: "http://x").format(date) == "2025-06-15 15:06 UTC")
        let berlin = MailContextBuilder(baseURL: "http://x", timeZone: TimeZone(identifier: "Europe/Berlin")!).format(date)
        #expect(berlin.hasPrefix("2025-06-15 17:06 "), "CEST is UTC+2 in June")
    }

    @Test func feedbackMailsShowTheReporter() async throws {
        let test = try await TestEngine()
        let (group, event) = try await test.engine.createFeedback(
            projectID: test.project.id,
            FeedbackInput(message: "It broke", name: "Test Name", email: "test@test.com", url: "https://shop.example.com/a", replayID: "r1"))
        let builder = MailContextBuilder(baseURL: "https://notifyd.example.com")
        let context = builder.context(
            group: group, event: event, project: test.project, organization: try await organization(test), rules: [],
            notificationUUID: "u", alertTime: Date(), regression: false)
        #expect(builder.kind(for: group, regression: false) == .feedback)
        #expect(context.header == "New user feedback")
        #expect(context.feedback == MailContext.Feedback(
            message: "It broke", name: "Test Name", email: "test@test.com", url: "https://shop.example.com/a",
            replayURL: "https://notifyd.example.com/organizations/acme/replays/r1/"))
        let mail = try MailTemplates().render(.feedback, context)
        #expect(mail.subject == "[notifyd] BACKEND-1 - User Feedback: It broke")
        #expect(mail.text.contains("Message:\nIt broke") && mail.text.contains("From: Test Name <test@test.com>"))
    }
}
