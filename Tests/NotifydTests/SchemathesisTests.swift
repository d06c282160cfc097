import Foundation
import Testing

/// The OpenAPI document against the live daemon: schemathesis (PyPI, installed by
/// `scripts/setup`) generates requests for every operation and fails on any 5xx, any status
/// code, content type or body the document does not declare.
struct SchemathesisTests {
    @Test(.timeLimit(.minutes(8)))
    func everyOperationConformsToTheDocument() async throws {
        try await withTemporaryDirectory { directory in
            // The document's examples name the `example` organization and project.
            let config = try DaemonTests.configuration(in: directory, organization: "example", project: "example")
            let daemon = try await DaemonProcess(["--config", config.path, "--log-level", "warning"], in: directory)
            let auth = ["Authorization": "Bearer \(DaemonTests.key)"]
            // Data for the operations to find: issues 1-3 (one is feedback) and their events.
            for fingerprint in ["one", "two"] {
                let answer = try await daemon.request(
                    "POST", "/api/0/projects/example/example/occurrences/", headers: auth, body: Data(DaemonTests.occurrence(fingerprint: fingerprint).utf8))
                #expect(answer.status == 200, "\(answer.text)")
            }
            let feedback = try await daemon.request(
                "POST", "/api/0/projects/example/example/feedback/", headers: auth, body: Data(#"{"message": "The button does nothing"}"#.utf8))
            #expect(feedback.status == 201, "\(feedback.text)")

            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.currentDirectoryURL = directory
            process.arguments = [
                "schemathesis", "run", daemon.url("/openapi.yaml").absoluteString, "--url", daemon.url("").absoluteString,
                "--header", "Authorization: Bearer \(DaemonTests.key)",
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                "--phases", "examples,coverage,fuzzing", "--max-examples", "30", "--seed", "20261124", "--generation-database", "none",
                "--request-timeout", "10", "--no-color",
            ]
            let log = directory.appendingPathComponent("schemathesis.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(360)
            while process.isRunning, clock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "schemathesis failed:\n\(output.suffix(8000))\n--- daemon log ---\n\(daemon.stderr.suffix(4000))")
            #expect(output.contains("passed"), "\(output.suffix(2000))")
            #expect(await daemon.stop() == 0)
        }
    }
}
