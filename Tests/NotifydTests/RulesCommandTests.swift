import Foundation
import Testing

/// End-to-end tests of `notifyd rules check` and `notifyd rules test`: each test runs the real
/// binary on the example rule folder (`Rules/`) or on a broken folder written to a temporary
/// directory.
struct RulesCommandTests {
    // MARK: rules check

    @Test func checkPrintsASummaryOfTheExampleRules() async throws {
        try await withTemporaryDirectory { directory in
            let run = try await Self.notifyd(["rules", "check", Self.rulesFolder], in: directory)
            #expect(run.exitCode == 0, "\(run)")
            #expect(run.stderr.isEmpty, "\(run)")
            // Rules come in file-name order (feedback, frequency, regressions); scopes sorted.
            #expect(
                run.stdoutLines == [
                    "3 rule(s) in 3 file(s)",
                    "every project:",
                    "  error-burst [production]: frequency → email oncall@example.com, preview",
                    "  error-regression-webhook: regression → webhook http://127.0.0.1:9000/hooks/regressions",
                    "project example:",
                    "  feedback-to-support: new_issue → preview, email support@example.com",
                ], "\(run)")
            // A blank line separates the sections.
            #expect(run.stdout.contains("\n\nevery project:\n"), "\(run)")
            #expect(run.stdout.contains("\n\nproject example:\n"), "\(run)")
        }
    }

    @Test func checkPassesOnACopyOfTheExampleRulesWithNoEnvironmentAtAll() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.copyItem(atPath: Self.rulesFolder, toPath: directory.appendingPathComponent("Rules").path)
            let run = try await Self.notifyd(["rules", "check", "Rules"], in: directory, environment: [:])
            #expect(run.exitCode == 0, "\(run)")
            #expect(run.stderr.isEmpty, "\(run)")
            #expect(run.stdoutLines.first == "3 rule(s) in 3 file(s)", "\(run)")
        }
    }

    @Test func checkReportsAnUnsetWebhookSecretWithItsPosition() async throws {
        try await withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("rules")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let rule = """
                rules:
                  - id: own-secret
                    name: Signed with a secret of its own
                    actions:
                      - webhook: {url: "https://hooks.example.com/n", secret_env: NOTIFYD_TEST_UNSET_SECRET}

                """
            try Data(rule.utf8).write(to: folder.appendingPathComponent("hooks.yml"))
            var environment = ProcessInfo.processInfo.environment
            environment["NOTIFYD_TEST_UNSET_SECRET"] = nil
            let run = try await Self.notifyd(["rules", "check", folder.path], in: directory, environment: environment)
            #expect(run.exitCode == 1, "\(run)")
            #expect(run.stdout.isEmpty, "\(run)")
            let expected = "\(folder.path)/hooks.yml:5:67: environment variable NOTIFYD_TEST_UNSET_SECRET (the webhook's signing secret) is not set"
            #expect(Self.lines(run.stderr) == [expected], "\(run)")
        }
    }

    @Test func checkReportsEveryErrorOfABrokenFolderAsFileLineColumn() async throws {
        try await withTemporaryDirectory { directory in
            let rules = try Self.brokenFolder(in: directory)
            let run = try await Self.notifyd(["rules", "check", rules.path], in: directory)
            #expect(run.exitCode == 1, "\(run)")
            #expect(run.stdout.isEmpty, "\(run)")
            Self.expectBrokenFolderErrors(run, folder: rules)
        }
    }

    @Test func checkReportsAMissingFolder() async throws {
        try await withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("no-such-rules").path
            let run = try await Self.notifyd(["rules", "check", missing], in: directory)
            #expect(run.exitCode == 1, "\(run)")
            #expect(run.stdout.isEmpty, "\(run)")
            #expect(run.stderr.contains(missing), "\(run)")
            #expect(run.stderr.contains("cannot read the rule folder"), "\(run)")
        }
    }

    // MARK: rules test

    @Test func testShowsTheFeedbackRuleFiringAndWhatItWouldSend() async throws {
        try await withTemporaryDirectory { directory in
            let run = try await Self.notifyd(
                ["rules", "test", Self.rulesFolder, "--occurrence", Self.occurrence("03-feedback.json")], in: directory)
            #expect(run.exitCode == 0, "\(run)")
            let lines = run.stdoutLines
            try #require(lines.count == 6, "\(run)")

            let result = try Self.object(lines[0])
            #expect(result["status"] as? String == "grouped", "\(run)")
            #expect(result["id"] as? String == "9c8b7a6f5e4d4c3b2a1f0e9d8c7b6a50")
            #expect(result["short_id"] as? String == "EXAMPLE-1")
            #expect(result["is_new"] as? Bool == true)
            #expect(result["is_regression"] as? Bool == false)

            // One line per rule of the project, in load order, with where it is defined and why.
            #expect(lines[1] == "FIRES feedback-to-support (\(Self.rulesFolder)/feedback.yml:3:5): fired", "\(run)")
            #expect(
                lines[2] == "no    error-burst (\(Self.rulesFolder)/frequency.yml:3:5): filter issue_category did not pass", "\(run)")
            #expect(
                lines[3] == "no    error-regression-webhook (\(Self.rulesFolder)/regressions.yml:6:5): filter issue_category did not pass",
                "\(run)")
            #expect(lines.filter { $0.hasPrefix("FIRES ") }.count == 1, "\(run)")

            let sends = lines.filter { $0.hasPrefix("would send ") }
            #expect(
                Set(sends) == [
                    "would send issue.created by preview to preview for feedback-to-support",
                    "would send issue.created by email to support@example.com for feedback-to-support",
                ], "\(run)")
        }
    }

    @Test func testOfAnErrorThatIsNeitherRegressedNorBurstingFiresNothing() async throws {
        try await withTemporaryDirectory { directory in
            let run = try await Self.notifyd(
                ["rules", "test", Self.rulesFolder, "--occurrence", Self.occurrence("01-checkout-error.json")], in: directory)
            #expect(run.exitCode == 0, "\(run)")
            let lines = run.stdoutLines
            try #require(lines.count == 4, "\(run)")
            let result = try Self.object(lines[0])
            #expect(result["status"] as? String == "grouped", "\(run)")
            #expect(result["is_new"] as? Bool == true)

            #expect(!lines.contains { $0.hasPrefix("FIRES") }, "\(run)")
            #expect(!lines.contains { $0.hasPrefix("would send") }, "\(run)")
            #expect(lines[1].hasPrefix("no    feedback-to-support ("), "\(run)")
            #expect(lines[1].hasSuffix("): filter issue_category did not pass"), "\(run)")
            #expect(lines[2].hasPrefix("no    error-burst ("), "\(run)")
            #expect(lines[2].hasSuffix("): trigger frequency did not pass"), "\(run)")
            #expect(lines[3].hasPrefix("no    error-regression-webhook ("), "\(run)")
            #expect(lines[3].hasSuffix("): trigger regression did not pass"), "\(run)")
        }
    }

    @Test func testRefusesABrokenRuleFolder() async throws {
        try await withTemporaryDirectory { directory in
            let rules = try Self.brokenFolder(in: directory)
            let run = try await Self.notifyd(
                ["rules", "test", rules.path, "--occurrence", Self.occurrence("03-feedback.json")], in: directory)
            #expect(run.exitCode == 1, "\(run)")
            #expect(run.stdout.isEmpty, "\(run)")
            Self.expectBrokenFolderErrors(run, folder: rules)
        }
    }

    // MARK: Helpers

    /// The example rule folder, as an absolute path.
    private static let rulesFolder = packageRoot.appendingPathComponent("Rules").path

    /// An example occurrence message, as an absolute path.
    private static func occurrence(_ name: String) -> String {
        packageRoot.appendingPathComponent("Examples/occurrences").appendingPathComponent(name).path
    }

    /// The text of the broken rule file: an unknown key (4:5), an unknown trigger (6:9) and an
    /// empty action list (7:14).
    private static let brokenRules = """
        rules:
          - id: broken-rule
            name: A broken rule
            colour: red
            triggers:
              - sometimes
            actions: []

        """

    /// Writes a folder holding the broken rule file; returns the folder.
    private static func brokenFolder(in directory: URL) throws -> URL {
        let folder = directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(brokenRules.utf8).write(to: folder.appendingPathComponent("broken.yml"))
        return folder
    }

    /// Expects the three errors of the broken folder on stderr, one `file:line:column: message` a line.
    private static func expectBrokenFolderErrors(_ run: NotifydRun, folder: URL) {
        let file = folder.appendingPathComponent("broken.yml").path
        let lines = lines(run.stderr)
        #expect(lines.count == 3, "\(run)")
        #expect(
            lines.contains { $0.hasPrefix("\(file):4:5: unknown key 'colour' in a rule (expected ") && $0.contains("triggers") },
            "\(run)")
        #expect(
            lines.contains { $0.hasPrefix("\(file):6:9: unknown trigger 'sometimes' (expected ") && $0.contains("new_issue") },
            "\(run)")
        #expect(lines.contains("\(file):7:14: a rule needs at least one action"), "\(run)")
        let position = /^.+\.yml:\d+:\d+: .+$/
        for line in lines {
            #expect(line.wholeMatch(of: position) != nil, "not file:line:column: message: \(line)")
        }
    }

    /// Runs `notifyd`; a missing binary or a timeout fails the test.
    private static func notifyd(_ arguments: [String], in directory: URL, environment: [String: String]? = nil) async throws -> NotifydRun {
        try await NotifydProcess.run(arguments, in: directory, environment: environment)
    }

    /// The non-empty lines of a text.
    private static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Parses one JSON object.
    private static func object(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [String: Any], "not a JSON object: \(text)")
    }
}
