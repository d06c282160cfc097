import ArgumentParser
import AsyncHTTPClient
import Engine
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// `notifyd bench http`: drives a live daemon over loopback with ingest requests and reports
/// throughput and request latency. By default it starts a daemon in this process on a free port
/// with a fresh database; `--url`, `--key` and `--project-id` point it at one already running
/// (so client and server do not share a process).
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http", abstract: "Measure HTTP ingest throughput and latency.")

    @Option(help: "Occurrences to send.") var events = 100_000
    @Option(help: "Occurrences per request (1 sends single-message requests).") var batch = 100
    @Option(help: "Requests in flight at once.") var concurrency = 16
    @Option(help: "Distinct fingerprints (issues).") var distinct = 1_000
    @Option(help: "A running daemon's base URL (default: start one in this process).") var url: String?
    @Option(help: "The ingest key, with --url.") var key: String?
    @Option(help: "The project id, with --url.") var projectID: Int64 = 1
    @Option(help: "Organization slug, with --url.") var organization = "bench"
    @Option(help: "Project slug, with --url.") var project = "bench"

    func validate() throws {
        guard events > 0, batch > 0, concurrency > 0, distinct > 0 else {
            throw ValidationError("--events, --batch, --concurrency and --distinct must be positive")
        }
        guard (url == nil) == (key == nil) else { throw ValidationError("--url and --key go together") }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "notifyd-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var server: BenchDaemon?
        var destination = (
            url: url ?? "", key: key ?? "", projectID: projectID, organization: organization,
            project: project
        )
        if url == nil {
            let daemon = try await BenchDaemon.start(in: directory)
            server = daemon
            destination = (daemon.url, BenchDaemon.key, daemon.projectID, "bench", "bench")
        }
        defer {
            if let server {
                Task { await server.stop() }
            }
        }
        let target = destination

        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                connectionPool: .init(
                    idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)))
        let generator = OccurrenceGenerator(projectID: target.projectID, distinct: distinct)
        let endpoint =
            "\(target.url)/api/0/projects/\(target.organization)/\(target.project)/occurrences/"
        let requests = (events + batch - 1) / batch
        let clock = ContinuousClock()
        let started = clock.now
        let measured: ([Double], Int)
        do {
            measured = try await withThrowingTaskGroup(of: (Double, Int).self) { group in
                var next = 0
                func submit() {
                    guard next < requests else { return }
                    let range = (next * batch)..<min((next + 1) * batch, events)
                    next += 1
                    group.addTask {
                        var body = ByteBuffer()
                        if batch == 1 {
                            body.writeBytes(generator.message(range.lowerBound))
                        } else {
                            body.writeString("[")
                            for index in range {
                                if index != range.lowerBound { body.writeString(",") }
                                body.writeBytes(generator.message(index))
                            }
                            body.writeString("]")
                        }
                        var request = HTTPClientRequest(url: endpoint)
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer \(target.key)")
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(body)
                        let sent = clock.now
                        let response = try await client.execute(request, timeout: .seconds(60))
                        let answer = try await response.body.collect(upTo: 16 << 20)
                        let elapsed = clock.now - sent
                        guard response.status == .ok else {
                            throw ValidationError(
                                "the daemon answered \(response.status.code): \(String(buffer: answer))")
                        }
                        let grouped =
                            String(buffer: answer).components(separatedBy: #""status":"grouped""#).count - 1
                        return (elapsed.inSeconds * 1000, grouped)
                    }
                }
                for _ in 0..<concurrency { submit() }
                var latencies: [Double] = []
                var grouped = 0
                latencies.reserveCapacity(requests)
                for try await (latency, count) in group {
                    latencies.append(latency)
                    grouped += count
                    submit()
                }
                return (latencies, grouped)
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        let (latencies, grouped) = measured
        let seconds = (clock.now - started).inSeconds
        try await client.shutdown()
        guard grouped == events else {
            throw ValidationError("only \(grouped) of \(events) occurrences were grouped")
        }
        let samples = Samples(latencies)
        let output: JSONValue = .object([
            "events": .int(Int64(events)), "batch": .int(Int64(batch)),
            "concurrency": .int(Int64(concurrency)),
            "requests": .int(Int64(requests)), "seconds": .double((seconds * 1000).rounded() / 1000),
            "events_per_second": .int(Int64(Double(events) / seconds)),
            "requests_per_second": .int(Int64(Double(requests) / seconds)),
            "p50_request_ms": .double(samples.percentile(0.50)), "p99_request_ms": .double(samples.percentile(0.99)),
            "max_request_ms": .double(samples.percentile(1)),
            "server": .string(url == nil ? "in-process" : "external"),
        ])
        print(output.serializedString())
    }
}
