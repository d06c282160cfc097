import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one run of the `notifyd` binary did.
struct NotifydRun: Sendable, CustomStringConvertible {
    /// The exit status (or the signal number, when the process was killed by one).
    var exitCode: Int32
    var stdout: String
    var stderr: String

    /// The non-empty lines of standard output.
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    var description: String { "exit \(exitCode)\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)" }
}

/// Runs the real `notifyd` executable as a subprocess.
///
/// The binary is `$NOTIFYD_BINARY` if set, else the first executable file named `notifyd` found
/// by walking up from the test bundle (on Linux it is a sibling of `<package>PackageTests.xctest`
/// in the build products directory).
enum NotifydProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// How long one run may take before it is terminated and the test fails.
    static let timeout: Duration = .seconds(60)

    /// The `notifyd` executable, or `nil` if none was found.
    static let binary: URL? = locateBinary()

    /// Runs `notifyd` with `arguments` in `directory`, feeding `stdin` (or an empty standard input).
    ///
    /// `environment` is the child's complete environment; `nil` (the default) inherits the test
    /// runner's. To add or remove one variable, start from `ProcessInfo.processInfo.environment`.
    static func run(
        _ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, environment: [String: String]? = nil
    ) async throws -> NotifydRun {
        guard let binary else {
            throw Failure(description: "no executable named notifyd next to the test bundle; set NOTIFYD_BINARY")
        }
        _ = ignoreSIGPIPE

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input

        try process.run()
        let outputHandle = output.fileHandleForReading
        let errorHandle = errors.fileHandleForReading
        async let stdoutData = drain(outputHandle)
        async let stderrData = drain(errorHandle)
        let writer = input.fileHandleForWriting
        let bytes = stdin ?? Data()
        DispatchQueue.global().async {
            if !bytes.isEmpty { try? writer.write(contentsOf: bytes) }
            try? writer.close()
        }

        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        var timedOut = false
        if process.isRunning {
            timedOut = true
            process.terminate()
            let killDeadline = clock.now + .seconds(5)
            while process.isRunning, clock.now < killDeadline { try? await Task.sleep(for: .milliseconds(20)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        }
        let run = NotifydRun(
            exitCode: process.terminationStatus, stdout: String(decoding: await stdoutData, as: UTF8.self),
            stderr: String(decoding: await stderrData, as: UTF8.self))
        if timedOut {
            throw Failure(description: "notifyd \(arguments.joined(separator: " ")) ran longer than \(timeout); terminated\n\(run)")
        }
        return run
    }

    /// Reads a pipe to its end on a dispatch thread, off the cooperative pool.
    private static func drain(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }

    /// Writing to the stdin of a process that exited early must not kill the test runner.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    private static func locateBinary() -> URL? {
        let fileManager = FileManager.default
        if let override = ProcessInfo.processInfo.environment["NOTIFYD_BINARY"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        let starts = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for start in starts {
            var directory = start.standardizedFileURL
            while true {
                let candidate = directory.appendingPathComponent("notifyd")
                var isDirectory: ObjCBool = false
                if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    fileManager.isExecutableFile(atPath: candidate.path)
                {
                    return candidate
                }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }
}

/// The package root (with `Rules/` and `Examples/`): this file is
/// `<root>/Tests/NotifydTests/Support/NotifydProcess.swift`.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A fresh temporary directory for one test, removed when `body` returns or throws.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}
