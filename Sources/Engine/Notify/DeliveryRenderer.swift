import Foundation
public import Templates

/// Renders the email of an outbox `Delivery`: reads the issue, its event, project and
/// organization from the store, builds the context and renders it with the templates.
public struct DeliveryRenderer: Sendable {
    /// Builds contexts (base URL, time zone).
    public var builder: MailContextBuilder
    /// The templates (built-in or overridden).
    public var templates: MailTemplates
    /// The sender address.
    public var from: String

    /// Creates a renderer.
    public init(builder: MailContextBuilder, templates: MailTemplates, from: String) {
        self.builder = builder
        self.templates = templates
        self.from = from
    }

    /// Why a delivery cannot be rendered (its issue was deleted, say).
    public struct MissingData: Error, Sendable, CustomStringConvertible {
        /// What is missing.
        public var reason: String
        public var description: String { reason }
    }

    /// A delivery's email: the template kind and context used, the rendered mail and its MIME message.
    public struct Rendered: Sendable {
        /// The template kind.
        public var kind: MailKind
        /// The context the templates rendered.
        public var context: MailContext
        /// Subject, HTML and text.
        public var mail: RenderedMail
        /// The complete message for the recipient.
        public var message: MailMessage
    }

    /// The email of a delivery for one recipient.
    public func render(_ delivery: Delivery, to recipient: String, in reader: any StoreReader) throws -> Rendered {
        let records = try DeliveryRecords(delivery, in: reader)
        let (group, event, project, organization) = (records.group, records.event, records.project, records.organization)
        let regression = delivery.kind == .issueRegressed
        let context = builder.context(
            group: group, event: event, project: project, organization: organization,
            rules: Array(zip(delivery.ruleIDs, delivery.ruleNames)).map { (id: $0.0, name: $0.1) },
            notificationUUID: delivery.notificationUUID, alertTime: delivery.createdAt, regression: regression)
        let kind = builder.kind(for: group, regression: regression)
        let mail = templates.render(kind, context)
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        let message = MailMessage(
            from: from, to: recipient, mail: mail, date: delivery.createdAt,
            threadRoot: MailMessage.threadRoot(groupID: group.id, recipient: recipient, domain: domain),
            startsThread: delivery.kind == .issueCreated, uniqueID: "\(delivery.id)@\(domain)",
            listID: "\(project.slug).\(organization.slug).notifyd")
        return Rendered(kind: kind, context: context, mail: mail, message: message)
    }
}
