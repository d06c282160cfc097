import ArgumentParser
import AsyncHTTPClient
import Engine
import Foundation
import NIOCore
import NIOHTTP1

/// `notifyd bench envelopes`: Sentry SDK traffic against a live daemon — gzipped error
/// envelopes shaped like the Python SDK's (`EnvelopeGenerator`), one event each, `--concurrency`
/// requests in flight — reporting throughput, request latency, and how long until the issues
/// API counts every event in its issue.
///
/// By default it starts a daemon in this process on a free port with a fresh database;
/// `--url`, `--key` and `--project-id` point it at one already running, and `--token` (an API
/// token with `event:read`) with `--organization` lets it watch that daemon's issues. The
/// envelopes are made and compressed before the clock starts, so the time is the daemon's (and
/// the loopback's), not the generator's.
struct EnvelopeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envelopes", abstract: "Measure Sentry envelope ingest throughput, latency and time until grouped.")

    @Option(help: "Events to send, one envelope each.") var events = 2_000
    @Option(help: "Distinct problems (issues).") var distinct = 50
    @Option(help: "Requests in flight at once.") var concurrency = 8
    @Option(help: "A running daemon's base URL (default: start one in this process).") var url: String?
    @Option(help: "The project's ingest key (DSN key), with --url.") var key: String?
    @Option(help: "The project id, with --url.") var projectID: Int64 = 1
    @Option(help: "An API token with event:read, with --url: without it seconds_until_grouped is null.") var token: String?
    @Option(help: "The project's organization slug, with --url and --token.") var organization = "bench"

    func validate() throws {
        guard events > 0, distinct > 0, concurrency > 0 else {
            throw ValidationError("--events, --distinct and --concurrency must be positive")
        }
        guard (url == nil) == (key == nil) else { throw ValidationError("--url and --key go together") }
        guard url != nil || token == nil else { throw ValidationError("--token goes with --url") }
    }

    /// Where the envelopes go and where their issues are read.
    private struct Target: Sendable {
        var url: String
        var key: String
        var projectID: Int64
        var organization: String
        var token: String?
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = url == nil ? try await BenchDaemon.start(in: directory) : nil
        let target =
            server.map { Target(url: $0.url, key: BenchDaemon.key, projectID: $0.projectID, organization: "bench", token: BenchDaemon.token) }
            ?? Target(url: url ?? "", key: key ?? "", projectID: projectID, organization: organization, token: token)
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)))
        let output: JSONValue
        do {
            output = try await measure(target, client: client, external: server == nil)
        } catch {
            try? await client.shutdown()
            await server?.stop()
            throw error
        }
        try await client.shutdown()
        await server?.stop()
        print(output.serializedString())
    }

    private func measure(_ target: Target, client: HTTPClient, external: Bool) async throws -> JSONValue {
        let generator = EnvelopeGenerator(distinct: distinct, key: target.key)
        let envelopes = (0..<events).map(generator.envelope)
        // What the project's issues counted before: a daemon given with --url may have some.
        var baseline: (issues: Int, events: Int)?
        if let token = target.token { baseline = try await counts(target, token: token, client: client) }
        let endpoint = "\(target.url)/api/\(target.projectID)/envelope/"
        let auth = "Sentry sentry_key=\(target.key), sentry_version=7, sentry_client=sentry.python/2.75.0"
        let clock = ContinuousClock()
        let started = clock.now
        let latencies = try await withThrowingTaskGroup(of: Double.self) { group in
            var next = 0
            func submit() {
                guard next < events else { return }
                let envelope = envelopes[next]
                next += 1
                group.addTask {
                    var request = HTTPClientRequest(url: endpoint)
                    request.method = .POST
                    request.headers.add(name: "X-Sentry-Auth", value: auth)
                    request.headers.add(name: "User-Agent", value: "sentry.python/2.75.0")
                    request.headers.add(name: "Content-Type", value: "application/x-sentry-envelope")
                    request.headers.add(name: "Content-Encoding", value: "gzip")
                    request.body = .bytes(ByteBuffer(bytes: envelope.body))
                    let sent = clock.now
                    let response = try await client.execute(request, timeout: .seconds(60))
                    let answer = try await response.body.collect(upTo: 1 << 20)
                    let elapsed = clock.now - sent
                    // Sentry's answer names the event; anything else means it was not taken.
                    let id = (try? JSONValue.parse(Data(answer.readableBytesView)))?["id"]?.stringValue
                    guard response.status == .ok, id == envelope.eventID else {
                        throw ValidationError("the daemon answered \(response.status.code): \(String(buffer: answer))")
                    }
                    return elapsed.inSeconds * 1000
                }
            }
            for _ in 0..<concurrency { submit() }
            var latencies: [Double] = []
            latencies.reserveCapacity(events)
            for try await latency in group {
                latencies.append(latency)
                submit()
            }
            return latencies
        }
        let seconds = (clock.now - started).inSeconds
        var untilGrouped: Double?
        var newIssues: Int?
        if let token = target.token, let baseline {
            // Polled after the last answer: the daemon answers once the event is stored, and a
            // daemon whose consumer runs apart from its front door would still be catching up.
            let deadline = clock.now + .seconds(300)
            var now = try await counts(target, token: token, client: client)
            while now.events < baseline.events + events {
                guard clock.now < deadline else { throw ValidationError("the issues never counted all \(events) events") }
                try await Task.sleep(for: .milliseconds(20))
                now = try await counts(target, token: token, client: client)
            }
            untilGrouped = (clock.now - started).inSeconds
            newIssues = now.issues - baseline.issues
        }

        let samples = Samples(latencies)
        return .object([
            "events": .int(Int64(events)), "distinct": .int(Int64(distinct)), "concurrency": .int(Int64(concurrency)),
            "seconds": .double((seconds * 1000).rounded() / 1000), "events_per_second": .int(Int64(Double(events) / seconds)),
            "p50_request_ms": .double(samples.percentile(0.50)), "p99_request_ms": .double(samples.percentile(0.99)),
            "seconds_until_grouped": untilGrouped.map { .double(($0 * 1000).rounded() / 1000) } ?? .null,
            "new_issues": newIssues.map { .int(Int64($0)) } ?? .null,
            "envelope_bytes": .int(Int64(envelopes.map(\.size).reduce(0, +) / events)),
            "gzipped_bytes": .int(Int64(envelopes.map(\.body.count).reduce(0, +) / events)),
            "server": .string(external ? "external" : "in-process"),
        ])
    }

    /// The project's issues and the events they counted (the sum of their `count`), over every
    /// page of the issues API.
    private func counts(_ target: Target, token: String, client: HTTPClient) async throws -> (issues: Int, events: Int) {
        var total = 0
        var issueCount = 0
        var cursor: String?
        repeat {
            var components = URLComponents(string: "\(target.url)/api/0/organizations/\(target.organization)/issues/")
            components?.queryItems = [
                URLQueryItem(name: "query", value: ""), URLQueryItem(name: "project", value: String(target.projectID)),
                URLQueryItem(name: "limit", value: "100"),
            ] + (cursor.map { [URLQueryItem(name: "cursor", value: $0)] } ?? [])
            guard let address = components?.string else { throw ValidationError("--url \(target.url) is not a URL") }
            var request = HTTPClientRequest(url: address)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await client.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 64 << 20)
            guard response.status == .ok, let issues = (try? JSONValue.parse(Data(body.readableBytesView)))?.arrayValue else {
                throw ValidationError("the issues API answered \(response.status.code): \(String(buffer: body))")
            }
            total += issues.compactMap { $0["count"]?.stringValue.flatMap(Int.init) }.reduce(0, +)
            issueCount += issues.count
            cursor = response.headers["Link"].first.flatMap(Self.nextCursor)
        } while cursor != nil
        return (issueCount, total)
    }

    /// The cursor of the `rel="next"` link of a `Link` header when that page has results.
    private static func nextCursor(_ link: String) -> String? {
        guard let next = link.components(separatedBy: ", <").first(where: { $0.contains(#"rel="next""#) }),
            next.contains(#"results="true""#), let start = next.range(of: #"cursor=""#)
        else { return nil }
        return String(next[start.upperBound...].prefix { $0 != "\"" })
    }
}
