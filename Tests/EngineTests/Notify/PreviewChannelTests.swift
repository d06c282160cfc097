import Engine
import Foundation
import Templates
import Testing

/// A rule with a `preview` action, end to end: ingest → outbox → rendered from the store → files.
struct PreviewChannelTests {
    @Test func aPreviewDeliveryIsRenderedFromTheStoreAndWrittenToFiles() async throws {
        let rules = try RuleLoader().load(files: [("r.yml", """
            rules:
              - id: feedback-preview
                name: Feedback preview
                triggers: [new_issue]
                filters: [{issue_category: feedback}]
                actions: [{preview: {}}, {email: {to: [support@example.com]}}]
            """)])
        let test = try await TestEngine(handlers: [RuleEvaluator(rules: rules)])
        let (group, _) = try await test.engine.createFeedback(
            projectID: test.project.id, FeedbackInput(message: "<b>The button</b> does nothing", name: "Ada", email: "ada@example.com"))
        let deliveries = try await test.store.read { try $0.deliveries(state: .pending, limit: 10) }
        #expect(deliveries.map(\.channel) == [.preview, .email])
        let preview = try #require(deliveries.first)

        let renderer = DeliveryRenderer(
            builder: MailContextBuilder(baseURL: "https://notifyd.example.com"), templates: try MailTemplates(), from: "notifyd@notifyd.example.com")
        let rendered = try await test.store.read { try renderer.render(preview, to: "preview@notifyd.example.com", in: $0) }
        let (mail, message) = (rendered.mail, rendered.message)
        #expect(mail.subject == "[notifyd] BACKEND-1 - User Feedback: <b>The button</b> does nothing")
        #expect(mail.html.contains("&lt;b&gt;The button&lt;/b&gt;") && !mail.html.contains("<b>The button"))
        #expect(mail.text.contains("Feedback preview") && mail.html.contains("notification_uuid=\(preview.notificationUUID)"))
        #expect(message.startsThread && message.messageID.hasPrefix("issue-\(group.id)."))

        let folder = test.directory.appendingPathComponent("previews").path
        let paths = try PreviewWriter(directory: folder).write(id: preview.id, mail: mail, message: message)
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["\(preview.id).eml", "\(preview.id).html", "\(preview.id).txt"])
        #expect(try String(contentsOfFile: paths[2], encoding: .utf8) == mail.text)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 3, "no temporary files left behind")
    }
}
