import Engine
import Foundation
import Testing

/// Grouping of occurrences into issues (Sentry's test_ingest.py cases).
struct IssueIngestTests {
    @Test func newIssueTakesItsFieldsFromTheOccurrence() async throws {
        let test = try await TestEngine()
        var message = Messages.occurrence(projectID: test.project.id, type: 2001)
        message["initial_issue_priority"] = nil
        let result = await test.ingest(message.json)
        let info = try #require(result.groupInfo)

        #expect(info.isNew && !info.isRegression)
        let group = info.group
        #expect(group.title == "something bad happened")
        #expect(group.culprit == "api/123")
        #expect(group.level == .warning)
        #expect(group.platform == "python")
        #expect(group.type == 2001)
        #expect(group.priority == .low, "type 2001 defaults to LOW")
        #expect(group.metadata["value"] == "it was bad")
        #expect(group.metadata["title"] == "something bad happened")
        #expect(group.metadata["initial_priority"] == .int(25))
        #expect(group.message == "<unlabeled event> something bad happened it was bad api/123")
        #expect(group.timesSeen == 1)
        #expect(group.status == .unresolved && group.substatus == .new)
        #expect(group.firstSeen == group.lastSeen && group.activeAt == group.firstSeen)
        #expect(group.shortID == 1)
        #expect(ShortID.format(projectSlug: test.project.slug, number: group.shortID) == "BACKEND-1")
    }

    @Test func explicitPriorityWins() async throws {
        let test = try await TestEngine()
        var message = Messages.occurrence(projectID: test.project.id, type: 2001)
        message["initial_issue_priority"] = 75
        let group = try #require(await test.ingest(message.json).groupInfo?.group)
        #expect(group.priority == .high)
        #expect(group.metadata["severity"] == nil)
    }

    @Test func occurrenceAndEventAreStoredAndReadBack() async throws {
        let test = try await TestEngine()
        let message = Messages.occurrence(projectID: test.project.id)
        let result = await test.ingest(message.json)
        let id = try #require(result.messageID)
        let stored = try await test.store.read { [project = test.project] in try $0.occurrence(projectID: project.id, id: id) }
        let occurrence = try #require(stored)
        #expect(occurrence.issueTitle == "something bad happened")
        #expect(occurrence.fingerprint == [Fingerprint.hash("some-fingerprint")])
        #expect(occurrence.evidenceDisplay.count == 2 && occurrence.importantEvidence?.name == "hi")
        let event = try #require(try await test.engine.latestEvent(groupID: result.groupInfo!.group.id))
        #expect(event.eventID == occurrence.eventID)
        #expect(event.data["metadata"]?["title"] == "something bad happened")
    }

    @Test func existingIssueGetsTheAggregateUpdate() async throws {
        let test = try await TestEngine()
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id, timestamp: 1_750_000_000).json)
        let second = Messages.occurrence(
            projectID: test.project.id, title: "new title", subtitle: "new subtitle", level: "error", timestamp: 1_750_000_100)
        let info = try #require(await test.ingest(second.json).groupInfo)

        #expect(!info.isNew && !info.isRegression)
        #expect(info.group.timesSeen == 2)
        #expect(info.group.title == "new title")
        #expect(info.group.metadata["value"] == "new subtitle")
        #expect(info.group.metadata["title"] == "new title")
        #expect(info.group.level == .error)
        #expect(info.group.message == "<unlabeled event> new title new subtitle api/123")
        #expect(info.group.lastSeen == Date(timeIntervalSince1970: 1_750_000_100))

        // An older event lowers first_seen and leaves last_seen alone.
        let older = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, timestamp: 1_749_000_000).json).groupInfo)
        #expect(older.group.firstSeen == Date(timeIntervalSince1970: 1_749_000_000))
        #expect(older.group.lastSeen == Date(timeIntervalSince1970: 1_750_000_100))
        #expect(older.group.timesSeen == 3)
    }

    @Test func emptyCulpritDoesNotBlankTheIssue() async throws {
        let test = try await TestEngine()
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id).json)
        let info = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, culprit: "").json).groupInfo)
        #expect(info.group.culprit == "api/123")
    }

    @Test func longCulpritIsTruncated() async throws {
        let test = try await TestEngine()
        let culprit = String(repeating: "c", count: 250)
        let group = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, culprit: culprit).json).groupInfo?.group)
        #expect(group.culprit.count == 200 && group.culprit.hasSuffix("..."))
    }

    @Test func categoryMismatchCreatesNoIssueButStoresTheOccurrence() async throws {
        let test = try await TestEngine()
        let error = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, type: 1).json).groupInfo)
        // Same fingerprint, feedback type: another category.
        let mismatch = await test.ingest(Messages.occurrence(projectID: test.project.id, type: 6001).json)
        #expect(mismatch.dropReason == .categoryMismatch)
        let group = try #require(try await test.engine.group(id: error.group.id))
        #expect(group.timesSeen == 1)
        #expect(try await test.rowCounts()["occurrence"] == 2)
    }

    @Test func sameCategoryOtherTypeJoinsTheIssue() async throws {
        let test = try await TestEngine()
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id, type: 1018).json)
        let info = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, type: 1017).json).groupInfo)
        #expect(info.group.timesSeen == 2 && info.group.type == 1018)
    }

    @Test func releaseAndEnvironmentAreAttached() async throws {
        let test = try await TestEngine()
        let message = Messages.occurrence(projectID: test.project.id, release: "test", environment: "some_env")
        let info = try #require(await test.ingest(message.json).groupInfo)
        #expect(info.isNew && info.isNewGroupEnvironment)
        let (release, environments) = try await test.store.read { [project = test.project] reader in
            (try reader.release(projectID: project.id, version: "test"), try reader.groupEnvironments(groupID: info.group.id))
        }
        #expect(release?.newGroups == 1)
        #expect(info.group.firstReleaseID == release?.id)
        #expect(environments.count == 1 && environments[0].firstReleaseID == release?.id)

        // The same issue in the same environment: not new there; in another environment: new there.
        let again = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, release: "test", environment: "some_env").json).groupInfo)
        #expect(!again.isNewGroupEnvironment)
        let elsewhere = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, environment: "prod").json).groupInfo)
        #expect(elsewhere.isNewGroupEnvironment && !elsewhere.isNew)
        let newGroups = try await test.store.read { [project = test.project] in try $0.release(projectID: project.id, version: "test")?.newGroups }
        #expect(newGroups == 1)
    }

    @Test func occurrenceWithoutEmbeddedEventUsesTheStoredEvent() async throws {
        let test = try await TestEngine()
        let first = Messages.occurrence(projectID: test.project.id, fingerprint: ["stored-event"])
        _ = await test.ingest(first.json)
        // A second occurrence of another type about the same (stored) event.
        let lookup = Messages.occurrence(
            projectID: test.project.id, fingerprint: ["slow-db"], type: 1018, eventID: first["event_id"]!.stringValue!, embedEvent: false)
        let info = try #require(await test.ingest(lookup.json).groupInfo)
        #expect(info.isNew && info.group.type == 1018)
        let event = try await test.engine.latestEvent(groupID: info.group.id)
        #expect(event?.eventID == first["event_id"]!.stringValue!)
    }

    @Test func unknownEventIsAnEventLookupErrorAndNothingIsStored() async throws {
        let test = try await TestEngine()
        let before = try await test.rowCounts()
        let result = await test.ingest(Messages.occurrence(projectID: test.project.id, embedEvent: false).json)
        #expect(result.messageError?.code == .eventNotFound)
        #expect(result.messageError?.field == "event_id")
        #expect(try await test.rowCounts() == before)
    }

    @Test func unknownProjectIsRefused() async throws {
        let test = try await TestEngine()
        let before = try await test.rowCounts()
        let result = await test.ingest(Messages.occurrence(projectID: 999).json)
        #expect(result.messageError?.code == .unknownProject)
        #expect(result.messageError?.field == "project_id")
        #expect(try await test.rowCounts() == before)
    }

    @Test func shortIDsCountPerProject() async throws {
        let test = try await TestEngine()
        let other = try await test.engine.ensureProject(organizationSlug: "acme", projectSlug: "frontend")
        var numbers: [Int64] = []
        for index in 0..<3 {
            numbers.append(try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["fp-\(index)"]).json).groupInfo?.group.shortID))
        }
        let first = try #require(await test.ingest(Messages.occurrence(projectID: other.id, fingerprint: ["fp-0"]).json).groupInfo)
        #expect(numbers == [1, 2, 3])
        #expect(first.group.shortID == 1 && first.isNew, "the same fingerprint in another project is another issue")
    }

    @Test func feedbackMetadataComesFromEvidence() async throws {
        let test = try await TestEngine()
        var message = Messages.occurrence(projectID: test.project.id, type: 6001)
        message["evidence_data"] = ["contact_email": "test@test.com", "message": "it broke", "name": "Test Name", "source": "api", "associated_event_id": ""]
        let group = try #require(await test.ingest(message.json).groupInfo?.group)
        #expect(group.metadata["contact_email"] == "test@test.com")
        #expect(group.metadata["message"] == "it broke")
        #expect(group.metadata["name"] == "Test Name")
        #expect(group.metadata["source"] == "api")
        #expect(group.metadata["associated_event_id"] == nil, "falsy associated_event_id is left out")
    }

    @Test func sdkNameLandsInMetadata() async throws {
        let test = try await TestEngine()
        var message = Messages.occurrence(projectID: test.project.id)
        var event = message["event"]!.objectValue!
        event["sdk"] = ["name": "sentry.javascript.nextjs", "version": "8.0.0"]
        message["event"] = .object(event)
        let group = try #require(await test.ingest(message.json).groupInfo?.group)
        #expect(group.metadata["sdk"]?["name"] == "sentry.javascript.nextjs")
    }

    @Test func assigneeIsKeptOnCreation() async throws {
        let test = try await TestEngine()
        var message = Messages.occurrence(projectID: test.project.id)
        message["assignee"] = "team:7"
        let group = try #require(await test.ingest(message.json).groupInfo?.group)
        #expect(group.assignee == "team:7")
        var malformed = Messages.occurrence(projectID: test.project.id, fingerprint: ["other"])
        malformed["assignee"] = "someone"
        #expect(try #require(await test.ingest(malformed.json).groupInfo?.group).assignee == nil)
    }

    @Test func bulkyEventMembersAreStoredVerbatim() async throws {
        let test = try await TestEngine()
        var message = Messages.occurrence(projectID: test.project.id)
        var event = message["event"]!.objectValue!
        event["stacktrace"] = ["frames": [["function": "charge", "lineno": 42, "vars": ["amount": 9.5, "note": "caf\u{e9} \"x\""]]]]
        event["breadcrumbs"] = .null
        event["extra"] = ["nested": [[], [:], [true, false, nil]]]
        message["event"] = .object(event)

        let decoded = try MessageDecoder().decode(message.json.serialized())
        guard case .occurrence(_, let inMemory?) = decoded.payload else {
            Issue.record("no event decoded")
            return
        }
        #expect(inMemory.data["stacktrace"] == nil, "not parsed on the ingest path")

        let info = try #require(await test.ingest(message.json).groupInfo)
        let stored = try #require(try await test.engine.latestEvent(groupID: info.group.id))
        #expect(stored.data["stacktrace"] == event["stacktrace"])
        #expect(stored.data["extra"] == event["extra"])
        #expect(stored.data["breadcrumbs"] == nil, "a null member is left out")
        #expect(stored.data["metadata"]?["title"] == "something bad happened")
    }

    @Test func invalidBulkyMembersAreRefused() async throws {
        let test = try await TestEngine()
        let eventID = Messages.newID()
        let text = """
            {"id": "\(Messages.newID())", "project_id": \(test.project.id), "fingerprint": ["x"], "issue_title": "t", "subtitle": "s",
             "type": 1, "detection_time": 1750000000, "event": {"event_id": "\(eventID)", "project_id": \(test.project.id),
             "platform": "python", "timestamp": 1750000000, "stacktrace": {"frames": [1, 2,]}}}
            """
        let before = try await test.rowCounts()
        let result = await test.engine.ingest(Data(text.utf8))
        #expect(result.messageError?.code == .notJSON)
        #expect(try await test.rowCounts() == before)
    }
}
