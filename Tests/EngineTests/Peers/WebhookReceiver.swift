import Foundation

/// The Python webhook receiver (`webhook_receiver.py`), started on 127.0.0.1 for one test and
/// stopped with it. It verifies signatures with the `standardwebhooks` package.
final class WebhookReceiver: @unchecked Sendable {
    // @unchecked: the Process and pipes are only touched in init and stop, from the test's task.
    let port: Int
    private let process: Process
    private let input: Pipe
    private let log: URL

    struct Received: Decodable {
        let path: String
        let verified: Bool
        let id: String?
    }

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    init(secret: String) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("webhook_receiver.py").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        log = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-webhooks-\(UUID().uuidString).jsonl")
        process.arguments = ["python3", script, secret, log.path]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line is the port; bounded wait.
        var buffer = Data()
        let deadline = Date().addingTimeInterval(20)
        while !buffer.contains(UInt8(ascii: "\n")) && Date() < deadline && process.isRunning {
            buffer.append(output.fileHandleForReading.availableData)
        }
        guard let line = String(data: buffer, encoding: .utf8)?.split(separator: "\n").first, let port = Int(line) else {
            process.terminate()
            throw StartFailure(description: "the webhook receiver did not start (is standardwebhooks installed? scripts/setup installs it)")
        }
        self.port = port
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// What the receiver got so far.
    func received() throws -> [Received] {
        guard let data = FileManager.default.contents(atPath: log.path) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(Received.self, from: Data($0)) }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        for _ in 0..<50 where process.isRunning { usleep(20_000) }
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: log)
    }

    deinit { stop() }
}
