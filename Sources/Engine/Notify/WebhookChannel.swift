internal import AsyncHTTPClient
public import Foundation
internal import NIOCore
internal import NIOHTTP1

/// The `webhook` channel: POSTs the delivery's JSON body, signed per Standard Webhooks, to its
/// URL. Redirects are not followed, only http and https are allowed, every attempt has a total
/// deadline, and at most `maximumResponseBytes` of the answer are read.
public struct WebhookChannel: DeliveryChannel {
    /// Tuning.
    public struct Configuration: Sendable {
        /// The deadline for one attempt, connection included.
        public var timeout: Duration
        /// How much of a response body is read (the rest is dropped).
        public var maximumResponseBytes: Int
        /// Environment variables, where `secret_env` names are looked up at delivery time.
        public var environment: [String: String]
        /// Each project's own signing secret (`whsec_…`) by project id: it signs the webhooks of
        /// rules that name no `secret_env`.
        public var projectSecrets: [Int64: String]

        /// Creates a configuration.
        public init(
            timeout: Duration = .seconds(10), maximumResponseBytes: Int = 64 * 1024,
            environment: [String: String] = ProcessInfo.processInfo.environment, projectSecrets: [Int64: String] = [:]
        ) {
            self.timeout = timeout
            self.maximumResponseBytes = maximumResponseBytes
            self.environment = environment
            self.projectSecrets = projectSecrets
        }
    }

    private let client: HTTPClient
    private let payload: WebhookPayload
    private let configuration: Configuration
    private let now: @Sendable () -> Date

    /// Creates the channel with its own HTTP client; call `shutdown()` when done.
    public init(payload: WebhookPayload, configuration: Configuration = .init(), now: @escaping @Sendable () -> Date = Date.init) {
        var clientConfiguration = HTTPClient.Configuration()
        // A webhook answered with a redirect failed: following it could turn the POST into a GET
        // or send the signed body somewhere the operator never configured.
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(Int64(configuration.timeout.components.seconds)))
        // The dispatcher bounds requests per host; the pool must not bound them lower (its
        // default keeps 8 connections a host and queues the rest).
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        self.payload = payload
        self.configuration = configuration
        self.now = now
    }

    /// Closes the HTTP client's connections; call it after the dispatcher stopped.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func deliver(_ delivery: Delivery, store: any Store) async -> DeliveryOutcome {
        guard let url = URL(string: delivery.target), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return .failed(statusCode: nil, error: "not an http or https URL: \(delivery.target)")
        }
        let signer: WebhookSigner
        switch self.signer(for: delivery) {
        case .success(let found):
            signer = found
        case .failure(let problem):
            // The operator may still set the secret: retry rather than lose the delivery.
            return .retry(statusCode: nil, error: problem.description, retryAfter: nil)
        }
        let payload = self.payload
        let body: Data
        do {
            body = try await store.read { try payload.body(for: delivery, in: $0) }
        } catch {
            return .failed(statusCode: nil, error: "\(error)")
        }
        var request = HTTPClientRequest(url: delivery.target)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "notifyd-webhooks/1")
        // The timestamp is the attempt's; the id is the delivery's, the same on every retry.
        for (header, value) in signer.headers(id: delivery.id, timestamp: Int64(now().timeIntervalSince1970), body: body) {
            request.headers.add(name: header, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let timeout = TimeAmount.milliseconds(Int64(configuration.timeout.components.seconds) * 1000)
            let response = try await client.execute(request, timeout: timeout)
            // Reading the head ends the deadline; bound the body separately.
            _ = try? await response.body.collect(upTo: configuration.maximumResponseBytes)
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init)
            return .http(status: Int(response.status.code), retryAfter: retryAfter)
        } catch {
            // Timeouts, refused connections, resets: the receiver may come back.
            return .retry(statusCode: nil, error: Self.describe(error), retryAfter: nil)
        }
    }

    /// Why a delivery cannot be signed (yet).
    private struct SigningProblem: Error, CustomStringConvertible {
        var description: String
    }

    /// The signer for the delivery's secret: the rule's `secret_env` variable, or else its
    /// project's own secret.
    private func signer(for delivery: Delivery) -> Result<WebhookSigner, SigningProblem> {
        let secret: String
        let name: String
        if let variable = delivery.secretEnv {
            guard let value = configuration.environment[variable], !value.isEmpty else {
                return .failure(SigningProblem(description: "the signing secret \(variable) is not set"))
            }
            (secret, name) = (value, variable)
        } else {
            guard let value = configuration.projectSecrets[delivery.projectID], !value.isEmpty else {
                return .failure(SigningProblem(description: "project \(delivery.projectID) has no webhook secret"))
            }
            (secret, name) = (value, "the webhook secret of project \(delivery.projectID)")
        }
        do {
            return .success(try WebhookSigner(secret: secret))
        } catch {
            return .failure(SigningProblem(description: "\(name): \(error)"))
        }
    }

    public func destinationHost(target: String) -> String {
        URL(string: target)?.host?.lowercased() ?? target
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "HTTP client: \(error)" }
        return "\(error)"
    }
}
