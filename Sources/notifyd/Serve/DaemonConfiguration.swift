import Engine
import Foundation

/// Everything `notifyd serve` is configured with. The defaults are the zero-configuration
/// daemon: 127.0.0.1:8080, `data/notifyd.sqlite`, rules from `Rules`, previews in `previews`
/// and an `example` organization with an `example` project.
struct DaemonConfiguration: Sendable, Equatable {
    /// A project the daemon serves and the keys producers send its occurrences with.
    struct ProjectEntry: Sendable, Equatable {
        var slug: String
        /// Accepted ingest keys (Sentry's DSN public keys); the first is the one printed.
        var ingestKeys: [String]
    }

    /// An organization and its projects.
    struct OrganizationEntry: Sendable, Equatable {
        var slug: String
        var projects: [ProjectEntry]
    }

    /// An API token and what it may do.
    struct TokenEntry: Sendable, Equatable {
        var name: String
        var token: String
        var scopes: Set<Scope>
    }

    /// SMTP delivery; without a URL, email actions wait in the outbox (see the README).
    struct SMTPEntry: Sendable, Equatable {
        var url: String?
        var from = "notifyd@localhost"
        var starttls = "optional"
        var usernameEnv: String?
        var passwordEnv: String?
        var envelopeFrom: String?
        var connectTimeout: Duration = .seconds(10)
        var timeout: Duration = .seconds(30)
        var caFile: String?
        var verifyPeer = true
        var threads = 4
    }

    /// Webhook delivery defaults.
    struct WebhookEntry: Sendable, Equatable {
        var timeout: Duration = .seconds(10)
        var maximumResponseBytes = 64 * 1024
    }

    /// How the dispatcher drains the outbox.
    struct DispatcherEntry: Sendable, Equatable {
        /// Deliveries in flight at once.
        var concurrency = 16
        /// Deliveries in flight at once to one host (a webhook URL's host; the SMTP server).
        var concurrencyPerHost = 4
        /// How long a claim holds before another process may take it over (after a crash).
        var lease: Duration = .seconds(120)
        /// The pause when nothing is due.
        var pollInterval: Duration = .milliseconds(500)
    }

    /// Request limits.
    struct Limits: Sendable, Equatable {
        /// Largest accepted request body.
        var maxBodyBytes = 1 << 20
        /// Largest Sentry SDK request (envelope or store event), compressed and decompressed.
        var maxEnvelopeBytes = 20 << 20
        /// Most messages in one ingest request.
        var maxBatch = 1000
        /// Deepest JSON nesting accepted in a request body.
        var maxJSONDepth = 64
        /// Sustained requests per second per key or token.
        var requestsPerSecond = 1000.0
        /// Requests a key may make at once above the sustained rate.
        var burst = 2000.0
        /// A connection with no traffic for this long is closed (slow or stalled clients).
        var idleTimeout: Duration = .seconds(30)
    }

    var host = "127.0.0.1"
    var port = 8080
    var baseURL: String?
    var database = "data/notifyd.sqlite"
    var rules = "Rules"
    var templates: String?
    var previews = "previews"
    var timezone = "UTC"
    var subjectTemplate: String?
    var subjectPrefix: String?
    var organizations: [OrganizationEntry] = []
    var tokens: [TokenEntry] = []
    var smtp = SMTPEntry()
    var webhooks = WebhookEntry()
    var dispatcher = DispatcherEntry()
    var limits = Limits()

    /// Where issue links point: the configured base URL or the listen address.
    var effectiveBaseURL: String { baseURL ?? "http://\(host):\(port)" }
}
