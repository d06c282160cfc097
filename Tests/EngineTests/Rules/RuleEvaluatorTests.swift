import Engine
import Foundation
import Testing

/// The rule evaluator as a signal handler on a real engine.
struct RuleEvaluatorTests {
    static let secrets = ["HOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]

    /// An engine whose evaluator runs the rules in `yaml`.
    static func engine(_ yaml: String, clock: TestClock = TestClock(), extra: [any SignalHandler] = []) async throws -> (TestEngine, RuleEvaluator) {
        let rules = try RuleLoader(environment: secrets).load(files: [("test.yml", yaml)])
        let evaluator = RuleEvaluator(rules: rules, now: clock.function)
        return (try await TestEngine(handlers: [evaluator] + extra, clock: clock), evaluator)
    }

    func notifications(_ test: TestEngine) async throws -> [Delivery] {
        try await test.store.read { try $0.deliveries(state: nil, limit: 1000) }
    }

    func occurrence(_ test: TestEngine, fingerprint: String = "fp", type: Int = 1, level: String = "error", environment: String? = "prod",
                    release: String? = nil, timestamp: Double? = nil, tags: JSONValue = .object([:]), user: JSONValue? = nil) async -> MessageResult {
        var message = Messages.occurrence(
            projectID: test.project.id, fingerprint: [fingerprint], type: type, level: level,
            timestamp: timestamp ?? test.clock.now.timeIntervalSince1970, release: release, environment: environment)
        var event = message["event"]!.objectValue!
        event["tags"] = tags
        if let user { event["user"] = user }
        message["event"] = .object(event)
        return await test.ingest(message.json)
    }

    @Test func newIssueFiresOnceAndWritesTheOutbox() async throws {
        let (test, _) = try await Self.engine("""
            rules:
              - id: new-errors
                name: New errors
                triggers: [new_issue]
                actions:
                  - email: {to: [Dev@Example.com, ops@example.com]}
                  - webhook: {url: "https://hooks.example.com/n", secret_env: HOOK_SECRET}
                  - preview: {}
            """)
        let first = try #require(await occurrence(test).groupInfo)
        _ = await occurrence(test)
        let sent = try await notifications(test)
        #expect(sent.count == 4)
        #expect(Set(sent.map(\.target)) == ["dev@example.com", "ops@example.com", "https://hooks.example.com/n", "preview"])
        #expect(sent.allSatisfy { $0.kind == .issueCreated && $0.ruleIDs == ["new-errors"] && $0.groupID == first.group.id && $0.state == .pending })
        #expect(Set(sent.map(\.notificationUUID)).count == 1)
        #expect(sent.first { $0.channel == .webhook }?.secretEnv == "HOOK_SECRET")
        let firings = try await test.store.read { try $0.ruleFirings(groupID: first.group.id) }
        #expect(firings.count == 1 && firings[0].ruleID == "new-errors" && firings[0].eventID != nil)
    }

    @Test func rulesFiringTogetherAreMergedPerTarget() async throws {
        let (test, _) = try await Self.engine("""
            rules:
              - id: a
                name: Rule A
                triggers: [every_event]
                actions: [{email: {to: [team@example.com]}}, preview]
              - id: b
                name: Rule B
                triggers: [new_issue]
                actions: [{email: {to: [team@example.com]}}]
            """)
        _ = await occurrence(test)
        let sent = try await notifications(test)
        #expect(sent.count == 2)
        let email = try #require(sent.first { $0.channel == .email })
        #expect(email.ruleIDs == ["a", "b"] && email.ruleNames == ["Rule A", "Rule B"])
        #expect(sent.first { $0.channel == .preview }?.ruleIDs == ["a"])
    }

    @Test func regressionAndEscalationTriggers() async throws {
        let (test, _) = try await Self.engine("""
            rules:
              - id: back
                name: Back again
                triggers: [regression, escalating]
                match: any
                frequency: 5m
                actions: [preview]
            """)
        let info = try #require(await occurrence(test).groupInfo)
        #expect(try await notifications(test).isEmpty)
        _ = try await test.engine.changeStatus(groupID: info.group.id, to: .resolved)
        _ = await occurrence(test)
        #expect(try await notifications(test).map(\.kind) == [.issueRegressed])

        test.clock.advance(by: 600)
        _ = try await test.engine.changeStatus(groupID: info.group.id, to: .ignored, substatus: .untilEscalating)
        _ = try await test.engine.changeStatus(groupID: info.group.id, to: .unresolved, substatus: .escalating)
        let kinds = try await notifications(test).map(\.kind)
        #expect(kinds == [.issueRegressed, .issueEscalating])
        #expect(try await notifications(test).last?.eventID == nil)
    }

    @Test func environmentScopedNewIssueMeansNewInThatEnvironment() async throws {
        let (test, _) = try await Self.engine("""
            rules:
              - id: staging-new
                name: New in staging
                environment: staging
                triggers: [new_issue]
                actions: [preview]
            """)
        _ = await occurrence(test, environment: "prod")
        #expect(try await notifications(test).isEmpty, "another environment")
        _ = await occurrence(test, environment: "staging")
        #expect(try await notifications(test).count == 1, "the existing issue is new in staging")
    }

    @Test func highPriorityAndEveryEventTriggers() async throws {
        let (test, _) = try await Self.engine("""
            rules:
              - id: hot
                name: New and hot
                triggers: [new_high_priority_issue]
                actions: [preview]
            """)
        _ = await occurrence(test, fingerprint: "medium")  // errors default to medium
        #expect(try await notifications(test).isEmpty)
        _ = await occurrence(test, fingerprint: "cron", type: 4001)  // crons default to high
        #expect(try await notifications(test).count == 1)
    }

    @Test func frequencyAndUniqueUserTriggersCountOverTheWindow() async throws {
        let (test, _) = try await Self.engine("""
            rules:
              - id: busy
                name: Busy
                triggers: [{frequency: {count: 3, interval: 1h}}]
                actions: [preview]
              - id: many-users
                name: Many users
                triggers: [{unique_users: {count: 2, interval: 1h}}]
                actions: [{email: {to: [a@example.com]}}]
            """)
        // Events two hours old do not count.
        for _ in 0..<3 { _ = await occurrence(test, timestamp: test.clock.now.timeIntervalSince1970 - 7200, user: ["id": "old"]) }
        #expect(try await notifications(test).isEmpty)
        for user in ["u1", "u1", "u2"] { _ = await occurrence(test, user: ["id": .string(user)]) }
        #expect(try await notifications(test).isEmpty, "3 recent events is not more than 3; 2 users is not more than 2")
        _ = await occurrence(test, user: ["email": "x@example.com"])
        let sent = try await notifications(test)
        #expect(Set(sent.flatMap(\.ruleIDs)) == ["busy", "many-users"])
    }

    @Test func filtersAndMatchModes() async throws {
        let (test, evaluator) = try await Self.engine("""
            rules:
              - id: all-filters
                name: All filters
                triggers: [every_event]
                filters:
                  - level: {match: gte, value: error}
                  - tag: {key: browser, match: sw, value: chrome}
                  - attribute: {name: user.email, match: ew, value: "@example.com"}
                  - issue_category: [error, feedback]
                  - issue_type: error
                  - occurrences: {at_least: 1}
                  - age: {newer_than: 1d}
                actions: [preview]
              - id: any-filter
                name: Any filter
                triggers: [every_event]
                filter_match: any
                filters:
                  - level: {match: eq, value: fatal}
                  - attribute: {name: tags.plan, match: in, value: "pro, enterprise"}
                actions: [{email: {to: [any@example.com]}}]
              - id: none-filter
                name: None filter
                triggers: [every_event]
                filter_match: none
                filters:
                  - attribute: {name: message, match: co, value: "something bad"}
                actions: [{email: {to: [none@example.com]}}]
              - id: not-triggers
                name: Not new
                match: none
                triggers: [new_issue]
                actions: [{email: {to: [old@example.com]}}]
            """)
        let result = await occurrence(
            test, tags: ["browser": "Chrome 131", "plan": "Pro"], user: ["email": "ada@EXAMPLE.com"])
        let info = try #require(result.groupInfo)
        let targets = Set(try await notifications(test).map(\.target))
        #expect(targets == ["preview", "any@example.com"], "all filters pass; any passes on the plan; the message contains the title; the issue is new")

        // Explanations name the first thing that failed.
        let event = try #require(try await test.engine.latestEvent(groupID: info.group.id))
        let signal = IssueSignal.occurrence(
            OccurrenceSignal(groupInfo: GroupInfo(group: info.group, isNew: false, isRegression: false), occurrence: IssueOccurrence(
                id: "x", projectID: test.project.id, eventID: event.eventID, fingerprint: [], issueTitle: "", subtitle: "", type: 1,
                detectionTime: Date()), event: event, project: test.project))
        let decisions = try await test.store.read { try evaluator.explain(signal, in: $0) }
        let reasons = Dictionary(uniqueKeysWithValues: decisions.map { ($0.rule.id, $0.reason) })
        #expect(reasons["none-filter"] == "filter attribute did not pass" || reasons["none-filter"]?.contains("filter_match") == true)
        #expect(reasons["all-filters"]?.hasPrefix("throttled") == true)
        #expect(reasons["not-triggers"] == "fired", "an old issue passes `match: none` over new_issue")
    }

    @Test func resolvedAndIgnoredIssuesDoNotAlert() async throws {
        let (test, evaluator) = try await Self.engine("""
            rules:
              - id: every
                name: Every event
                triggers: [every_event]
                frequency: 5m
                actions: [preview]
            """)
        let info = try #require(await occurrence(test).groupInfo)
        _ = try await test.engine.changeStatus(groupID: info.group.id, to: .ignored, substatus: .forever)
        test.clock.advance(by: 3600)
        _ = await occurrence(test)
        #expect(try await notifications(test).count == 1)
        #expect(evaluator.rules.rules.count == 1)
    }

    @Test func throttleAllowsOneFiringPerWindowEvenUnderConcurrency() async throws {
        let clock = TestClock()
        let (test, _) = try await Self.engine("""
            rules:
              - id: every
                name: Every event
                triggers: [every_event]
                frequency: 10m
                actions: [preview]
            """, clock: clock)
        let second = try test.secondEngineWithHandlers([RuleEvaluator(
            rules: try RuleLoader(environment: Self.secrets).load(files: [("t.yml", "rules:\n  - id: every\n    name: Every event\n    triggers: [every_event]\n    frequency: 10m\n    actions: [preview]\n")]),
            now: clock.function)])
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                let engine = index % 2 == 0 ? test.engine : second
                let message = Messages.occurrence(projectID: test.project.id, fingerprint: ["fp"], timestamp: clock.now.timeIntervalSince1970)
                group.addTask { _ = await engine.ingest(message.json.serialized()) }
            }
        }
        #expect(try await notifications(test).count == 1)
        clock.advance(by: 601)
        _ = await occurrence(test)
        #expect(try await notifications(test).count == 2, "the next window fires again")
    }

    @Test func theOutboxCommitsWithTheIssueChangeOrNotAtAll() async throws {
        let failing = RecordingHandler()
        failing.fail(onTitle: "something bad happened")
        let (test, _) = try await Self.engine("""
            rules:
              - id: every
                name: Every event
                triggers: [every_event]
                actions: [preview]
            """, extra: [failing])
        let before = try await test.rowCounts()
        let result = await occurrence(test)
        guard case .failed = result.outcome else {
            Issue.record("expected a failure, got \(result.outcome)")
            return
        }
        let after = try await test.rowCounts()
        #expect(after == before, "neither the issue nor its notification nor fire history was stored")
    }

    @Test func reloadReplacesTheRules() async throws {
        let (test, evaluator) = try await Self.engine("rules: []\n")
        _ = await occurrence(test, fingerprint: "one")
        evaluator.replaceRules(try RuleLoader().load(files: [("r.yml", "rules:\n  - id: n\n    name: N\n    triggers: [new_issue]\n    actions: [preview]\n")]))
        _ = await occurrence(test, fingerprint: "two")
        #expect(try await notifications(test).count == 1)
    }
}

struct RuleReloaderTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func write(_ text: String, _ name: String, in folder: URL) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    static let one = "rules:\n  - id: one\n    name: One\n    triggers: [new_issue]\n    actions: [preview]\n"
    static let two = "rules:\n  - id: two\n    name: Two\n    triggers: [regression]\n    actions: [preview]\n"

    @Test func anInvalidFolderKeepsThePreviousRules() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write(Self.one, "a.yml", in: directory)
        let evaluator = RuleEvaluator(rules: .empty)
        let reloader = RuleReloader(directory: directory.path, evaluator: evaluator)
        #expect((try? reloader.reload().get())?.rules.map(\.id) == ["one"])

        try write("rules:\n  - id: broken\n    name: B\n    actions: []\n", "b.yml", in: directory)
        guard case .failure(let error) = reloader.reload() else {
            Issue.record("an invalid folder was accepted")
            return
        }
        #expect(error.description.contains("b.yml:4:14: a rule needs at least one action"))
        #expect(evaluator.rules.rules.map(\.id) == ["one"], "the previous rules stay in force")
    }

    @Test func watchingReloadsWhenAFileChanges() async throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write(Self.one, "a.yml", in: directory)
        let evaluator = RuleEvaluator(rules: .empty)
        let reloader = RuleReloader(directory: directory.path, evaluator: evaluator)
        reloader.reload()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await reloader.watch(every: .milliseconds(20)) }
            try? write(Self.two, "a.yml", in: directory)
            // Bounded wait for the watcher to notice.
            for _ in 0..<250 where evaluator.rules.rules.map(\.id) != ["two"] {
                try? await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        #expect(evaluator.rules.rules.map(\.id) == ["two"])
    }
}

struct RuleAgeFilterTests {
    @Test func olderThanAndNewerThanCompareTheFirstSighting() async throws {
        let clock = TestClock()
        let (test, _) = try await RuleEvaluatorTests.engine("""
            rules:
              - id: old
                name: Old issues
                triggers: [every_event]
                filters: [{age: {older_than: 1d}}]
                actions: [{email: {to: [old@example.com]}}]
              - id: young
                name: Young issues
                triggers: [every_event]
                filters: [{age: {newer_than: 1h}}]
                actions: [{email: {to: [young@example.com]}}]
            """, clock: clock)
        let message = { Messages.occurrence(projectID: test.project.id, timestamp: clock.now.timeIntervalSince1970) }
        _ = await test.ingest(message().json)
        clock.advance(by: 2 * 86_400)
        _ = await test.ingest(message().json)
        let targets = try await test.store.read { try $0.deliveries(state: nil, limit: 10) }.map(\.target)
        #expect(targets == ["young@example.com", "old@example.com"])
    }
}
