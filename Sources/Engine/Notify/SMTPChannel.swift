internal import NIOPosix
internal import Templates

/// The `email` channel: renders each delivery's email with `DeliveryRenderer` — one message per
/// recipient (a delivery is one address), threaded per issue and recipient — and sends it to an
/// SMTP server through libcurl: plain, STARTTLS or implicit TLS (`smtps://`), with AUTH when
/// credentials are configured.
///
/// libcurl blocks, so every transaction runs on the channel's own threads, never on Swift's
/// cooperative pool; call `shutdown()` after the dispatcher has stopped.
///
/// Outcomes: accepted → delivered (reply 250); a 4xx reply, a refused or timed-out connection,
/// a failed TLS handshake → retried; a 5xx reply (unknown recipient, rejected sender, failed
/// AUTH) → dead at once. The attempt records the reply code and the server's or libcurl's
/// words, never the credentials.
///
/// ```swift
/// let email = try SMTPChannel(
///     renderer: DeliveryRenderer(builder: builder, templates: try MailTemplates(), from: "notifyd@example.com"),
///     configuration: .init(url: "smtp://mail.example.com:587", startTLS: .required, usernameEnv: "SMTP_USER", passwordEnv: "SMTP_PASSWORD"))
/// let dispatcher = Dispatcher(store: engine.store, channels: [.email: email, .webhook: webhooks])
/// ```
public struct SMTPChannel: DeliveryChannel {
    /// Renders the email.
    public let renderer: DeliveryRenderer
    /// Private: it holds the environment, secrets included, and must not end up in a log.
    private let configuration: Configuration
    private let host: String
    private let threads: NIOThreadPool

    /// Creates the channel and starts its threads; a configuration that cannot work (a URL
    /// that is not smtp or smtps, say) is an error here rather than on every delivery.
    public init(renderer: DeliveryRenderer, configuration: Configuration) throws(ConfigurationError) {
        host = try configuration.serverHost()
        self.renderer = renderer
        self.configuration = configuration
        threads = NIOThreadPool(numberOfThreads: configuration.threads)
        threads.start()
    }

    /// Stops the threads once the transfers on them have finished; call it after the dispatcher
    /// stopped. Deliveries attempted afterwards are retried later.
    public func shutdown() async throws {
        try await threads.shutdownGracefully()
    }

    public func destinationHost(target: String) -> String {
        host
    }

    public func deliver(_ delivery: Delivery, store: any Store) async -> DeliveryOutcome {
        guard EmailAddress.isValid(delivery.target) else {
            return .failed(statusCode: nil, error: "not an email address: \(delivery.target)")
        }
        let credentials: SMTPTransfer.Credentials?
        do {
            credentials = try configuration.credentials()
        } catch {
            // The operator may still set it: retry rather than lose the delivery.
            return .retry(statusCode: nil, error: error.description, retryAfter: nil)
        }
        let renderer = self.renderer
        let message: MailMessage
        do {
            message = try await store.read { try renderer.render(delivery, to: delivery.target, in: $0) }.message
        } catch let error as DeliveryRenderer.MissingData {
            return .failed(statusCode: nil, error: error.description)
        } catch {
            return .retry(statusCode: nil, error: "\(error)", retryAfter: nil)
        }
        let transfer = SMTPTransfer(
            url: configuration.url, startTLS: configuration.startTLS, credentials: credentials, from: configuration.envelopeFrom ?? renderer.from,
            to: delivery.target, message: Array(message.rendered().utf8), connectTimeout: configuration.connectTimeout,
            timeout: configuration.timeout, caFile: configuration.caFile, verifyPeer: configuration.verifyPeer)
        do {
            let result = try await threads.runIfActive { transfer.perform() }
            return .smtp(reply: result.reply, error: result.error)
        } catch {
            // Shut down, or cancelled before a thread took it: nothing was sent.
            return .retry(statusCode: nil, error: "not sent: \(error)", retryAfter: nil)
        }
    }
}
