public import Foundation

/// A Python test peer from this folder, started on 127.0.0.1 for one test and stopped with it.
/// It gets the path of a JSON-lines log among its arguments, prints its port on its first
/// line, and stops when its stdin closes.
public final class PeerProcess: @unchecked Sendable {
    // @unchecked: the Process and pipes are only touched in init and stop, from the test's task.
    public let port: Int
    /// Where the peer appends one JSON object per thing it received.
    public let log: URL
    private let process: Process
    private let input: Pipe

    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts `python3 <script> <arguments(log path)>` and waits (at most 20 s) for the port.
    public init(script: String, arguments: (String) -> [String], hint: String) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script).path
        log = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-peer-\(UUID().uuidString).jsonl")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path] + arguments(log.path)
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var buffer = Data()
        let deadline = Date().addingTimeInterval(20)
        while !buffer.contains(UInt8(ascii: "\n")) && Date() < deadline && process.isRunning {
            buffer.append(output.fileHandleForReading.availableData)
        }
        guard let line = String(data: buffer, encoding: .utf8)?.split(separator: "\n").first, let port = Int(line) else {
            process.terminate()
            throw StartFailure(description: "\(script) did not start (\(hint))")
        }
        self.port = port
    }

    /// What the peer logged so far, one value per line (a line it is still writing is left for
    /// the next call).
    public func records<Record: Decodable>(_ type: Record.Type) throws -> [Record] {
        guard let data = FileManager.default.contents(atPath: log.path), let end = data.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        return try data[..<end].split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(Record.self, from: Data($0)) }
    }

    /// Closes the peer's stdin, waits up to a second for it to exit, then terminates it.
    public func stop() {
        try? input.fileHandleForWriting.close()
        for _ in 0..<50 where process.isRunning { usleep(20_000) }
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: log)
    }

    deinit { stop() }
}

/// A short run of a Python script of this folder (a client, not a server): `python3 <script>
/// <arguments>` in a scratch directory, its output in files there (a pipe nobody drains while
/// the test waits could fill and stall the script). `finish()` removes the directory.
struct ScriptRun {
    let process = Process()
    private let directory: URL
    private let stdout: URL
    private let stderr: URL

    /// Starts the script; `input` is its stdin (none by default).
    init(script: String, arguments: [String], input: Pipe? = nil) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script).path
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-\(script)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stdout = directory.appendingPathComponent("stdout")
        stderr = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        process.standardInput = input ?? FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            finish()
            throw error
        }
    }

    /// What the script printed so far.
    var output: Data { (try? Data(contentsOf: stdout)) ?? Data() }
    /// Its standard error so far (the last 4000 characters).
    var errors: String { String(((try? String(contentsOf: stderr, encoding: .utf8)) ?? "").suffix(4000)) }

    /// Removes the scratch directory (the process must have ended).
    func finish() {
        try? FileManager.default.removeItem(at: directory)
    }
}
