import ArgumentParser
import Engine
import Foundation
import Logging
import Templates

/// `notifyd deliveries send`: one dispatcher round over the outbox without a daemon — previews
/// are written, webhooks posted (signed with the rule's `secret_env` or the project's webhook
/// secret), email sent when an SMTP server is given — then one line per delivery saying what
/// became of it.
struct DeliveriesSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Deliver the due deliveries once: previews, webhooks, and email when an SMTP server is given.",
        discussion: """
            Prints a line per pending delivery: the preview files written, a webhook or email sent, or why it still \
            waits (a failed attempt is retried later by notifyd serve or the next send). Without --smtp-url or \
            NOTIFYD_SMTP_URL email deliveries wait and say so.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The preview folder.") var previews = "previews"
    @Option(help: "A folder of template overrides.") var templates: String?
    @Option(help: "The SMTP server for email, smtp://host:port or smtps://host:port (default: $NOTIFYD_SMTP_URL).") var smtpURL: String?
    @Option(help: "The sender of email.") var from = "notifyd@localhost"

    func run() async throws {
        let (engine, _) = try await store.open()
        let renderer: DeliveryRenderer
        do {
            renderer = DeliveryRenderer(
                builder: MailContextBuilder(baseURL: store.baseURL), templates: try MailTemplates(overrideDirectory: templates), from: from)
        } catch {
            throw ValidationError("template error: \(error)")
        }
        // Made here on the first run, so that the daemon signs with the same secrets later.
        let projectSecrets = try await GeneratedSecrets.webhookSecrets(besideDatabase: store.database, store: engine.store)
        let pending = try await engine.store.read { try $0.deliveries(state: .pending, limit: 100_000) }
        guard !pending.isEmpty else {
            print("no pending deliveries")
            return
        }

        // From here on the channels hold threads and connections: they are shut down before returning.
        var email: SMTPChannel?
        if let url = smtpURL ?? ProcessInfo.processInfo.environment["NOTIFYD_SMTP_URL"], !url.isEmpty {
            do {
                email = try SMTPChannel(renderer: renderer, configuration: .init(url: url))
            } catch {
                throw ValidationError("--smtp-url: \(error)")
            }
        }
        let webhooks = WebhookChannel(payload: WebhookPayload(baseURL: store.baseURL), configuration: .init(projectSecrets: projectSecrets))
        let writer = PreviewWriter(directory: previews)
        var channels: [Delivery.Channel: any DeliveryChannel] = [.webhook: webhooks, .preview: PreviewChannel(renderer: renderer, writer: writer)]
        channels[.email] = email
        let dispatcher = Dispatcher(
            store: engine.store, channels: channels, waiting: [.email: DeliveryWaiting.noSMTPServer],
            logger: .init(label: "notifyd.dispatcher", factory: { _ in SwiftLogNoOpLogHandler() }))
        let round: Result<Void, any Error>
        do {
            while try await dispatcher.runOnce() > 0 {}
            round = .success(())
        } catch {
            round = .failure(error)
        }
        try await webhooks.shutdown()
        try await email?.shutdown()
        try round.get()

        let ids = pending.map(\.id)
        let after = try await engine.store.read { reader in try ids.compactMap { try reader.delivery(id: $0) } }
        let attempts = Dictionary(uniqueKeysWithValues: pending.map { ($0.id, $0.attempts) })
        for delivery in after {
            print(Self.line(delivery, attempted: delivery.attempts > attempts[delivery.id, default: 0], writer: writer))
        }
    }

    /// What became of one delivery that was pending before the round.
    static func line(_ delivery: Delivery, attempted: Bool, writer: PreviewWriter) -> String {
        let name = delivery.channel == .preview ? "preview" : "\(delivery.channel.rawValue) to \(delivery.target)"
        let error = delivery.lastError ?? "no error recorded"
        let next = delivery.nextAttemptAt.formatted(.iso8601)
        switch delivery.state {
        case .delivered where delivery.channel == .preview:
            let paths = ["html", "txt", "eml"].map { (writer.directory as NSString).appendingPathComponent("\(delivery.id).\($0)") }
            return "preview written: \(paths.joined(separator: ", "))"
        case .delivered:
            return "\(name): delivered"
        case .dead:
            return "\(name): failed for good — \(error) (notifyd deliveries redeliver \(delivery.id) sends it again)"
        case .pending where attempted:
            return "\(name): not delivered yet — \(error); retried from \(next) by notifyd serve or the next send"
        case .pending:
            // Not attempted: its channel cannot deliver (the reason is its last error), or it is
            // not due yet.
            guard delivery.attempts > 0 || delivery.lastError == nil else { return "\(name): waiting — \(error)" }
            return "\(name): pending, next attempt at \(next)\(delivery.lastError.map { " — \($0)" } ?? "")"
        }
    }
}
