import Engine
import Foundation
import TestPeers
import Testing

/// A live daemon for the browser: the console's base URL is its real address, every new issue
/// is emailed to an aiosmtpd peer.
struct ConsoleDaemon {
    let process: DaemonProcess
    let smtp: SMTPServer
    /// `http://127.0.0.1:<port>`, the base URL in the configuration and the emails.
    let base: String
    /// Where the browser saves the screenshots for the README: `NOTIFYD_SCREENSHOTS` or `scratch`.
    let screenshots: URL
    /// A folder of the test's temporary directory.
    let scratch: URL

    /// Posts occurrences; returns the daemon's result for each.
    func ingest(_ messages: [[String: JSONValue]]) async throws -> [JSONValue] {
        let answer = try await process.request(
            "POST", "/api/0/projects/acme/backend/occurrences/", headers: ["Authorization": "Bearer \(ConsoleBrowserTests.ingestKey)"],
            body: JSONValue.array(messages.map(\.json)).serialized())
        try #require(answer.status == 200, "\(answer.status) \(answer.text)")
        return try #require(try JSONValue.parse(answer.body).arrayValue)
    }

    /// Posts feedback; returns the new issue.
    func feedback(_ fields: [String: JSONValue]) async throws -> JSONValue {
        let answer = try await process.request(
            "POST", "/api/0/projects/acme/backend/feedback/",
            headers: ["Authorization": "Bearer \(ConsoleBrowserTests.ingestKey)", "Content-Type": "application/json"], body: fields.json.serialized())
        try #require(answer.status == 201, "\(answer.status) \(answer.text)")
        return try JSONValue.parse(answer.body)
    }

    /// The issue link ("View BACKEND-n") of the email about `title`, waiting for it at most 20 s.
    func emailedLink(title: String) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while clock.now < deadline {
            let html = try smtp.received().flatMap(\.parsed.parts).filter { $0.type == "text/html" }.map(\.text)
            if let mail = html.first(where: { $0.contains(title) }),
                let match = mail.firstMatch(of: #/<a href="([^"]+)"[^>]*>View /#)
            {
                return String(match.1).replacingOccurrences(of: "&amp;", with: "&")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DaemonProcess.Failure(description: "no email about '\(title)' within 20 s\n\(process.stderr.suffix(4000))")
    }
}

/// Runs `body` with a live daemon on a reserved port, an SMTP peer and a rule that emails every
/// new issue; stops both afterwards (the daemon must exit cleanly).
func withConsoleDaemon(_ body: (ConsoleDaemon) async throws -> Void) async throws {
    let smtp = try SMTPServer()
    defer { smtp.stop() }
    let shared = ProcessInfo.processInfo.environment["NOTIFYD_SCREENSHOTS"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
    try await withTemporaryDirectory { directory in
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("rules"), withIntermediateDirectories: true)
        let rules = """
            rules:
              - id: new-to-oncall
                name: New issues to on-call
                triggers: [new_issue]
                actions:
                  - email: {to: [oncall@example.com]}
            """
        try Data(rules.utf8).write(to: directory.appendingPathComponent("rules/email.yml"))
        // The emails link to the base URL, so it names the port: one free a moment ago.
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try LoopbackSocket.freePort()
            let config = """
                listen: 127.0.0.1:\(port)
                base_url: http://127.0.0.1:\(port)
                database: data/notifyd.sqlite
                rules: rules
                previews: previews
                organizations:
                  - slug: acme
                    projects:
                      - slug: backend
                        ingest_keys: [\(ConsoleBrowserTests.ingestKey)]
                tokens:
                  - name: admin
                    token: \(ConsoleBrowserTests.adminToken)
                    scopes: [event:admin]
                  - name: reader
                    token: \(ConsoleBrowserTests.readerToken)
                    scopes: [event:read]
                smtp:
                  url: \(smtp.url)
                  from: notifyd@example.com
                """
            let file = directory.appendingPathComponent("notifyd.yml")
            try Data(config.utf8).write(to: file)
            let process: DaemonProcess
            do {
                process = try await DaemonProcess(["--config", file.path, "--log-level", "warning"], in: directory)
            } catch {
                lastError = error
                continue
            }
            let scratch = directory.appendingPathComponent("screenshots")
            let daemon = ConsoleDaemon(process: process, smtp: smtp, base: "http://127.0.0.1:\(port)", screenshots: shared ?? scratch, scratch: scratch)
            do {
                try await body(daemon)
            } catch {
                await process.stop()
                throw error
            }
            #expect(await process.stop() == 0, "\(process.stderr.suffix(4000))")
            return
        }
        throw lastError ?? DaemonProcess.Failure(description: "the daemon did not start")
    }
}
