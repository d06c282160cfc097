import Engine
import Foundation
import Testing

/// The rule-file loader against the rule format: every key parsed to its value, the defaults,
/// per-project scoping, and every kind of mistake reported as `file:line:column: message`.
struct RuleLoaderTests {
    /// `Tests/EngineTests/Fixtures/Rules`.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("Rules")
    /// Valid files that together use every key, trigger, filter, action and operator.
    static let good = fixtures.appendingPathComponent("good").path
    /// Broken files, one kind of problem each (plus one with several).
    static let bad = fixtures.appendingPathComponent("bad").path
    /// The example rule folder at the package root.
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Rules").path

    /// The fixtures' webhooks sign with `SUPPORT_HOOK_SECRET`.
    static let loader = RuleLoader(environment: ["SUPPORT_HOOK_SECRET": "whsec_test"])

    /// The lines of the error a load must throw; `nil` when it loads.
    func failure(_ load: () throws(RuleFolderError) -> RuleSet) -> [String]? {
        do {
            _ = try load()
            return nil
        } catch {
            #expect(error.description == error.errors.map(\.description).joined(separator: "\n"))
            return error.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// A fresh folder holding `files` (name → text), removed by `body`'s end.
    func withFolder<T>(_ files: [String: String], _ body: (String) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in files {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        return try body(folder.path)
    }

    static func text(_ folder: String, _ name: String) throws -> String {
        try String(contentsOfFile: (folder as NSString).appendingPathComponent(name), encoding: .utf8)
    }

    // MARK: The good folder

    @Test func theGoodFolderLoadsEveryRuleInFileOrder() throws {
        let set = try Self.loader.load(directory: Self.good)
        #expect(
            set.rules.map(\.id) == [
                "feedback-to-support", "defaults-only", "tag-operators", "attribute-names", "disabled-rule", "late-every-project",
            ])
        #expect(set.files == ["alerts.yml", "operators.yaml", "scopes.yml"].map { Self.good + "/" + $0 })
        #expect(set.rules.map(\.location.description) == [
            "\(Self.good)/alerts.yml:3:5", "\(Self.good)/alerts.yml:32:5",
            "\(Self.good)/operators.yaml:4:5", "\(Self.good)/operators.yaml:39:5",
            "\(Self.good)/scopes.yml:4:5", "\(Self.good)/scopes.yml:10:5",
        ])
    }

    @Test func everyKeyOfTheFullRuleIsParsed() throws {
        let set = try Self.loader.load(directory: Self.good)
        let rule = try #require(set.rule(id: "feedback-to-support"))
        let hook = try #require(URL(string: "https://hooks.example.com/n"))
        let triggers: [RuleTrigger] = [
            .newIssue, .regression, .escalating, .newHighPriorityIssue, .everyEvent,
            .frequency(count: 100, interval: .seconds(3600)), .uniqueUsers(count: 10, interval: .seconds(86_400)),
        ]
        let filters: [RuleFilter] = [
            .level(.gte, .error),
            .tag(key: "browser", .sw, value: "Chrome"),
            .attribute(name: "message", .co, value: "checkout"),
            .issueCategory([.feedback, .error]),
            .issueType(["feedback"]),
            .olderThan(.seconds(86_400)),
            .occurrencesAtLeast(10),
        ]
        let actions: [RuleAction] = [
            .email(to: ["support@example.com"]), .webhook(url: hook, secretEnv: "SUPPORT_HOOK_SECRET"), .preview,
        ]
        #expect(rule.id == "feedback-to-support")
        #expect(rule.name == "Send new feedback to support")
        #expect(rule.projects == ["example", "mobile"])
        #expect(rule.environment == "prod")
        #expect(rule.enabled == true)
        #expect(rule.match == .any)
        #expect(rule.triggers == triggers)
        #expect(rule.filterMatch == .all)
        #expect(rule.filters == filters)
        #expect(rule.actions == actions)
        #expect(rule.frequency == .seconds(2 * 3600))
        #expect(rule.location == RuleLocation(file: Self.good + "/alerts.yml", line: 3, column: 5))
        // And nothing else: the whole value.
        let expected = Rule(
            id: "feedback-to-support", name: "Send new feedback to support", projects: ["example", "mobile"], environment: "prod",
            enabled: true, match: .any, triggers: triggers, filterMatch: .all, filters: filters, actions: actions,
            frequency: .seconds(7200), location: RuleLocation(file: Self.good + "/alerts.yml", line: 3, column: 5))
        #expect(rule == expected)
    }

    @Test func omittedKeysTakeTheirDefaults() throws {
        let set = try Self.loader.load(directory: Self.good)
        let rule = try #require(set.rule(id: "defaults-only"))
        #expect(rule.name == "Every new issue, with every default")
        #expect(rule.projects == nil)
        #expect(rule.environment == nil)
        #expect(rule.enabled == true)
        #expect(rule.match == .all)
        #expect(rule.triggers == [.newIssue])
        #expect(rule.filterMatch == .all)
        #expect(rule.filters.isEmpty)
        #expect(rule.actions == [.preview])
        #expect(rule.frequency == .seconds(30 * 60))
    }

    @Test func everyTagOperatorIntervalAndLevelComparisonIsParsed() throws {
        let set = try Self.loader.load(directory: Self.good)
        let rule = try #require(set.rule(id: "tag-operators"))
        #expect(rule.projects == ["mobile"])
        #expect(rule.match == .all)
        #expect(
            rule.triggers == [
                .frequency(count: 0, interval: .seconds(60)), .frequency(count: 5, interval: .seconds(5 * 60)),
                .frequency(count: 15, interval: .seconds(15 * 60)), .uniqueUsers(count: 1, interval: .seconds(7 * 86_400)),
                .uniqueUsers(count: 2, interval: .seconds(30 * 86_400)),
            ])
        #expect(rule.filterMatch == .any)
        #expect(
            rule.filters == [
                .tag(key: "os", .eq, value: "iOS"),
                .tag(key: "device", .ne, value: "simulator"),
                .tag(key: "release", .sw, value: "2.0"),
                .tag(key: "release", .nsw, value: "beta-"),
                .tag(key: "url", .ew, value: "/checkout"),
                .tag(key: "url", .new, value: ".png"),
                .tag(key: "transaction", .co, value: "pay"),
                .tag(key: "transaction", .nc, value: "health"),
                .tag(key: "customer", .is, value: nil),
                .tag(key: "internal", .ns, value: nil),
                .tag(key: "region", .in, value: "eu, us ,ap"),
                .tag(key: "region", .nin, value: "cn,ru"),
                .level(.lte, .warning),
                .level(.eq, .fatal),
                .newerThan(.seconds(30 * 60)),
                .issueCategory([.error]),
                .issueType(["error", "feedback"]),
                .occurrencesAtLeast(1),
            ])
        #expect(rule.actions == [.email(to: ["oncall@example.com", "sre@example.org"]), .preview])
        #expect(rule.frequency == .seconds(5 * 60))
        let operators = Set(rule.filters.compactMap { filter -> MatchOperator? in
            if case .tag(_, let op, _) = filter { return op }
            return nil
        })
        #expect(operators == Set(MatchOperator.allCases))
    }

    @Test func everyAttributeNameIsParsed() throws {
        let set = try Self.loader.load(directory: Self.good)
        let rule = try #require(set.rule(id: "attribute-names"))
        let hook = try #require(URL(string: "http://127.0.0.1:9000/hooks/web"))
        #expect(rule.projects == ["web"])
        #expect(rule.match == .none)
        #expect(rule.triggers == [.everyEvent])
        #expect(rule.filterMatch == .none)
        #expect(
            rule.filters == [
                .attribute(name: "message", .eq, value: "Checkout failed"),
                .attribute(name: "platform", .ne, value: "cocoa"),
                .attribute(name: "environment", .sw, value: "prod"),
                .attribute(name: "type", .nsw, value: "default"),
                .attribute(name: "level", .ew, value: "or"),
                .attribute(name: "culprit", .new, value: ".swift"),
                .attribute(name: "title", .co, value: "Timeout"),
                .attribute(name: "release", .nc, value: "beta"),
                .attribute(name: "user.id", .is, value: nil),
                .attribute(name: "user.email", .ns, value: nil),
                .attribute(name: "user.username", .in, value: "alice, bob"),
                .attribute(name: "user.ip_address", .nin, value: "127.0.0.1,::1"),
                .attribute(name: "tags.browser", .eq, value: "Firefox"),
            ])
        #expect(rule.actions == [.webhook(url: hook, secretEnv: "SUPPORT_HOOK_SECRET")])
        #expect(rule.frequency == .seconds(30 * 86_400))
    }

    /// A rule whose only filter is `age: {<key>: <text>}`, as an in-memory file.
    static func ageRule(_ key: String, _ text: String) -> [(name: String, text: String)] {
        [(name: "age.yml", text: "rules:\n  - id: aged\n    name: Aged\n    filters:\n      - age: {\(key): \(text)}\n    actions: [{preview: {}}]\n")]
    }

    @Test(arguments: [("45s", 45), ("30m", 1800), ("12h", 43_200), ("1d", 86_400), ("2w", 1_209_600)])
    func ageTakesEveryDurationUnit(_ text: String, _ seconds: Int64) throws {
        let older = try Self.loader.load(files: Self.ageRule("older_than", text))
        #expect(older.rule(id: "aged")?.filters == [.olderThan(.seconds(seconds))])
        let newer = try Self.loader.load(files: Self.ageRule("newer_than", text))
        #expect(newer.rule(id: "aged")?.filters == [.newerThan(.seconds(seconds))])
    }

    @Test(arguments: ["1y", "0m", "m", "1.5h", "-1d", "1 d", "forever"])
    func ageRejectsWhatIsNotADuration(_ text: String) {
        let lines = failure { () throws(RuleFolderError) in try Self.loader.load(files: Self.ageRule("newer_than", text)) }
        #expect(lines == ["age.yml:5:27: newer_than must be a duration like 30m, 12h, 1d, 2w"])
    }

    @Test func theFrequencyBoundsAreInclusive() throws {
        let set = try Self.loader.load(directory: Self.good)
        #expect(set.rule(id: "late-every-project")?.frequency == .seconds(5 * 60))  // 300s
        #expect(set.rule(id: "attribute-names")?.frequency == .seconds(30 * 86_400))  // 30d
    }

    @Test func rulesForAProjectAreScopedEnabledAndInFileOrder() throws {
        let set = try Self.loader.load(directory: Self.good)
        #expect(set.rules(forProject: "example").map(\.id) == ["feedback-to-support", "defaults-only", "late-every-project"])
        #expect(
            set.rules(forProject: "mobile").map(\.id) == ["feedback-to-support", "defaults-only", "tag-operators", "late-every-project"])
        #expect(set.rules(forProject: "web").map(\.id) == ["defaults-only", "attribute-names", "late-every-project"])
        #expect(set.rules(forProject: "unlisted").map(\.id) == ["defaults-only", "late-every-project"])
    }

    @Test func aDisabledRuleIsLoadedButNeverReturnedForAProject() throws {
        let set = try Self.loader.load(directory: Self.good)
        let rule = try #require(set.rule(id: "disabled-rule"))
        #expect(rule.enabled == false)
        #expect(rule.projects == nil)
        #expect(set.rules.contains(rule))
        for project in ["example", "mobile", "web", "unlisted"] {
            #expect(!set.rules(forProject: project).contains { $0.id == "disabled-rule" })
        }
    }

    // MARK: The example folder

    @Test func theExampleFolderLoadsWithoutAnyEnvironment() throws {
        let set = try RuleLoader(environment: [:]).load(directory: Self.examples)
        #expect(set.rules.map(\.id) == ["feedback-to-support", "error-burst", "error-regression-webhook"])
        let webhook = try #require(set.rule(id: "error-regression-webhook"))
        let hook = try #require(URL(string: "http://127.0.0.1:9000/hooks/regressions"))
        // No secret_env: the project's own webhook secret signs it.
        #expect(webhook.actions == [.webhook(url: hook, secretEnv: nil)])
    }

    @Test func anExplicitSecretVariableMustBeSetEvenWhenOthersNeedNone() throws {
        let files = [
            "hooks.yml": """
                rules:
                  - id: project-secret
                    name: Signed with the project's secret
                    actions: [{webhook: {url: "https://hooks.example.com/a"}}]
                  - id: own-secret
                    name: Signed with a secret of its own
                    actions: [{webhook: {url: "https://hooks.example.com/b", secret_env: OWN_HOOK_SECRET}}]
                """
        ]
        try withFolder(files) { folder in
            let unset = "\(folder)/hooks.yml:7:74: environment variable OWN_HOOK_SECRET (the webhook's signing secret) is not set"
            #expect(failure { () throws(RuleFolderError) in try RuleLoader(environment: [:]).load(directory: folder) } == [unset])
            // An empty value is as good as unset.
            #expect(failure { () throws(RuleFolderError) in try RuleLoader(environment: ["OWN_HOOK_SECRET": ""]).load(directory: folder) } == [unset])
            let set = try RuleLoader(environment: ["OWN_HOOK_SECRET": "whsec_b3du"]).load(directory: folder)
            #expect(set.rule(id: "project-secret")?.actions == [.webhook(url: URL(string: "https://hooks.example.com/a")!, secretEnv: nil)])
            #expect(set.rule(id: "own-secret")?.actions == [.webhook(url: URL(string: "https://hooks.example.com/b")!, secretEnv: "OWN_HOOK_SECRET")])
        }
    }

    // MARK: The bad fixtures

    /// One bad fixture (or two, for a duplicate id) and the errors it must produce, as
    /// `bad/<file>:line:column: message`.
    struct BadCase: Sendable, CustomTestStringConvertible {
        var files: [String]
        var expected: [String]
        var testDescription: String { files.joined(separator: " + ") }

        init(_ files: String..., expected: [String]) {
            self.files = files
            self.expected = expected
        }
    }

    static let ruleKeys = "actions, enabled, environment, filter_match, filters, frequency, id, match, name, projects, triggers"
    static let triggerNames = "new_issue, regression, escalating, new_high_priority_issue, every_event, frequency, unique_users"
    static let operatorNames = "eq, ne, sw, nsw, ew, new, co, nc, is, ns, in, nin"
    static let idRule = "must be made of a-z, 0-9, '_' and '-'"
    static let frequencyRange = "must be a duration from 5m to 30d (like 30m, 1h, 1d)"

    static let badCases: [BadCase] = [
        BadCase("top-level-key.yml", expected: ["bad/top-level-key.yml:2:1: unknown key 'rule' in a rule file (expected rules)"]),
        BadCase("rules-not-list.yml", expected: ["bad/rules-not-list.yml:2:3: 'rules' must be a list of rules"]),
        BadCase("rule-key-typo.yml", expected: ["bad/rule-key-typo.yml:4:5: unknown key 'trigers' in a rule (expected \(ruleKeys))"]),
        BadCase(
            "wrong-types.yml",
            expected: [
                "bad/wrong-types.yml:4:14: enabled must be true or false, not 'maybe'",
                "bad/wrong-types.yml:5:15: projects must be a value or a list of values, not a mapping",
                "bad/wrong-types.yml:6:12: match must be all, any or none, not 'most'",
                "bad/wrong-types.yml:7:15: triggers must be a list, not a value",
            ]),
        BadCase(
            "unknown-trigger.yml",
            expected: [
                "bad/unknown-trigger.yml:5:9: unknown trigger 'first_seen' (expected \(triggerNames))",
                "bad/unknown-trigger.yml:6:9: unknown trigger 'sudden_spike' (expected \(triggerNames))",
            ]),
        BadCase(
            "unknown-filter.yml",
            expected: [
                "bad/unknown-filter.yml:5:9: unknown filter 'browser' (expected level, tag, attribute, issue_category, issue_type, age, occurrences)"
            ]),
        BadCase("unknown-action.yml", expected: ["bad/unknown-action.yml:5:9: unknown action 'slack' (expected email, webhook, preview)"]),
        BadCase(
            "unknown-operator.yml",
            expected: ["bad/unknown-operator.yml:5:36: unknown match operator 'starts_with' (expected \(operatorNames))"]),
        BadCase(
            "unknown-interval.yml",
            expected: ["bad/unknown-interval.yml:5:43: unknown interval '2h' (expected 1m, 5m, 15m, 1h, 1d, 1w, 30d)"]),
        BadCase("bad-age.yml", expected: ["bad/bad-age.yml:5:27: older_than must be a duration like 30m, 12h, 1d, 2w"]),
        BadCase("age-both-keys.yml", expected: ["bad/age-both-keys.yml:5:14: age needs exactly one of older_than, newer_than"]),
        BadCase(
            "frequency-bounds.yml",
            expected: [
                "bad/frequency-bounds.yml:5:16: frequency '4m' \(frequencyRange)",
                "bad/frequency-bounds.yml:10:16: frequency '31d' \(frequencyRange)",
            ]),
        BadCase(
            "missing-keys.yml",
            expected: [
                "bad/missing-keys.yml:2:5: a rule is missing 'id'",
                "bad/missing-keys.yml:5:5: a rule is missing 'name'",
                "bad/missing-keys.yml:8:5: a rule is missing 'actions'",
            ]),
        BadCase("empty-actions.yml", expected: ["bad/empty-actions.yml:4:14: a rule needs at least one action"]),
        BadCase("bad-id.yml", expected: ["bad/bad-id.yml:2:9: rule id 'Feedback To Support' \(idRule)"]),
        BadCase(
            "duplicate-a.yml", "duplicate-b.yml",
            expected: ["bad/duplicate-b.yml:3:5: duplicate rule id 'shared-id' (first defined at bad/duplicate-a.yml:2:5)"]),
        BadCase("bad-url.yml", expected: ["bad/bad-url.yml:5:24: 'ftp://files.example.com/hook' is not an http or https URL"]),
        BadCase(
            "unset-secret.yml",
            expected: ["bad/unset-secret.yml:5:67: environment variable MISSING_HOOK_SECRET (the webhook's signing secret) is not set"]),
        BadCase("bad-email.yml", expected: ["bad/bad-email.yml:5:21: 'Support Team' is not an email address"]),
        BadCase(
            "missing-value.yml",
            expected: [
                "bad/missing-value.yml:5:14: 'in' needs a value",
                "bad/missing-value.yml:6:20: 'eq' needs a value",
            ]),
        BadCase("syntax-error.yml", expected: ["bad/syntax-error.yml:4:4: invalid YAML: did not find expected '-' indicator"]),
        BadCase(
            "several-problems.yml",
            expected: [
                "bad/several-problems.yml:5:14: enabled must be true or false, not 'sometimes'",
                "bad/several-problems.yml:6:5: unknown key 'tirggers' in a rule (expected \(ruleKeys))",
                "bad/several-problems.yml:8:24: unknown level comparison 'gt' (expected eq, gte, lte)",
                "bad/several-problems.yml:9:27: unknown attribute 'browser' (expected culprit, environment, level, message, platform, release, title, type, user.email, user.id, user.ip_address, user.username or tags.<key>)",
                // The column counts Unicode scalars: "café" and "☕" are one each.
                "bad/several-problems.yml:10:56: unknown key 'extra' in tag (expected key, match, value)",
                "bad/several-problems.yml:12:21: email needs at least one address",
                "bad/several-problems.yml:13:16: frequency '1m' \(frequencyRange)",
                "bad/several-problems.yml:19:9: rule id 'BAD ID' \(idRule)",
                "bad/several-problems.yml:22:28: count must be a whole number of at least 0, not '-1'",
                "bad/several-problems.yml:23:9: a trigger is a name or a mapping with one key (like `- frequency: {count: 100, interval: 1h}`)",
                "bad/several-problems.yml:25:33: at_least must be a whole number of at least 1, not '0'",
                "bad/several-problems.yml:26:25: unknown issue category 'crash' (expected error, performance, profile, cron, replay, feedback, uptime, metric_alert)",
                "bad/several-problems.yml:28:67: environment variable NOT_SET_EITHER (the webhook's signing secret) is not set",
            ]),
    ]

    @Test(arguments: badCases)
    func aBadFileReportsEachProblemAtItsPosition(_ badCase: BadCase) throws {
        let files = try badCase.files.map { (name: "bad/\($0)", text: try Self.text(Self.bad, $0)) }
        #expect(failure { () throws(RuleFolderError) in try Self.loader.load(files: files) } == badCase.expected)
    }

    @Test func theBadFolderReportsEveryProblemOfEveryFileInFileOrder() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.bad)
        #expect(Set(names) == Set(Self.badCases.flatMap(\.files)), "every bad fixture has a case")
        let expected = Self.badCases.sorted { $0.files.last! < $1.files.last! }.flatMap(\.expected)
            .map { $0.replacingOccurrences(of: "bad/", with: Self.bad + "/") }
        #expect(failure { () throws(RuleFolderError) in try Self.loader.load(directory: Self.bad) } == expected)
    }

    @Test func oneBadFileLoadsNoRulesFromTheFolder() throws {
        let good = try Self.text(Self.good, "alerts.yml")
        let bad = try Self.text(Self.bad, "unknown-trigger.yml")
        try withFolder(["a-good.yml": good, "b-bad.yml": bad]) { folder in
            let lines = failure { () throws(RuleFolderError) in try Self.loader.load(directory: folder) }
            #expect(lines?.count == 2)
            #expect(lines?.allSatisfy { $0.hasPrefix(folder + "/b-bad.yml:") } == true)
        }
        // The good file alone loads.
        try withFolder(["a-good.yml": good]) { folder in
            let set = try Self.loader.load(directory: folder)
            #expect(set.rules.map(\.id) == ["feedback-to-support", "defaults-only"])
        }
    }

    @Test func aSyntaxErrorElsewhereStillRejectsTheFolder() throws {
        let good = try Self.text(Self.good, "alerts.yml")
        try withFolder(["a.yml": good, "b.yaml": "rules:\n  - id: [unclosed\n"]) { folder in
            let lines = try #require(failure { () throws(RuleFolderError) in try Self.loader.load(directory: folder) })
            #expect(lines.count == 1)
            #expect(lines.first?.hasPrefix(folder + "/b.yaml:") == true)
            #expect(lines.first?.contains(": invalid YAML: ") == true)
        }
    }

    // MARK: Files

    @Test func onlyYmlAndYamlFilesAreRead() throws {
        let good = try Self.text(Self.good, "alerts.yml")
        let scopes = try Self.text(Self.good, "scopes.yml")
        try withFolder(["rules.yml": good, "more.yaml": scopes, "notes.txt": "not: [yaml", "rules.yml.bak": "rules: 3"]) { folder in
            let set = try Self.loader.load(directory: folder)
            #expect(set.files == [folder + "/more.yaml", folder + "/rules.yml"])
            #expect(set.rules.map(\.id) == ["disabled-rule", "late-every-project", "feedback-to-support", "defaults-only"])
        }
    }

    @Test(arguments: ["", "\n", "# only a comment\n", "   \n\n# two\n# comments\n"])
    func anEmptyFileHoldsNoRules(_ text: String) throws {
        let set = try Self.loader.load(files: [(name: "empty.yml", text: text)])
        #expect(set.rules.isEmpty)
        #expect(set.files == ["empty.yml"])
        try withFolder(["empty.yml": text]) { folder in
            let set = try Self.loader.load(directory: folder)
            #expect(set.rules.isEmpty)
        }
    }

    @Test func anEmptyFolderHoldsNoRules() throws {
        try withFolder([:]) { folder in
            let set = try Self.loader.load(directory: folder)
            #expect(set.rules.isEmpty)
            #expect(set.files.isEmpty)
            #expect(set.rules(forProject: "example").isEmpty)
        }
    }

    @Test func aMissingFolderIsAnError() {
        let folder = Self.fixtures.appendingPathComponent("no-such-folder").path
        let lines = failure { () throws(RuleFolderError) in try Self.loader.load(directory: folder) }
        #expect(lines?.count == 1)
        #expect(lines?.first == "\(folder):1:1: cannot read the rule folder: no such folder")
    }

    @Test func filesInMemoryLoadLikeTheFolder() throws {
        let names = ["alerts.yml", "operators.yaml", "scopes.yml"]
        let files = try names.map { (name: $0, text: try Self.text(Self.good, $0)) }
        let inMemory = try Self.loader.load(files: files)
        let fromFolder = try Self.loader.load(directory: Self.good)
        #expect(inMemory.files == names)
        #expect(inMemory.rules.count == fromFolder.rules.count)
        for (memory, folder) in zip(inMemory.rules, fromFolder.rules) {
            var relocated = folder
            relocated.location.file = (folder.location.file as NSString).lastPathComponent
            #expect(memory == relocated)
        }
        for project in ["example", "mobile", "web", "unlisted"] {
            #expect(inMemory.rules(forProject: project).map(\.id) == fromFolder.rules(forProject: project).map(\.id))
        }
    }

    @Test func aDuplicateIdInOneFileNamesTheFirstDefinition() {
        let text = """
            rules:
              - id: twice
                name: First
                actions: [{preview: {}}]
              - id: twice
                name: Second
                actions: [{preview: {}}]
            """
        let lines = failure { () throws(RuleFolderError) in try Self.loader.load(files: [(name: "one.yml", text: text)]) }
        #expect(lines == ["one.yml:5:5: duplicate rule id 'twice' (first defined at one.yml:2:5)"])
    }

    @Test func inMemoryFilesKeepTheirGivenOrder() throws {
        let everywhere = "rules:\n  - id: everywhere\n    name: Every project\n    actions: [{preview: {}}]\n"
        let scoped = "rules:\n  - id: scoped\n    name: One project\n    projects: [shop]\n    actions: [{preview: {}}]\n"
        let set = try Self.loader.load(files: [(name: "z.yml", text: everywhere), (name: "a.yml", text: scoped)])
        #expect(set.rules.map(\.id) == ["everywhere", "scoped"])
        #expect(set.rules(forProject: "other").map(\.id) == ["everywhere"])
        #expect(set.rules(forProject: "shop").map(\.id) == ["everywhere", "scoped"])
    }
}
