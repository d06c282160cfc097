import Engine
import Foundation
import Synchronization
import Testing

/// Batching, ordering, pruning, deduplication and failure isolation in the consumer.
struct ConsumerTests {
    func batch(_ messages: [[String: JSONValue]]) -> [Data] { messages.map { $0.json.serialized() } }

    @Test func resultsComeBackInOrderWithOneFailureIsolated() async throws {
        let test = try await TestEngine()
        let project = test.project.id
        let results = await test.engine.ingest(batch: batch([
            Messages.occurrence(projectID: project, fingerprint: ["a"]),
            Messages.occurrence(projectID: project, fingerprint: ["b"], embedEvent: false),  // unknown event: fails
            Messages.occurrence(projectID: project, fingerprint: ["c"]),
        ]) + [Data("not json".utf8)])
        #expect(results.count == 4)
        #expect(results[0].groupInfo?.isNew == true)
        #expect(results[1].messageError?.code == .eventNotFound)
        #expect(results[2].groupInfo?.isNew == true)
        #expect(results[3].messageError?.code == .notJSON)
        let counts = try await test.rowCounts()
        #expect(counts["issue_group"] == 2 && counts["occurrence"] == 2 && counts["event"] == 2)
    }

    @Test func messagesOfOneKeyApplyInOrder() async throws {
        let test = try await TestEngine()
        let project = test.project.id
        // create, resolve, then an occurrence: in arrival order that last one is a regression.
        let results = await test.engine.ingest(batch: batch([
            Messages.occurrence(projectID: project, fingerprint: ["ordered"], timestamp: 1_750_000_000),
            Messages.statusChange(projectID: project, fingerprint: ["ordered"], status: .resolved, substatus: nil),
            Messages.occurrence(projectID: project, fingerprint: ["ordered"], timestamp: 1_750_000_100),
        ]))
        #expect(results[0].groupInfo?.isNew == true)
        guard case .statusChanged(_, changed: true) = results[1].outcome else {
            Issue.record("expected a status change, got \(results[1].outcome)")
            return
        }
        #expect(results[2].groupInfo?.isRegression == true)
    }

    @Test func onlyTheLastStatusChangeOfAKeyIsApplied() async throws {
        let test = try await TestEngine()
        let project = test.project.id
        _ = await test.ingest(Messages.occurrence(projectID: project, fingerprint: ["pruned"]).json)
        let results = await test.engine.ingest(batch: batch([
            Messages.statusChange(projectID: project, fingerprint: ["pruned"], status: .resolved, substatus: nil),
            Messages.statusChange(projectID: project, fingerprint: ["pruned"], status: .ignored, substatus: .forever),
            Messages.occurrence(projectID: project, fingerprint: ["other"]),
            Messages.statusChange(projectID: project, fingerprint: ["pruned"], status: .ignored, substatus: .untilEscalating),
        ]))
        #expect(results[0].dropReason == .pruned)
        #expect(results[1].dropReason == .pruned)
        #expect(results[2].groupInfo?.isNew == true)
        let group = try #require(try await test.group(fingerprint: "pruned"))
        #expect(group.status == .ignored && group.substatus == .untilEscalating)
        let activities = try await test.engine.activities(groupID: group.id)
        #expect(activities.map(\.type) == [.setIgnored], "the pruned changes left no trace")
    }

    @Test func repeatedIDsAreSkippedInTheBatchAndForFiveMinutes() async throws {
        let clock = TestClock()
        let test = try await TestEngine(clock: clock)
        let message = Messages.occurrence(projectID: test.project.id, id: Messages.newID())
        let results = await test.engine.ingest(batch: batch([message, message]))
        #expect(results[0].groupInfo != nil)
        #expect(results[1].dropReason == .duplicate)

        clock.advance(by: 299)
        #expect(await test.ingest(message.json).dropReason == .duplicate)
        clock.advance(by: 2)
        let again = try #require(await test.ingest(message.json).groupInfo)
        #expect(again.group.timesSeen == 2, "after five minutes the id is processed again")
    }

    @Test func aRefusedMessageIsNotRememberedAsProcessed() async throws {
        let test = try await TestEngine()
        let eventID = Messages.newID()
        let lookup = Messages.occurrence(projectID: test.project.id, fingerprint: ["late"], eventID: eventID, embedEvent: false)
        #expect(await test.ingest(lookup.json).messageError?.code == .eventNotFound)
        // Once the event exists (stored with another occurrence), the same message succeeds.
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["first"], eventID: eventID).json)
        #expect(await test.ingest(lookup.json).groupInfo?.isNew == true)
    }

    @Test(arguments: [1, 4])
    func concurrentIngestOfTheSameFingerprints(lanes: Int) async throws {
        let test = try await TestEngine(consumer: .init(lanes: lanes, maximumTransactionSize: 7))
        let second = try test.secondEngine()
        let fingerprints = (0..<5).map { "concurrent-\($0)" }
        let tasks = 16
        let perTask = 25
        let project = test.project.id
        let results = await withTaskGroup(of: [MessageResult].self) { group in
            for task in 0..<tasks {
                let engine = task % 2 == 0 ? test.engine : second
                group.addTask {
                    if task % 4 < 2 {
                        // Half the tasks send one message at a time…
                        var results: [MessageResult] = []
                        for index in 0..<perTask {
                            let message = Messages.occurrence(projectID: project, fingerprint: [fingerprints[index % fingerprints.count]])
                            results.append(await engine.ingest(message.json.serialized()))
                        }
                        return results
                    }
                    // …the other half whole batches.
                    let messages = (0..<perTask).map {
                        Messages.occurrence(projectID: project, fingerprint: [fingerprints[$0 % fingerprints.count]]).json.serialized()
                    }
                    return await engine.ingest(batch: messages)
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(results.count == tasks * perTask)
        #expect(results.allSatisfy { $0.groupInfo != nil })
        for fingerprint in fingerprints {
            let group = try #require(try await test.group(fingerprint: fingerprint))
            #expect(group.timesSeen == Int64(tasks * perTask / fingerprints.count))
            #expect(results.filter { $0.groupInfo?.isNew == true && $0.groupInfo?.group.id == group.id }.count == 1)
        }
        #expect(try await test.rowCounts()["issue_group"] == fingerprints.count)
        let shortIDs = try await test.engine.groups(projectID: project).map(\.shortID).sorted()
        #expect(shortIDs == [1, 2, 3, 4, 5])
    }
}

/// A handler that records signals and can be told to fail.
final class RecordingHandler: SignalHandler {
    private let state = Mutex<(signals: [IssueSignal], failOnTitle: String?)>(([], nil))

    var signals: [IssueSignal] { state.withLock { $0.signals } }

    func fail(onTitle title: String?) { state.withLock { $0.failOnTitle = title } }

    struct Refused: Error {}

    func handle(_ signal: IssueSignal, in transaction: any StoreTransaction) throws {
        let failOnTitle = state.withLock { $0.failOnTitle }
        if signal.group.title == failOnTitle { throw Refused() }
        state.withLock { $0.signals.append(signal) }
    }
}

/// Signals reach handlers inside the transaction, and a failing handler undoes its message.
struct SignalHandlerTests {
    @Test func occurrenceSignalsCarryTheGroupingDecision() async throws {
        let handler = RecordingHandler()
        let test = try await TestEngine(handlers: [handler])
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id, environment: "prod").json)
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id, environment: "prod").json)
        let signals = handler.signals
        #expect(signals.count == 2)
        guard case .occurrence(let first) = signals[0], case .occurrence(let second) = signals[1] else {
            Issue.record("expected occurrence signals")
            return
        }
        #expect(first.groupInfo.isNew && first.groupInfo.isNewGroupEnvironment)
        #expect(!second.groupInfo.isNew && !second.groupInfo.isNewGroupEnvironment)
        #expect(second.event.environment == "prod" && second.project == test.project)
        #expect(second.groupInfo.group.timesSeen == 2)
    }

    @Test func aFailingHandlerLeavesNothingOfItsMessage() async throws {
        let handler = RecordingHandler()
        let test = try await TestEngine(handlers: [handler])
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["kept"], title: "kept").json)
        let before = try await test.rowCounts()
        handler.fail(onTitle: "boom")
        let results = await test.engine.ingest(batch: [
            Messages.occurrence(projectID: test.project.id, fingerprint: ["kept"], title: "kept").json.serialized(),
            Messages.occurrence(projectID: test.project.id, fingerprint: ["boom"], title: "boom", release: "9.9", environment: "x").json.serialized(),
        ])
        #expect(results[0].groupInfo?.group.timesSeen == 2)
        guard case .failed = results[1].outcome else {
            Issue.record("expected the message to fail, got \(results[1].outcome)")
            return
        }
        let after = try await test.rowCounts()
        // Only the first message's rows were added: its event, occurrence and processed id.
        #expect(after["issue_group"] == before["issue_group"])
        #expect(after["release"] == before["release"] && after["environment"] == before["environment"])
        #expect(after["event"] == before["event"]! + 1 && after["occurrence"] == before["occurrence"]! + 1)
        #expect(after["processed_message"] == before["processed_message"]! + 1)
    }
}

struct ProducerTests {
    @Test func partitionKeyIsTheRawFirstFingerprintAndProject() {
        #expect(Producer.partitionKey(fingerprint: ["touch-id", "x"], projectID: 4) == "touch-id-4")
        #expect(Producer.partitionKey(fingerprint: [], projectID: 4) == nil)
    }

    @Test func inProcessProducerGroupsAndHashesOnce() async throws {
        let test = try await TestEngine()
        let eventID = Messages.newID()
        let occurrence = IssueOccurrence(
            id: Messages.newID(), projectID: test.project.id, eventID: eventID, fingerprint: ["producer-fp"], issueTitle: "produced",
            subtitle: "sub", type: 1, detectionTime: Date(timeIntervalSince1970: 1_750_000_000))
        let result = try await test.engine.producer.produce(
            occurrence: occurrence, event: Messages.event(id: eventID, projectID: test.project.id))
        let info = try #require(result?.groupInfo)
        #expect(info.isNew && info.group.title == "produced")
        #expect(try await test.group(fingerprint: "producer-fp")?.id == info.group.id)

        let change = StatusChange(
            id: Messages.newID(), projectID: test.project.id, fingerprint: ["producer-fp"], status: .resolved, substatus: nil)
        let changed = try await test.engine.producer.produce(statusChange: change)
        guard case .statusChanged(let group, changed: true)? = changed?.outcome else {
            Issue.record("expected a status change, got \(String(describing: changed))")
            return
        }
        #expect(group.status == .resolved)
    }

    @Test func mismatchedEventIDsAreRefusedBeforeSending() async throws {
        let test = try await TestEngine()
        let occurrence = IssueOccurrence(
            id: Messages.newID(), projectID: test.project.id, eventID: Messages.newID(), fingerprint: ["x"], issueTitle: "t",
            subtitle: "s", type: 1, detectionTime: Date())
        await #expect(throws: Producer.ProduceError.self) {
            try await test.engine.producer.produce(occurrence: occurrence, event: Messages.event(id: Messages.newID(), projectID: test.project.id))
        }
        #expect(try await test.rowCounts()["occurrence"] == 0)
    }

    @Test func transportSeesKeyAndMessage() async throws {
        final class Capture: MessageTransport {
            let sent = Mutex<[(String?, Data)]>([])
            func send(key: String?, value: Data) async throws -> MessageResult? {
                sent.withLock { $0.append((key, value)) }
                return nil
            }
        }
        let capture = Capture()
        let producer = Producer(transport: capture)
        let occurrence = IssueOccurrence(
            id: Messages.newID(), projectID: 7, eventID: Messages.newID(), fingerprint: ["raw-fp"], issueTitle: "t", subtitle: "s", type: 1,
            detectionTime: Date())
        #expect(try await producer.produce(occurrence: occurrence, event: nil) == nil)
        let (key, value) = try #require(capture.sent.withLock { $0.first })
        #expect(key == "raw-fp-7")
        let decoded = try MessageDecoder().decode(value)
        #expect(decoded.rawFingerprint == ["raw-fp"] && decoded.partitionKey == "raw-fp-7")
    }
}
