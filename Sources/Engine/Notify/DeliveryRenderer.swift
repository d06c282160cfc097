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

    /// The rendered mail and its MIME message for one recipient.
    public func render(_ delivery: Delivery, to recipient: String, in reader: any StoreReader) throws -> (mail: RenderedMail, message: MailMessage) {
        guard let group = try reader.group(id: delivery.groupID) else { throw MissingData(reason: "issue \(delivery.groupID) no longer exists") }
        guard let project = try reader.project(id: delivery.projectID), let organization = try reader.organization(id: delivery.organizationID) else {
            throw MissingData(reason: "project \(delivery.projectID) or its organization no longer exists")
        }
        let event = try delivery.eventID.flatMap { try reader.event(projectID: project.id, eventID: $0) } ?? reader.latestEvent(groupID: group.id)
        let regression = delivery.kind == .issueRegressed
        let context = builder.context(
            group: group, event: event, project: project, organization: organization,
            rules: Array(zip(delivery.ruleIDs, delivery.ruleNames)).map { (id: $0.0, name: $0.1) },
            notificationUUID: delivery.notificationUUID, alertTime: delivery.createdAt, regression: regression)
        let mail = templates.render(builder.kind(for: group, regression: regression), context)
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        let message = MailMessage(
            from: from, to: recipient, mail: mail, date: delivery.createdAt,
            threadRoot: MailMessage.threadRoot(groupID: group.id, recipient: recipient, domain: domain),
            startsThread: delivery.kind == .issueCreated, uniqueID: "\(delivery.id)@\(domain)",
            listID: "\(project.slug).\(organization.slug).notifyd")
        return (mail, message)
    }
}
