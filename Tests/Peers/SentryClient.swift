import Foundation

/// The Python Sentry SDK as a client (`sentry_client.py`, the `sentry-sdk` package): runs one
/// scenario against a DSN with the SDK's own transport and reports what it sent and what the
/// server answered. Unlike the other peers it is not a server: each run is a short process.
public enum SentryClient {
    /// What one run did.
    public struct Run: Decodable, Sendable {
        /// The event ids the scenario's captures got, by the scenario's labels.
        public let events: [String: String]
        /// Every envelope the transport sent, in order, with its answer.
        public let requests: [Request]
        /// The rate-limit categories the SDK stopped sending after a 429 (`all` for every one).
        public let disabled: [String]

        /// The event id of a label; throws when the scenario did not capture it.
        public func event(_ label: String) throws -> String {
            guard let id = events[label] else { throw Failure(description: "the scenario captured no event '\(label)': \(events)") }
            return id
        }
    }

    /// One envelope the SDK sent and the answer it got.
    public struct Request: Decodable, Sendable {
        /// The item types in the envelope.
        public let items: [String]
        /// The request's `Content-Encoding`, `nil` for none.
        public let encoding: String?
        /// The answer's status; `nil` when the request got no answer.
        public let status: Int?
        /// The answer's body (at most 4000 characters).
        public let body: String?
        /// The answer's `Retry-After`.
        public let retryAfter: String?
        /// The answer's `X-Sentry-Rate-Limits`.
        public let rateLimits: String?

        enum CodingKeys: String, CodingKey {
            case items, encoding, status, body, retryAfter = "retry_after", rateLimits = "rate_limits"
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `python3 sentry_client.py <dsn> <scenario> <options>` and waits for it, at most
    /// `timeout` (then it is killed and the run fails).
    ///
    /// - Parameters:
    ///   - dsn: the DSN the SDK is initialized with.
    ///   - scenario: `grouping`, `fingerprints`, `feedback`, `malformed`, `single` or `burst`.
    ///   - options: `--release R`, `--environment E`, `--compression-level N`.
    public static func run(dsn: String, scenario: String, options: [String] = [], timeout: Duration = .seconds(90)) async throws -> Run {
        let run = try ScriptRun(script: "sentry_client.py", arguments: [dsn, scenario] + options)
        defer { run.finish() }
        let process = run.process
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning, clock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let timedOut = process.isRunning
        if timedOut { process.terminate() }
        process.waitUntilExit()

        let output = run.output
        let errors = run.errors
        guard !timedOut, process.terminationStatus == 0 else {
            let why = timedOut ? "ran longer than \(timeout)" : "exited with \(process.terminationStatus)"
            throw Failure(
                description: "sentry_client.py \(scenario) \(why) (is sentry-sdk installed? scripts/setup installs it)\n"
                    + "\(String(decoding: output, as: UTF8.self))\n\(errors)")
        }
        do {
            return try JSONDecoder().decode(Run.self, from: output)
        } catch {
            throw Failure(
                description: "sentry_client.py \(scenario) printed no result: \(error)\n\(String(decoding: output, as: UTF8.self))\n\(errors)")
        }
    }
}
