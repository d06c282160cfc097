import Foundation
import Testing

/// End-to-end tests of the `notifyd` executable: each test runs the real binary against its own
/// SQLite file in a temporary directory.
struct CommandTests {
    // MARK: ingest

    @Test func ingestGroupsANewOccurrenceThenDropsTheDuplicateAndAddsToTheIssue() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            let first = directory.appendingPathComponent("first.json")
            try Self.data(Self.occurrence()).write(to: first)

            let created = try await Self.notifyd(["ingest", "--database", database, first.path], in: directory)
            #expect(created.exitCode == 0, "\(created)")
            let createdLines = created.stdoutLines
            try #require(createdLines.count == 1, "\(created)")
            let grouped = try Self.object(createdLines[0])
            #expect(grouped["status"] as? String == "grouped")
            #expect(grouped["is_new"] as? Bool == true)
            #expect(grouped["is_regression"] as? Bool == false)
            #expect(grouped["short_id"] as? String == "EXAMPLE-1")

            let again = try await Self.notifyd(["ingest", "--database", database, first.path], in: directory)
            #expect(again.exitCode == 0, "\(again)")
            let againLines = again.stdoutLines
            try #require(againLines.count == 1, "\(again)")
            let dropped = try Self.object(againLines[0])
            #expect(dropped["status"] as? String == "dropped")
            #expect(dropped["reason"] as? String == "duplicate")

            let second = directory.appendingPathComponent("second.json")
            try Self.data(Self.occurrence()).write(to: second)
            let added = try await Self.notifyd(["ingest", "--database", database, second.path], in: directory)
            #expect(added.exitCode == 0, "\(added)")
            let addedLines = added.stdoutLines
            try #require(addedLines.count == 1, "\(added)")
            let existing = try Self.object(addedLines[0])
            #expect(existing["status"] as? String == "grouped")
            #expect(existing["is_new"] as? Bool == false)
            #expect(existing["short_id"] as? String == "EXAMPLE-1")
            #expect(existing["group_id"] as? String == grouped["group_id"] as? String)
        }
    }

    @Test func ingestReadsAnArrayFromStandardInputAndPrintsResultsInOrder() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            let messages = [Self.occurrence(fingerprint: ["stdin-a"]), Self.occurrence(fingerprint: ["stdin-b"])]
            let run = try await Self.notifyd(["ingest", "--database", database, "-"], stdin: Self.data(messages), in: directory)
            #expect(run.exitCode == 0, "\(run)")
            let lines = run.stdoutLines
            try #require(lines.count == 2, "\(run)")
            let results = try lines.map(Self.object)
            #expect(results.map { $0["id"] as? String } == messages.map { $0["id"] as? String })
            #expect(results.map { $0["status"] as? String } == ["grouped", "grouped"])
            #expect(results.map { $0["is_new"] as? Bool } == [true, true])
            #expect(results.map { $0["short_id"] as? String } == ["EXAMPLE-1", "EXAMPLE-2"])
        }
    }

    @Test func ingestReadsJSONLinesFromStandardInput() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            let messages = [
                Self.occurrence(fingerprint: ["lines-a"]), Self.occurrence(fingerprint: ["lines-b"]),
                Self.occurrence(fingerprint: ["lines-a"]),
            ]
            var input = Data()
            for message in messages {
                input += try Self.data(message)
                input += Data("\n".utf8)
            }
            // No path at all reads standard input too.
            let run = try await Self.notifyd(["ingest", "--database", database], stdin: input, in: directory)
            #expect(run.exitCode == 0, "\(run)")
            let lines = run.stdoutLines
            try #require(lines.count == 3, "\(run)")
            let results = try lines.map(Self.object)
            #expect(results.map { $0["id"] as? String } == messages.map { $0["id"] as? String })
            #expect(results.map { $0["status"] as? String } == ["grouped", "grouped", "grouped"])
            #expect(results.map { $0["is_new"] as? Bool } == [true, true, false])
            #expect(results.map { $0["short_id"] as? String } == ["EXAMPLE-1", "EXAMPLE-2", "EXAMPLE-1"])
        }
    }

    @Test func ingestReadsTheJSONFilesOfADirectoryInNameOrder() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            let messages = directory.appendingPathComponent("messages")
            try FileManager.default.createDirectory(at: messages, withIntermediateDirectories: true)
            let b = Self.occurrence(fingerprint: ["dir-b"])
            let a = Self.occurrence(fingerprint: ["dir-a"])
            try Self.data(b).write(to: messages.appendingPathComponent("b.json"))
            try Self.data(a).write(to: messages.appendingPathComponent("a.json"))
            try Data("not a message".utf8).write(to: messages.appendingPathComponent("notes.txt"))

            let run = try await Self.notifyd(["ingest", "--database", database, messages.path], in: directory)
            #expect(run.exitCode == 0, "\(run)")
            let results = try run.stdoutLines.map(Self.object)
            #expect(results.map { $0["id"] as? String } == [a["id"] as? String, b["id"] as? String])
            #expect(results.map { $0["status"] as? String } == ["grouped", "grouped"])
        }
    }

    @Test func ingestRefusesAMessageWithABadID() async throws {
        var message = Self.occurrence()
        message["id"] = "hi"
        let result = try await Self.ingestInvalid(Self.data(message))
        #expect(result["field"] as? String == "id")
        #expect((result["error"] as? String)?.isEmpty == false)
    }

    @Test func ingestRefusesAnEmptyFingerprint() async throws {
        let result = try await Self.ingestInvalid(Self.data(Self.occurrence(fingerprint: [])))
        #expect(result["field"] as? String == "fingerprint")
    }

    @Test func ingestRefusesTextThatIsNotJSON() async throws {
        let result = try await Self.ingestInvalid(Data("this is not JSON at all\n".utf8))
        #expect((result["error"] as? String)?.isEmpty == false)
    }

    @Test func ingestExitsWithOneWhenAnyMessageOfABatchIsInvalid() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            var bad = Self.occurrence(fingerprint: ["mixed-bad"])
            bad["id"] = "hi"
            let messages = [Self.occurrence(fingerprint: ["mixed-good"]), bad]
            let run = try await Self.notifyd(["ingest", "--database", database, "-"], stdin: Self.data(messages), in: directory)
            #expect(run.exitCode == 1, "\(run)")
            let lines = run.stdoutLines
            try #require(lines.count == 2, "\(run)")
            let results = try lines.map(Self.object)
            #expect(results.map { $0["status"] as? String } == ["grouped", "invalid"])
            #expect(results[1]["field"] as? String == "id")

            // The valid message was stored: its issue is listed.
            let issues = try await Self.notifyd(["issues", "--database", database, "--json"], in: directory)
            #expect(issues.exitCode == 0, "\(issues)")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(issues.stdout.utf8)) as? [[String: Any]])
            #expect(list.count == 1)
        }
    }

    // MARK: feedback

    @Test func feedbackCreatesAFeedbackIssue() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            let run = try await Self.notifyd(
                [
                    "feedback", "--database", database, "--message", "The checkout button does nothing when I click it",
                    "--name", "N", "--email", "e@x.io", "--url", "https://shop.example.com/checkout", "--environment", "prod",
                    "--tag", "plan=pro",
                ], in: directory)
            #expect(run.exitCode == 0, "\(run)")
            let output = try Self.object(run.stdout)
            let group = try #require(output["group"] as? [String: Any])
            let event = try #require(output["event"] as? [String: Any])
            #expect(group["type"] as? String == "feedback")
            let title = try #require(group["title"] as? String)
            #expect(title.hasPrefix("User Feedback: "))
            #expect(title == "User Feedback: The checkout button does nothing when I click it")
            #expect(group["shortId"] as? String == "EXAMPLE-1")
            let metadata = try #require(group["metadata"] as? [String: Any])
            #expect(metadata["contact_email"] as? String == "e@x.io")
            #expect(event["environment"] as? String == "prod")
            let tags = try #require(event["tags"] as? [[String: Any]])
            let pairs = tags.compactMap { tag -> String? in
                guard let key = tag["key"] as? String, let value = tag["value"] as? String else { return nil }
                return "\(key)=\(value)"
            }
            #expect(pairs.contains("plan=pro"))
            #expect(pairs.contains("url=https://shop.example.com/checkout"))
        }
    }

    @Test func feedbackRefusesAnEmptyMessage() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            let run = try await Self.notifyd(["feedback", "--database", database, "--message", ""], in: directory)
            #expect(run.exitCode != 0, "\(run)")
            #expect(run.stderr.contains("message"), "\(run)")
            #expect(run.stdout.isEmpty, "\(run)")
        }
    }

    @Test func feedbackRefusesATagWithoutValue() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            let run = try await Self.notifyd(
                ["feedback", "--database", database, "--message", "hello", "--tag", "novalue"], in: directory)
            #expect(run.exitCode != 0, "\(run)")
            #expect(run.stderr.contains("--tag"), "\(run)")
            #expect(run.stdout.isEmpty, "\(run)")
        }
    }

    @Test func feedbackUsesTheProjectOption() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            let run = try await Self.notifyd(
                ["feedback", "--database", database, "--organization", "acme", "--project", "backend", "--message", "hi"],
                in: directory)
            #expect(run.exitCode == 0, "\(run)")
            let group = try #require(try Self.object(run.stdout)["group"] as? [String: Any])
            #expect(group["shortId"] as? String == "BACKEND-1")
            #expect(group["title"] as? String == "User Feedback: hi")
        }
    }

    // MARK: issues

    @Test func issuesListsATableAndJSON() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            let messages = [Self.occurrence(), Self.occurrence()]
            let ingest = try await Self.notifyd(["ingest", "--database", database, "-"], stdin: Self.data(messages), in: directory)
            #expect(ingest.exitCode == 0, "\(ingest)")

            let table = try await Self.notifyd(["issues", "--database", database], in: directory)
            #expect(table.exitCode == 0, "\(table)")
            let lines = table.stdoutLines
            try #require(lines.count == 2, "\(table)")
            #expect(lines[0].hasPrefix("SHORT ID"))
            #expect(lines[0].contains("STATUS"))
            #expect(lines[0].contains("COUNT"))
            #expect(lines[0].contains("TITLE"))
            #expect(lines[1].hasPrefix("EXAMPLE-1"))
            #expect(lines[1].contains("cli test occurred"))

            let json = try await Self.notifyd(["issues", "--database", database, "--json"], in: directory)
            #expect(json.exitCode == 0, "\(json)")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            let first = try #require(list.first)
            #expect(list.count == 1)
            #expect(first["shortId"] as? String == "EXAMPLE-1")
            #expect(first["count"] as? String == "2")
            #expect(first["status"] as? String == "unresolved")
            #expect(first["title"] as? String == "cli test occurred")
            #expect(first["type"] as? String == "error")
        }
    }

    @Test func issuesOnAnEmptyProjectPrintsOnlyTheHeader() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            let table = try await Self.notifyd(["issues", "--database", database], in: directory)
            #expect(table.exitCode == 0, "\(table)")
            #expect(table.stdoutLines.count == 1)
            #expect(table.stdoutLines.first?.hasPrefix("SHORT ID") == true)

            let json = try await Self.notifyd(["issues", "--database", database, "--json"], in: directory)
            #expect(json.exitCode == 0, "\(json)")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any])
            #expect(list.isEmpty)
        }
    }

    // MARK: bench

    @Test func benchIngestPrintsOneJSONLine() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("bench.sqlite").path
            let run = try await Self.notifyd(
                ["bench", "ingest", "--events", "300", "--distinct", "10", "--batch", "100", "--database", database], in: directory)
            #expect(run.exitCode == 0, "\(run)")
            let lines = run.stdoutLines
            try #require(lines.count == 1, "\(run)")
            let result = try Self.object(lines[0])
            #expect(Set(result.keys).isSuperset(of: ["events", "distinct", "seconds", "events_per_second", "peak_rss_mb"]))
            #expect((result["allocator"] as? String)?.hasPrefix("jemalloc ") == true)
            #expect(result["events"] as? Int == 300)
            #expect(result["distinct"] as? Int == 10)
            #expect(result["seconds"] is NSNumber)
            #expect(result["events_per_second"] is NSNumber)
            let peak = try #require(result["peak_rss_mb"] as? Double)
            #expect(peak >= 0)
        }
    }

    /// An in-process daemon, gzipped SDK envelopes over loopback, and every issue counted.
    @Test func benchEnvelopesPrintsOneJSONLineWithEveryEventGrouped() async throws {
        try await withTemporaryDirectory { directory in
            let run = try await Self.notifyd(["bench", "envelopes", "--events", "120", "--distinct", "7", "--concurrency", "3"], in: directory)
            #expect(run.exitCode == 0, "\(run)")
            let lines = run.stdoutLines
            try #require(lines.count == 1, "\(run)")
            let result = try Self.object(lines[0])
            #expect(result["events"] as? Int == 120)
            #expect(result["distinct"] as? Int == 7)
            #expect(result["concurrency"] as? Int == 3)
            #expect(result["new_issues"] as? Int == 7)
            for key in ["seconds", "events_per_second", "p50_request_ms", "p99_request_ms", "seconds_until_grouped"] {
                #expect(result[key] is NSNumber, "\(key) in \(lines[0])")
            }
            // Compressed as the SDK does: a third or so of the envelope.
            let envelope = try #require(result["envelope_bytes"] as? Int)
            let gzipped = try #require(result["gzipped_bytes"] as? Int)
            #expect(envelope > 2_000 && gzipped < envelope / 2, "\(lines[0])")
        }
    }

    @Test func benchEnvelopesNeedsAKeyWithAURL() async throws {
        try await withTemporaryDirectory { directory in
            let run = try await Self.notifyd(["bench", "envelopes", "--url", "http://127.0.0.1:1"], in: directory)
            #expect(run.exitCode != 0, "\(run)")
            #expect(run.stderr.contains("--url and --key go together"), "\(run)")
        }
    }

    @Test func benchIngestRefusesNonPositiveCounts() async throws {
        try await withTemporaryDirectory { directory in
            let run = try await Self.notifyd(["bench", "ingest", "--events", "0"], in: directory)
            #expect(run.exitCode != 0, "\(run)")
            #expect(run.stderr.contains("--events"), "\(run)")
        }
    }

    // MARK: help

    @Test func rootHelpListsTheSubcommands() async throws {
        try await withTemporaryDirectory { directory in
            let run = try await Self.notifyd(["--help"], in: directory)
            #expect(run.exitCode == 0, "\(run)")
            let subcommands = run.stdout.components(separatedBy: "SUBCOMMANDS:").last ?? ""
            for name in ["ingest", "feedback", "issues", "bench"] {
                #expect(
                    subcommands.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(name) },
                    "\(name) missing from\n\(run.stdout)")
            }
        }
    }

    // MARK: Helpers

    /// Runs `notifyd`; a missing binary or a timeout fails the test.
    private static func notifyd(_ arguments: [String], stdin: Data? = nil, in directory: URL) async throws -> NotifydRun {
        try await NotifydProcess.run(arguments, stdin: stdin, in: directory)
    }

    /// Ingests one message from standard input on a fresh database, expects exit 1 and one
    /// `invalid` line, and returns that line.
    private static func ingestInvalid(_ input: Data) async throws -> [String: Any] {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("notifyd.sqlite").path
            let run = try await notifyd(["ingest", "--database", database, "-"], stdin: input, in: directory)
            #expect(run.exitCode == 1, "\(run)")
            let lines = run.stdoutLines
            try #require(lines.count == 1, "\(run)")
            let result = try object(lines[0])
            #expect(result["status"] as? String == "invalid", "\(run)")
            return result
        }
    }

    /// A fresh 32-hex-digit id.
    private static func newID() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }

    /// An occurrence message for project 1 (the default `example` project of a fresh database)
    /// with an embedded event.
    private static func occurrence(fingerprint: [String] = ["cli-test"]) -> [String: Any] {
        let eventID = newID()
        let now = Date().timeIntervalSince1970 - 0.25
        return [
            "id": newID(),
            "project_id": 1,
            "event_id": eventID,
            "fingerprint": fingerprint,
            "issue_title": "cli test occurred",
            "subtitle": "from the command-line tests",
            "type": 1,
            "detection_time": now,
            "level": "error",
            "event": [
                "event_id": eventID,
                "project_id": 1,
                "platform": "python",
                "timestamp": now,
            ] as [String: Any],
        ]
    }

    private static func data(_ json: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
    }

    /// Parses one JSON object.
    private static func object(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [String: Any], "not a JSON object: \(text)")
    }
}

struct PreviewCommandTests {
    @Test(arguments: ["feedback", "issue_alert", "regression"])
    func previewWritesTheThreeFiles(kind: String) async throws {
        try await withTemporaryDirectory { directory in
            let out = directory.appendingPathComponent("previews").path
            let run = try await NotifydProcess.run(["preview", kind, "--out", out], in: directory)
            #expect(run.exitCode == 0, "\(run)")
            let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
            #expect(files == ["\(kind)-EXAMPLE-1.eml", "\(kind)-EXAMPLE-1.html", "\(kind)-EXAMPLE-1.txt"])
            let eml = try String(contentsOfFile: "\(out)/\(kind)-EXAMPLE-1.eml", encoding: .utf8)
            #expect(eml.contains("Content-Type: multipart/alternative") && eml.contains("\r\n"))
            let text = try String(contentsOfFile: "\(out)/\(kind)-EXAMPLE-1.txt", encoding: .utf8)
            if kind == "feedback" {
                #expect(text.contains("From: Test Name <test@test.com>") && text.contains("Lorem ipsum"))
            } else {
                #expect(text.contains("something bad happened"))
            }
        }
    }

    @Test func anUnknownKindIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let run = try await NotifydProcess.run(["preview", "digest"], in: directory)
            #expect(run.exitCode != 0 && run.stderr.contains("unknown kind 'digest'"))
        }
    }
}
