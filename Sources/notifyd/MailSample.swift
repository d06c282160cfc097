import Engine
import Foundation
import Templates

/// Sample emails built the way real ones are: a throw-away engine creates the issue, the
/// context builder reads it back, the templates render it. The feedback sample uses Sentry's
/// test-feedback values (reporter "Test Name", test@test.com, the lorem-ipsum message).
enum MailSample {
    static let lorem = """
        Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed vel aliquam velit, nec condimentum mi. Maecenas accumsan, \
        nunc ac venenatis hendrerit, mi libero facilisis nunc, fringilla molestie dui est vulputate diam. Duis ac justo euismod, \
        sagittis est at, bibendum purus. Praesent nec tortor vel ante accumsan lobortis. Morbi mollis augue nec dolor feugiat \
        congue. Nullam eget blandit nisi. Sed in arcu odio. Aenean malesuada tortor quis felis dapibus congue.
        """

    /// The kinds `notifyd preview` accepts.
    static let kinds = MailKind.allCases.map(\.rawValue)

    /// A rendered sample: its file name, context, mail and MIME message.
    struct Sample {
        var name: String
        var kind: MailKind
        var context: MailContext
        var mail: RenderedMail
        var message: MailMessage
    }

    /// A rendered sample of `kind`. It names `rule` as the rule that sent it, or no rule: a
    /// made-up one would be a link to a rule page that does not exist.
    static func make(_ kind: MailKind, templates: MailTemplates, baseURL: String, rule: Rule? = nil) async throws -> Sample {
        let engine = try Engine(configuration: .init(databasePath: nil))
        let project = try await engine.ensureProject(organizationSlug: "example", projectSlug: "example")
        let group: Group
        var regression = false
        switch kind {
        case .feedback:
            group = try await engine.createFeedback(
                projectID: project.id,
                FeedbackInput(
                    message: lorem, name: "Test Name", email: "test@test.com", environment: "prod", tags: ["logger": "javascript"],
                    replayID: "0a1b2c3d4e5f40718293a4b5c6d7e8f9", source: "preview")
            ).group
        case .issueAlert, .regression:
            let message = { (release: String) -> Data in
                let now = Date().timeIntervalSince1970
                let eventID = UUID().uuidString
                let text = """
                    {"id": "\(UUID().uuidString)", "project_id": \(project.id), "fingerprint": ["some-fingerprint"],
                     "issue_title": "something bad happened", "subtitle": "it was bad", "culprit": "/api/123/", "type": 1,
                     "detection_time": \(now), "level": "error",
                     "evidence_display": [{"name": "Attention", "value": "Very important information!!!", "important": true}],
                     "event": {"event_id": "\(eventID)", "project_id": \(project.id), "platform": "python", "timestamp": \(now),
                               "environment": "production", "release": "\(release)", "tags": {"browser": "Firefox 132", "server_name": "web-3"},
                               "user": {"id": "1042", "email": "ada@example.com"}}}
                    """
                return Data(text.utf8)
            }
            guard var info = await engine.ingest(message("backend@1.0.0")).groupInfo else { throw SampleError() }
            if kind == .regression {
                _ = try await engine.changeStatus(groupID: info.group.id, to: .resolved, resolution: .inRelease("backend@1.1.0"))
                guard let again = await engine.ingest(message("backend@1.2.0")).groupInfo, again.isRegression else { throw SampleError() }
                info = again
                regression = true
            }
            group = info.group
        }
        // Rendered exactly as a real delivery would be: from the store, through DeliveryRenderer.
        let domain = URL(string: baseURL)?.host ?? "localhost"
        let uuid = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let delivery = Delivery(
            id: uuid, channel: .preview, target: "preview", kind: regression ? .issueRegressed : .issueCreated, ruleIDs: rule.map { [$0.id] } ?? [],
            ruleNames: rule.map { [$0.name] } ?? [], organizationID: project.organizationID, projectID: project.id, groupID: group.id,
            eventID: nil, notificationUUID: uuid, createdAt: Date())
        let builder = MailContextBuilder(baseURL: baseURL)
        let renderer = DeliveryRenderer(builder: builder, templates: templates, from: "notifyd@\(domain)")
        let rendered = try await engine.store.read { try renderer.render(delivery, to: "preview@\(domain)", in: $0) }
        return Sample(
            name: "\(kind.rawValue)-\(rendered.context.shortID)", kind: rendered.kind, context: rendered.context, mail: rendered.mail,
            message: rendered.message)
    }

    struct SampleError: Error, CustomStringConvertible {
        var description: String { "the sample issue could not be created" }
    }
}
