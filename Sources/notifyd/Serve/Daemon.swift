import Engine
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Templates

/// The running daemon's parts, built from a `DaemonConfiguration`: the engine over its SQLite
/// file, the rule evaluator and its reloader, the dispatcher and its channels, the credentials.
/// `router()` gives the HTTP API over them and `services()` the background work; `ServeCommand`
/// runs both, tests drive the router with HummingbirdTesting.
struct Daemon: Sendable {
    let configuration: DaemonConfiguration
    let engine: Engine
    let credentials: Credentials
    let evaluator: RuleEvaluator
    let reloader: RuleReloader
    let dispatcher: Dispatcher
    let webhooks: WebhookChannel
    /// The email channel, when `smtp.url` is configured.
    let email: SMTPChannel?
    let templates: MailTemplates
    let issueJSON: IssueJSON
    let limiter: RateLimiter
    /// Failed console sign-ins per client address: ten at once, then one every six seconds.
    /// (A variable so a test can slow the refill down and not depend on its own speed.)
    var loginLimiter = RateLimiter(rate: 1.0 / 6, burst: 10)
    /// The console's pages and assets.
    let consoleTemplates: ConsoleTemplates
    /// The console's URLs under the base URL's path.
    let consoleLinks: ConsoleLinks
    /// Console sign-in.
    let consoleSessions: ConsoleSessions
    /// Formats times in the configured zone (emails and pages alike).
    let mailContextBuilder: MailContextBuilder
    let metrics: MetricsEndpoint?
    let logger: Logger
    /// Whether the dispatcher's loop is running (for `/healthz`).
    let dispatcherRunning = RunningFlag()

    /// Opens the store, loads the rules (a folder with errors stops the start, as a config error
    /// does) and resolves the credentials.
    init(configuration: DaemonConfiguration, generatedSecrets: GeneratedSecrets?, metrics: MetricsEndpoint? = nil, logger: Logger) async throws {
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        let rules = try RuleLoader().load(directory: configuration.rules)
        let evaluator = RuleEvaluator(rules: rules, logger: logger)
        self.evaluator = evaluator
        self.reloader = RuleReloader(directory: configuration.rules, evaluator: evaluator, logger: logger)
        let databaseDirectory = (configuration.database as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: databaseDirectory.isEmpty ? "." : databaseDirectory, withIntermediateDirectories: true)
        let engine = try Engine(configuration: .init(databasePath: configuration.database, signalHandlers: [evaluator], logger: logger))
        self.engine = engine
        self.credentials = try await Self.credentials(configuration, generated: generatedSecrets, engine: engine)

        var subject = SubjectTemplate()
        subject.template = configuration.subjectTemplate ?? subject.template
        subject.prefix = configuration.subjectPrefix ?? subject.prefix
        let templates = try MailTemplates(overrideDirectory: configuration.templates, subject: subject)
        self.templates = templates
        let baseURL = configuration.effectiveBaseURL
        let builder = MailContextBuilder(baseURL: baseURL, timeZone: TimeZone(identifier: configuration.timezone) ?? TimeZone(identifier: "UTC")!)
        self.mailContextBuilder = builder
        self.consoleTemplates = try ConsoleTemplates(overrideDirectory: configuration.templates)
        self.consoleLinks = ConsoleLinks(baseURL: baseURL)
        let renderer = DeliveryRenderer(builder: builder, templates: templates, from: configuration.smtp.from)
        self.issueJSON = IssueJSON(baseURL: baseURL)
        // Every project gets its own webhook secret on the first start (kept in credentials.json).
        let projectSecrets = try await GeneratedSecrets.webhookSecrets(besideDatabase: configuration.database, store: engine.store)
        self.webhooks = WebhookChannel(
            payload: WebhookPayload(baseURL: baseURL),
            configuration: .init(
                timeout: configuration.webhooks.timeout, maximumResponseBytes: configuration.webhooks.maximumResponseBytes,
                projectSecrets: projectSecrets))
        var channels: [Delivery.Channel: any DeliveryChannel] = [
            .webhook: webhooks,
            .preview: PreviewChannel(renderer: renderer, writer: PreviewWriter(directory: configuration.previews)),
        ]
        // Without a server, email deliveries stay pending in the outbox until one is configured,
        // and say so.
        self.email = try configuration.smtp.url.map { url in
            let smtp = configuration.smtp
            return try SMTPChannel(
                renderer: renderer,
                configuration: .init(
                    url: url, startTLS: SMTPChannel.StartTLS(rawValue: smtp.starttls) ?? .optional, usernameEnv: smtp.usernameEnv,
                    passwordEnv: smtp.passwordEnv, envelopeFrom: smtp.envelopeFrom, connectTimeout: smtp.connectTimeout, timeout: smtp.timeout,
                    caFile: smtp.caFile, verifyPeer: smtp.verifyPeer, threads: smtp.threads))
        }
        if let email { channels[.email] = email }
        let dispatching = configuration.dispatcher
        self.dispatcher = Dispatcher(
            store: engine.store, channels: channels, waiting: [.email: DeliveryWaiting.noSMTPServer],
            configuration: .init(
                concurrency: dispatching.concurrency, concurrencyPerHost: dispatching.concurrencyPerHost, lease: dispatching.lease,
                pollInterval: dispatching.pollInterval),
            logger: logger)
        self.limiter = RateLimiter(rate: configuration.limits.requestsPerSecond, burst: configuration.limits.burst)
        self.consoleSessions = ConsoleSessions(store: engine.store, credentials: credentials, links: consoleLinks)
    }

    /// The organizations and projects of the configuration (created in the store when missing)
    /// with their keys; without any, the `example` project with the generated key.
    private static func credentials(_ configuration: DaemonConfiguration, generated: GeneratedSecrets?, engine: Engine) async throws -> Credentials {
        var organizations = configuration.organizations
        if organizations.isEmpty {
            organizations = [.init(slug: "example", projects: [.init(slug: "example", ingestKeys: generated.map { [$0.ingestKey] } ?? [])])]
        }
        var projects: [Credentials.ProjectAccess] = []
        for organization in organizations {
            for entry in organization.projects {
                let project = try await engine.ensureProject(organizationSlug: organization.slug, projectSlug: entry.slug)
                guard let stored = try await engine.store.read({ try $0.organization(id: project.organizationID) }) else { continue }
                projects.append(.init(organization: stored, project: project, keys: entry.ingestKeys))
            }
        }
        var tokens = configuration.tokens.map { Credentials.TokenAccess(name: $0.name, token: $0.token, scopes: $0.scopes) }
        if tokens.isEmpty, let generated {
            tokens = [.init(name: "generated", token: generated.apiToken, scopes: Set(Scope.allCases))]
        }
        return Credentials(projects: projects, tokens: tokens)
    }

    /// The HTTP API and the console.
    func router() -> PathPrefixRouter<Router<DaemonRequestContext>> {
        let router = Router(context: DaemonRequestContext.self)
        router.add(middleware: AccessLogMiddleware(logger: logger))
        router.add(middleware: ErrorMiddleware())
        IngestRoutes(daemon: self).register(on: router)
        SentryRoutes(daemon: self).register(on: router)
        IssueRoutes(daemon: self).register(on: router)
        DeliveryRoutes(daemon: self).register(on: router)
        OperationsRoutes(daemon: self).register(on: router)
        DebugMailRoutes(daemon: self).register(on: router)
        ConsoleRoutes(daemon: self).register(on: router)
        return PathPrefixRouter(prefix: consoleLinks.root, router: router)
    }

    /// The background services: the dispatcher and the rule reloader (file watch and SIGHUP).
    func services() -> [any Service] {
        [DispatcherService(daemon: self), RuleReloadService(reloader: reloader)]
    }

    /// The HTTP server with the background services, ready for `runService()`; `onServerRunning`
    /// learns the bound port (listening on port 0 picks a free one).
    func application(onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(),
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(Int64(configuration.limits.idleTimeout.components.seconds) * 1_000_000_000))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "notifyd"),
            services: services(),
            onServerRunning: onServerRunning,
            logger: logger)
    }
}

/// A flag shared between a service and the health check.
final class RunningFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isRunning: Bool { value.load(ordering: .relaxed) }

    func set(_ running: Bool) { value.store(running, ordering: .relaxed) }
}
