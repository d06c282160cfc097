import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A live `notifyd serve` started by a test: the real binary on a free loopback port, its output
/// in files of the test's directory. Always `stop()` or `kill()` it; `deinit` kills a daemon a
/// failing test left behind.
final class DaemonProcess: @unchecked Sendable {
    // @unchecked: the Process is only touched from the test's task.
    let process: Process
    /// The port the daemon bound.
    let port: Int
    /// Its standard output so far (the summary with keys, DSN and token).
    var stdout: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
    /// Its standard error so far (the logs).
    var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }
    private let stdoutFile: URL
    private let stderrFile: URL

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// An HTTP answer.
    struct Answer: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    }

    /// Starts `notifyd serve <arguments>` in `directory` and waits (at most 60 s) until it listens.
    /// `environment` is added to the test runner's, or is the whole environment when `inherit` is false.
    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:], inherit: Bool = true, name: String = "daemon") async throws {
        guard let binary = NotifydProcess.binary else { throw Failure(description: "no notifyd binary; set NOTIFYD_BINARY") }
        stdoutFile = directory.appendingPathComponent("\(name).stdout")
        stderrFile = directory.appendingPathComponent("\(name).stderr")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process = Process()
        process.executableURL = binary
        process.arguments = ["serve"] + arguments
        process.currentDirectoryURL = directory
        process.environment = inherit ? ProcessInfo.processInfo.environment.merging(environment) { $1 } : environment
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        var found: Int?
        while clock.now < deadline, process.isRunning {
            let text = (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? ""
            if let range = text.range(of: "notifyd listening on http://127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let found else {
            if process.isRunning { posixKill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let out = (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? ""
            let err = (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
            throw Failure(description: "notifyd serve did not start (exit \(process.terminationStatus))\n\(out)\n\(err)")
        }
        port = found
    }

    deinit {
        if process.isRunning { posixKill(process.processIdentifier, SIGKILL) }
    }

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Sends a request (10 s timeout) and returns the answer.
    func request(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil) async throws -> Answer {
        var request = URLRequest(url: url(path), timeoutInterval: 10)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw Failure(description: "not an HTTP response") }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            fields[String(describing: name).lowercased()] = String(describing: value)
        }
        return Answer(status: http.statusCode, headers: fields, body: data)
    }

    /// Sends a signal (SIGHUP reloads the rules).
    func signal(_ number: Int32) {
        posixKill(process.processIdentifier, number)
    }

    /// SIGTERM, then waits (at most 30 s) for the graceful exit; returns the exit status.
    @discardableResult
    func stop() async -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        return await waitForExit(within: .seconds(30))
    }

    /// `kill -9`: the daemon gets no chance to clean up.
    func kill() async {
        guard process.isRunning else { return }
        posixKill(process.processIdentifier, SIGKILL)
        _ = await waitForExit(within: .seconds(30))
    }

    private func waitForExit(within limit: Duration) async -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while process.isRunning, clock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            posixKill(process.processIdentifier, SIGKILL)
            while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        }
        return process.terminationStatus
    }
}

/// `kill(2)`, named apart from `DaemonProcess.kill()`.
private func posixKill(_ pid: Int32, _ signal: Int32) {
    _ = kill(pid, signal)
}
