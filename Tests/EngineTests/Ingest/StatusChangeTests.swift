import Engine
import Foundation
import Synchronization
import Testing

/// Status-change messages (Sentry's `status_change_consumer.update_status`, reference §8 and the
/// `test_status_change_consumer.py` / `test_producer.py` cases of §12).
struct StatusChangeTests {
    /// Records every signal the consumer hands out.
    final class SignalRecorder: SignalHandler {
        let signals = Mutex<[IssueSignal]>([])

        func handle(_ signal: IssueSignal, in transaction: any StoreTransaction) throws {
            signals.withLock { $0.append(signal) }
        }

        var statusChanges: [StatusChangeSignal] {
            signals.withLock { signals in
                signals.compactMap { signal in
                    if case .statusChange(let change) = signal { return change }
                    return nil
                }
            }
        }
    }

    /// An invalid (status, substatus) pair and the reason it is rejected with.
    struct InvalidPair: Sendable, CustomTestStringConvertible {
        var status: GroupStatus
        var substatus: GroupSubstatus?
        var reason: String

        var testDescription: String { "(\(status.name), \(substatus?.name ?? "nil")) → \(reason)" }
    }

    // MARK: Helpers

    /// A test engine with one error issue (type 1) for the fingerprint `["group-1"]`.
    private static func makeGroup(handlers: [any SignalHandler] = []) async throws -> (TestEngine, Group) {
        let test = try await TestEngine(handlers: handlers)
        let result = await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["group-1"]).json)
        let info = try #require(result.groupInfo)
        #expect(info.group.status == .unresolved)
        #expect(info.group.substatus == .new)
        #expect(info.group.priority == .medium)
        return (test, try #require(try await test.group(fingerprint: "group-1")))
    }

    /// Sends a status-change message for `["group-1"]`.
    @discardableResult
    private static func change(
        _ test: TestEngine, _ status: GroupStatus, _ substatus: GroupSubstatus?, fingerprint: String = "group-1"
    ) async -> MessageResult {
        await test.ingest(
            Messages.statusChange(projectID: test.project.id, fingerprint: [fingerprint], status: status, substatus: substatus).json)
    }

    private static func resolution(_ test: TestEngine, groupID: Int64) async throws -> GroupResolution? {
        try await test.store.read { try $0.resolution(groupID: groupID) }
    }

    private static func current(_ test: TestEngine) async throws -> Group {
        try #require(try await test.group(fingerprint: "group-1"))
    }

    // MARK: Valid changes

    @Test func resolvedSetsStatusAndRecordsActivity() async throws {
        let (test, group) = try await Self.makeGroup()
        let activitiesBefore = try await test.engine.activities(groupID: group.id)

        let result = await Self.change(test, .resolved, nil)

        let stored = try await Self.current(test)
        #expect(result.outcome == .statusChanged(stored, changed: true))
        #expect(stored.status == .resolved)
        #expect(stored.substatus == nil)
        #expect(stored.resolvedAt == test.clock.now)
        #expect(stored.priority == group.priority)
        let activities = try await test.engine.activities(groupID: group.id)
        #expect(activities.count == activitiesBefore.count + 1)
        let activity = try #require(activities.last)
        #expect(activity.type == .setResolved)
        #expect(activity.groupID == group.id)
        #expect(activity.projectID == test.project.id)
        #expect(activity.createdAt == test.clock.now)
        // A plain resolution has no release resolution row.
        #expect(try await Self.resolution(test, groupID: group.id) == nil)
    }

    @Test(arguments: [GroupSubstatus.untilEscalating, .untilConditionMet, .forever])
    func ignoredWithEachArchivedSubstatus(_ substatus: GroupSubstatus) async throws {
        let (test, group) = try await Self.makeGroup()
        let activitiesBefore = try await test.engine.activities(groupID: group.id)

        let result = await Self.change(test, .ignored, substatus)

        let stored = try await Self.current(test)
        #expect(result.outcome == .statusChanged(stored, changed: true))
        #expect(stored.status == .ignored)
        #expect(stored.substatus == substatus)
        #expect(stored.resolvedAt == nil)
        let activities = try await test.engine.activities(groupID: group.id)
        #expect(activities.count == activitiesBefore.count + 1)
        #expect(activities.last?.type == .setIgnored)
    }

    @Test func sameStatusAgainIsANoOp() async throws {
        let (test, group) = try await Self.makeGroup()
        #expect(await Self.change(test, .ignored, .forever).outcome == .statusChanged(try await Self.current(test), changed: true))
        let before = try await Self.current(test)
        let activitiesBefore = try await test.engine.activities(groupID: group.id)

        let result = await Self.change(test, .ignored, .forever)

        #expect(result.outcome == .statusChanged(before, changed: false))
        #expect(try await Self.current(test) == before)
        #expect(try await test.engine.activities(groupID: group.id) == activitiesBefore)

        // The same for resolved (substatus nil).
        await Self.change(test, .resolved, nil)
        let resolved = try await Self.current(test)
        let resolvedActivities = try await test.engine.activities(groupID: group.id)
        #expect(await Self.change(test, .resolved, nil).outcome == .statusChanged(resolved, changed: false))
        #expect(try await Self.current(test) == resolved)
        #expect(try await test.engine.activities(groupID: group.id) == resolvedActivities)
    }

    @Test func escalatingFromArchivedRaisesPriorityAndOngoingRestoresIt() async throws {
        let (test, group) = try await Self.makeGroup()
        #expect(group.initialPriority == .medium)
        #expect(group.metadata["initial_priority"] == .int(Int64(PriorityLevel.medium.rawValue)))
        await Self.change(test, .ignored, .untilEscalating)
        let archived = try await Self.current(test)
        #expect(archived.status == .ignored && archived.substatus == .untilEscalating && archived.priority == .medium)
        let beforeEscalation = try await test.engine.activities(groupID: group.id).count

        // IGNORED/UNTIL_ESCALATING/MEDIUM + UNRESOLVED/ESCALATING → ESCALATING, priority HIGH.
        let escalated = await Self.change(test, .unresolved, .escalating)
        let escalating = try await Self.current(test)
        #expect(escalated.outcome == .statusChanged(escalating, changed: true))
        #expect(escalating.status == .unresolved)
        #expect(escalating.substatus == .escalating)
        #expect(escalating.priority == .high)
        var activities = try await test.engine.activities(groupID: group.id)
        let escalationActivities = Array(activities.dropFirst(beforeEscalation))
        #expect(escalationActivities.map(\.type) == [.setEscalating, .setPriority])
        #expect(escalationActivities.last?.data["priority"] == "high")
        #expect(escalationActivities.last?.data["reason"] == "escalating")

        // UNRESOLVED/ESCALATING/HIGH + UNRESOLVED/ONGOING → ONGOING, priority back to initial (MEDIUM).
        let calmed = await Self.change(test, .unresolved, .ongoing)
        let ongoing = try await Self.current(test)
        #expect(calmed.outcome == .statusChanged(ongoing, changed: true))
        #expect(ongoing.status == .unresolved)
        #expect(ongoing.substatus == .ongoing)
        #expect(ongoing.priority == .medium)
        #expect(ongoing.metadata["initial_priority"] == .int(Int64(PriorityLevel.medium.rawValue)))
        activities = try await test.engine.activities(groupID: group.id)
        let ongoingActivities = Array(activities.dropFirst(beforeEscalation + 2))
        #expect(ongoingActivities.map(\.type) == [.autoSetOngoing, .setPriority])
        #expect(ongoingActivities.last?.data["priority"] == "medium")
        #expect(ongoingActivities.last?.data["reason"] == "ongoing")
    }

    @Test func sequenceFromArchivedUntilEscalating() async throws {
        let (test, group) = try await Self.makeGroup()
        await Self.change(test, .ignored, .untilEscalating)

        let steps: [(GroupSubstatus, [ActivityType])] = [
            (.escalating, [.setEscalating, .setPriority]),
            (.ongoing, [.autoSetOngoing, .setPriority]),
            (.regressed, [.setRegression]),
            (.ongoing, [.setUnresolved]),
        ]
        for (substatus, expectedActivities) in steps {
            let before = try await test.engine.activities(groupID: group.id).count
            let result = await Self.change(test, .unresolved, substatus)
            let stored = try await Self.current(test)
            #expect(result.outcome == .statusChanged(stored, changed: true), "→ \(substatus.name)")
            #expect(stored.status == .unresolved, "→ \(substatus.name)")
            #expect(stored.substatus == substatus, "→ \(substatus.name)")
            #expect(stored.resolvedAt == nil, "→ \(substatus.name)")
            let added = try await test.engine.activities(groupID: group.id).dropFirst(before).map(\.type)
            #expect(added == expectedActivities, "→ \(substatus.name)")
        }
        #expect(try await Self.current(test).priority == .medium)
    }

    // MARK: Rejected changes

    @Test func escalatingRequiresAnArchivedIssue() async throws {
        let (test, group) = try await Self.makeGroup()
        let activitiesBefore = try await test.engine.activities(groupID: group.id)

        let result = await Self.change(test, .unresolved, .escalating)

        #expect(result.outcome == .dropped(.statusChangeRejected("escalating_requires_archived")))
        #expect(result.dropReason == .statusChangeRejected("escalating_requires_archived"))
        #expect(try await Self.current(test) == group)
        #expect(try await test.engine.activities(groupID: group.id) == activitiesBefore)

        // A resolved issue cannot escalate either.
        await Self.change(test, .resolved, nil)
        let resolved = try await Self.current(test)
        #expect(await Self.change(test, .unresolved, .escalating).dropReason == .statusChangeRejected("escalating_requires_archived"))
        #expect(try await Self.current(test) == resolved)
    }

    @Test(arguments: [
        InvalidPair(status: .resolved, substatus: .forever, reason: "unexpected_substatus"),
        InvalidPair(status: .ignored, substatus: nil, reason: "missing_substatus"),
        InvalidPair(status: .ignored, substatus: .regressed, reason: "invalid_substatus"),
        InvalidPair(status: .unresolved, substatus: .new, reason: "invalid_substatus"),
        InvalidPair(status: .unresolved, substatus: nil, reason: "missing_substatus"),
        InvalidPair(status: .pendingDeletion, substatus: nil, reason: "unsupported_status"),
    ])
    func invalidPairIsRejectedAndIssueUnchanged(_ pair: InvalidPair) async throws {
        let (test, group) = try await Self.makeGroup()
        // As in Sentry's test: start from IGNORED/FOREVER, so that none of the pairs is a no-op
        // (UNRESOLVED/NEW would be one on a new issue).
        await Self.change(test, .ignored, .forever)
        let before = try await Self.current(test)
        let activitiesBefore = try await test.engine.activities(groupID: group.id)
        let countsBefore = try await test.rowCounts()

        let result = await Self.change(test, pair.status, pair.substatus)

        #expect(result.outcome == .dropped(.statusChangeRejected(pair.reason)))
        #expect(try await Self.current(test) == before)
        #expect(try await test.engine.activities(groupID: group.id) == activitiesBefore)
        var countsAfter = try await test.rowCounts()
        #expect(countsAfter["processed_message"] == (countsBefore["processed_message"] ?? 0) + 1)
        countsAfter["processed_message"] = countsBefore["processed_message"]
        #expect(countsAfter == countsBefore)
    }

    @Test func invalidPairOnANewIssueLeavesItUnchanged() async throws {
        let (test, group) = try await Self.makeGroup()
        for (status, substatus, reason) in [
            (GroupStatus.resolved, GroupSubstatus?.some(.forever), "unexpected_substatus"),
            (.ignored, nil, "missing_substatus"),
            (.ignored, .regressed, "invalid_substatus"),
            (.unresolved, nil, "missing_substatus"),
            (.pendingDeletion, nil, "unsupported_status"),
        ] {
            #expect(await Self.change(test, status, substatus).dropReason == .statusChangeRejected(reason), "\(reason)")
            #expect(try await Self.current(test) == group, "\(reason)")
        }
        #expect(try await test.engine.activities(groupID: group.id).isEmpty)
    }

    /// Sentry (§8 step 2): any status other than UNRESOLVED/IGNORED with a substatus is
    /// `unexpected_substatus`, checked before the status itself is looked at.
    @Test func otherStatusWithASubstatusIsUnexpectedSubstatus() async throws {
        let (test, group) = try await Self.makeGroup()

        let result = await Self.change(test, .pendingDeletion, .forever)

        #expect(result.outcome == .dropped(.statusChangeRejected("unexpected_substatus")))
        #expect(try await Self.current(test) == group)
    }

    @Test func unknownFingerprintIsDroppedAndNothingChanges() async throws {
        let (test, group) = try await Self.makeGroup()
        let countsBefore = try await test.rowCounts()

        let result = await Self.change(test, .resolved, nil, fingerprint: "no-such-group")

        #expect(result.outcome == .dropped(.groupNotFound))
        #expect(try await Self.current(test) == group)
        var countsAfter = try await test.rowCounts()
        #expect(countsAfter["processed_message"] == (countsBefore["processed_message"] ?? 0) + 1)
        countsAfter["processed_message"] = countsBefore["processed_message"]
        #expect(countsAfter == countsBefore)
    }

    // MARK: The API path

    @Test func changeStatusResolvedInReleaseAndBack() async throws {
        let (test, group) = try await Self.makeGroup()

        let resolvedResult = try await test.engine.changeStatus(groupID: group.id, to: .resolved, resolution: .inRelease("1.2.0"))

        let resolved = try await Self.current(test)
        #expect(resolvedResult.outcome == .statusChanged(resolved, changed: true))
        #expect(resolved.status == .resolved)
        #expect(resolved.substatus == nil)
        #expect(resolved.resolvedAt == test.clock.now)
        let activity = try #require(try await test.engine.activities(groupID: group.id).last)
        #expect(activity.type == .setResolvedInRelease)
        #expect(activity.data["version"] == "1.2.0")
        let resolution = try #require(try await Self.resolution(test, groupID: group.id))
        #expect(resolution.kind == .inRelease)
        #expect(resolution.groupID == group.id)

        let reopened = try await test.engine.changeStatus(groupID: group.id, to: .unresolved, substatus: .ongoing)

        let ongoing = try await Self.current(test)
        #expect(reopened.outcome == .statusChanged(ongoing, changed: true))
        #expect(ongoing.status == .unresolved)
        #expect(ongoing.substatus == .ongoing)
        #expect(ongoing.resolvedAt == nil)
        #expect(try await test.engine.activities(groupID: group.id).last?.type == .setUnresolved)
        #expect(try await Self.resolution(test, groupID: group.id) == nil)
    }

    // MARK: Signals

    @Test func escalationSignalIsHandedToHandlers() async throws {
        let recorder = SignalRecorder()
        let (test, group) = try await Self.makeGroup(handlers: [recorder])
        #expect(recorder.statusChanges.isEmpty)

        await Self.change(test, .ignored, .untilEscalating)
        #expect(recorder.statusChanges.count == 1)
        #expect(recorder.statusChanges.first?.isEscalation == false)

        await Self.change(test, .unresolved, .escalating)
        let changes = recorder.statusChanges
        #expect(changes.count == 2)
        let escalation = try #require(changes.last)
        #expect(escalation.isEscalation)
        #expect(escalation.previousStatus == .ignored)
        #expect(escalation.previousSubstatus == .untilEscalating)
        #expect(escalation.group == (try await Self.current(test)))
        #expect(escalation.group.id == group.id)
        #expect(escalation.project.id == test.project.id)
        #expect(escalation.activities.map(\.type) == [.setEscalating, .setPriority])
        #expect(escalation.activities.allSatisfy { $0.id != 0 })

        // A no-op change hands out no signal.
        let noOp = await Self.change(test, .unresolved, .escalating)
        #expect(noOp.outcome == .statusChanged(escalation.group, changed: false))
        #expect(recorder.statusChanges.count == 2)

        // Neither does a rejected one.
        #expect(await Self.change(test, .ignored, nil).dropReason == .statusChangeRejected("missing_substatus"))
        #expect(recorder.statusChanges.count == 2)
    }
}
