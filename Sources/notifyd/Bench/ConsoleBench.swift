import ArgumentParser
import AsyncHTTPClient
import Engine
import Foundation
import NIOCore
import NIOHTTP1

/// `notifyd bench console`: fills a store with many issues and events, then requests console
/// pages over loopback from a signed-in session, one at a time, and reports each kind of
/// page's latency percentiles and its largest size: the stream (default query, a tag filter, a
/// common and a rare text), deeper stream pages through their cursors, and issue pages.
struct ConsoleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "console", abstract: "Measure console page latency on a large store.")

    @Option(help: "Issues to create.") var issues = 100_000
    @Option(help: "Events to ingest, spread over the issues.") var events = 1_000_000
    @Option(help: "Requests per kind of page.") var requests = 200

    func validate() throws {
        guard issues > 0, events >= issues, requests > 0 else {
            throw ValidationError("--issues and --requests must be positive, and --events at least --issues")
        }
    }

    /// A kind of page: its name and the path of each request (`index` from 0).
    private struct Kind {
        var name: String
        var path: (Int) -> String
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await BenchDaemon.start(in: directory)
        let engine = server.daemon.engine
        let generator = OccurrenceGenerator(projectID: server.projectID, distinct: issues)
        let (grouped, fillSeconds) = await IngestDriver(engine: engine, generator: generator, batch: 1000, inFlight: 2).run(events: events)
        guard grouped == events, let (session, _) = try await server.daemon.consoleSessions.signIn(token: BenchDaemon.token) else {
            await server.stop()
            throw ValidationError("only \(grouped) of \(events) occurrences were grouped, or the session did not open")
        }
        let ids = try await engine.store.read { try $0.groups(projectID: server.projectID, limit: 1_000_000) }.map(\.id)

        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func get(_ path: String) async throws -> (milliseconds: Double, body: String) {
            var request = HTTPClientRequest(url: server.url + path)
            request.headers.add(name: "Cookie", value: "\(ConsoleSessions.cookieName)=\(session)")
            let clock = ContinuousClock()
            let sent = clock.now
            let response = try await client.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 16 << 20)
            let elapsed = (clock.now - sent).inSeconds * 1000
            guard response.status == .ok else { throw ValidationError("\(path) answered \(response.status.code)") }
            return (elapsed, String(buffer: body))
        }
        // Cursors of the stream's first pages, followed as a person paging would.
        var cursors: [String] = []
        var next: String? = "/organizations/bench/issues/"
        while let path = next, cursors.count < 10 {
            let page = try await get(path).body
            next = Self.nextLink(page).map { $0.hasPrefix(server.url) ? String($0.dropFirst(server.url.count)) : $0 }
            if let next { cursors.append(next) }
        }
        let kinds = [
            Kind(name: "stream", path: { _ in "/organizations/bench/issues/" }),
            Kind(name: "stream_pages", path: { index in cursors.isEmpty ? "/organizations/bench/issues/" : cursors[index % cursors.count] }),
            Kind(name: "stream_tag", path: { _ in "/organizations/bench/issues/?query=is%3Aunresolved+server_name%3Aweb-3" }),
            Kind(name: "stream_text", path: { _ in "/organizations/bench/issues/?query=is%3Aunresolved+payment" }),
            Kind(name: "stream_rare_text", path: { index in "/organizations/bench/issues/?query=is%3Aunresolved+\(4242 + index)" }),
            Kind(name: "issue", path: { index in "/organizations/bench/issues/\(ids[(index * 7919) % ids.count])/" }),
        ]
        var results: [String: JSONValue] = [:]
        do {
            for kind in kinds {
                var latencies: [Double] = []
                var largest = 0
                for index in 0..<requests {
                    let (milliseconds, body) = try await get(kind.path(index))
                    latencies.append(milliseconds)
                    largest = max(largest, body.utf8.count)
                }
                let samples = Samples(latencies)
                results[kind.name] = .object([
                    "p50_ms": .double(samples.percentile(0.5)), "p99_ms": .double(samples.percentile(0.99)),
                    "max_ms": .double(samples.percentile(1)), "max_kb": .double((Double(largest) / 102.4).rounded() / 10),
                ])
            }
        } catch {
            try? await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
        results["issues"] = .int(Int64(issues))
        results["events"] = .int(Int64(events))
        results["requests_per_kind"] = .int(Int64(requests))
        results["fill_seconds"] = .double((fillSeconds * 10).rounded() / 10)
        results["fill_events_per_second"] = .int(Int64(Double(events) / fillSeconds))
        print(JSONValue.object(results).serializedString())
    }

    /// The `href` of the stream page's "Next" link.
    static func nextLink(_ html: String) -> String? {
        guard let end = html.range(of: #"" rel="next""#) else { return nil }
        let before = html[..<end.lowerBound]
        guard let start = before.range(of: #"href=""#, options: .backwards) else { return nil }
        return String(before[start.upperBound...]).replacingOccurrences(of: "&amp;", with: "&")
    }
}
