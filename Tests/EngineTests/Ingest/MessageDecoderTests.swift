import Engine
import Foundation
import Testing

/// Validation and normalization of `ingest-occurrences` messages (Sentry's `_get_kwargs`,
/// reference sections 3.1, 3.2 and the acceptance cases of `test_occurrence_consumer.py`).
struct MessageDecoderTests {
    let projectID: Int64 = 1
    let decoder = MessageDecoder()

    // MARK: Valid occurrences

    @Test func validOccurrenceIsNormalized() throws {
        let id = UUID()
        let eventID = UUID()
        // The id upper-case and dashed (Swift's spelling), the event id lower-case and dashed.
        let message = Messages.occurrence(
            projectID: projectID, fingerprint: ["hi", "bye"], id: id.uuidString, eventID: eventID.uuidString.lowercased())

        let decoded = try decoder.decode(message.json)
        let occurrence = try #require(decoded.occurrence)

        #expect(occurrence.id == id.uuidString.lowercased().replacingOccurrences(of: "-", with: ""))
        #expect(occurrence.eventID == eventID.uuidString.lowercased().replacingOccurrences(of: "-", with: ""))
        #expect(occurrence.id.count == 32 && occurrence.id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(decoded.id == occurrence.id)
        #expect(decoded.projectID == projectID)

        // md5("hi"), md5("bye"), checked with `printf hi | md5sum`.
        #expect(occurrence.fingerprint == ["49f68a5c8493ec2c0bf489821c21fc3b", "bfa99df33b137bc8fb5f5407d7e58da8"])
        #expect(occurrence.fingerprint == Fingerprint.hash(["hi", "bye"]))
        #expect(decoded.rawFingerprint == ["hi", "bye"])
        #expect(decoded.groupKey == "hi")
        #expect(decoded.partitionKey == "hi-1")
        #expect(!decoded.isStatusChange)

        #expect(occurrence.projectID == projectID)
        #expect(occurrence.issueTitle == "something bad happened")
        #expect(occurrence.subtitle == "it was bad")
        #expect(occurrence.resourceID == "1234")
        #expect(occurrence.evidenceData == ["Test": 123])
        #expect(
            occurrence.evidenceDisplay == [
                IssueEvidence(name: "hi", value: "bye", important: true),
                IssueEvidence(name: "what", value: "where", important: false),
            ])
        #expect(occurrence.importantEvidence?.name == "hi")
        #expect(occurrence.type == 1)
        #expect(occurrence.detectionTime == Date(timeIntervalSince1970: 1_750_000_000))
        #expect(occurrence.level == .warning)
        #expect(occurrence.culprit == "api/123")
        #expect(occurrence.priority == nil)
        #expect(occurrence.assignee == nil)
    }

    @Test func fingerprintHashesMatchMD5() {
        #expect(Fingerprint.hash("hi") == "49f68a5c8493ec2c0bf489821c21fc3b")
        #expect(Fingerprint.hash("bye") == "bfa99df33b137bc8fb5f5407d7e58da8")
        #expect(Fingerprint.hash("") == "d41d8cd98f00b204e9800998ecf8427e")
    }

    @Test func partitionKeyUsesRawFirstFingerprintPartAndProject() throws {
        var message = Messages.occurrence(projectID: 42, fingerprint: ["touch-id", "other"])
        message["type"] = 2001
        let decoded = try decoder.decode(message.json)
        #expect(decoded.groupKey == "touch-id")
        #expect(decoded.partitionKey == "touch-id-42")
        #expect(decoded.projectID == 42)
    }

    @Test func levelDefaultsToInfoWhenMissingOrNull() throws {
        var missing = Messages.occurrence(projectID: projectID)
        missing["level"] = nil
        let fromMissing = try decoder.decode(missing.json)
        #expect(fromMissing.occurrence?.level == .info)
        #expect(fromMissing.event?.level == .info)

        var null = Messages.occurrence(projectID: projectID)
        null["level"] = .null
        let fromNull = try decoder.decode(null.json)
        #expect(fromNull.occurrence?.level == .info)
        #expect(fromNull.event?.level == .info)

        var error = Messages.occurrence(projectID: projectID)
        error["level"] = "error"
        #expect(try decoder.decode(error.json).occurrence?.level == .error)
    }

    @Test func culpritDefaultsToEmpty() throws {
        var missing = Messages.occurrence(projectID: projectID)
        missing["culprit"] = nil
        #expect(try decoder.decode(missing.json).occurrence?.culprit == "")

        var null = Messages.occurrence(projectID: projectID)
        null["culprit"] = .null
        #expect(try decoder.decode(null.json).occurrence?.culprit == "")

        var given = Messages.occurrence(projectID: projectID)
        given["culprit"] = "i did it"
        #expect(try decoder.decode(given.json).occurrence?.culprit == "i did it")
    }

    @Test func priorityWinsOverInitialIssuePriority() throws {
        var both = Messages.occurrence(projectID: projectID)
        both["priority"] = 75
        both["initial_issue_priority"] = 25
        #expect(try decoder.decode(both.json).occurrence?.priority == .high)

        var initialOnly = Messages.occurrence(projectID: projectID)
        initialOnly["initial_issue_priority"] = 50
        #expect(try decoder.decode(initialOnly.json).occurrence?.priority == .medium)

        var nullPriority = Messages.occurrence(projectID: projectID)
        nullPriority["priority"] = .null
        nullPriority["initial_issue_priority"] = 75
        #expect(try decoder.decode(nullPriority.json).occurrence?.priority == .high)

        var neither = Messages.occurrence(projectID: projectID)
        neither["initial_issue_priority"] = .null
        #expect(try decoder.decode(neither.json).occurrence?.priority == nil)
    }

    @Test func missingPayloadTypeIsAnOccurrence() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["payload_type"] = nil
        let decoded = try decoder.decode(message.json)
        #expect(decoded.occurrence != nil)
        #expect(!decoded.isStatusChange)

        message["payload_type"] = .null
        #expect(try decoder.decode(message.json).occurrence != nil)
    }

    @Test func eventIDWithoutEmbeddedEventRefersToStoredEvent() throws {
        let eventID = Messages.newID()
        let message = Messages.occurrence(projectID: projectID, eventID: eventID, embedEvent: false)
        let decoded = try decoder.decode(message.json)
        #expect(decoded.occurrence?.eventID == eventID)
        #expect(decoded.hasEmbeddedEvent == false)
    }

    @Test func decodesFromJSONBytes() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let clocked = MessageDecoder(now: { now })
        let message = Messages.occurrence(projectID: projectID, fingerprint: ["hi"])
        let decoded = try clocked.decode(message.json.serialized())
        #expect(decoded == (try clocked.decode(message.json)))
        #expect(decoded.rawFingerprint == ["hi"])
    }

    // MARK: Embedded events

    @Test func embeddedEventKeepsOnlyAllowedKeys() throws {
        let eventID = Messages.newID()
        var message = Messages.occurrence(projectID: projectID, eventID: eventID, embedEvent: false)
        message["event"] =
            Messages.event(
                id: eventID, projectID: projectID, release: "1.0", environment: "prod",
                extra: [
                    "foo": "bar", "contexts": ["os": ["name": "Linux"]], "user": ["id": "42", "email": "a@example.com"],
                    "stacktrace": .null,
                ]
            ).json

        let decoded = try decoder.decode(message.json)
        let occurrence = try #require(decoded.occurrence)
        let event = try #require(decoded.event)

        #expect(event.data["foo"] == nil)
        #expect(event.data["stacktrace"] == nil)
        #expect(event.data["contexts"] == ["os": ["name": "Linux"]])
        #expect(event.data["user"] == ["id": "42", "email": "a@example.com"])
        #expect(event.data["release"] == "1.0")
        #expect(event.data["environment"] == "prod")
        #expect(Set(event.data.keys) == ["contexts", "user", "release", "environment", "metadata"])
        #expect(event.user?["id"] == "42")

        #expect(event.data["metadata"] == ["title": "something bad happened"])
        #expect(event.data["metadata"]?["title"] == .string(occurrence.issueTitle))
        #expect(event.level == occurrence.level)
        #expect(event.level == .warning)
        #expect(event.eventID == eventID)
        #expect(event.projectID == projectID)
        #expect(event.platform == "python")
        #expect(event.release == "1.0")
        #expect(event.environment == "prod")
        #expect(event.tags.isEmpty)
    }

    @Test func onlyEmbeddedEventIDGivesTheOccurrenceEventID() throws {
        let eventID = Messages.newID()
        var message = Messages.occurrence(projectID: projectID, eventID: eventID)
        message["event_id"] = nil
        let decoded = try decoder.decode(message.json)
        #expect(decoded.occurrence?.eventID == eventID)
        #expect(decoded.event?.eventID == eventID)

        // A dashed id in the event alone is normalized in both places.
        let dashed = UUID()
        let normalized = dashed.uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        var dashedMessage = Messages.occurrence(projectID: projectID, eventID: dashed.uuidString)
        dashedMessage["event_id"] = nil
        let dashedDecoded = try decoder.decode(dashedMessage.json)
        #expect(dashedDecoded.occurrence?.eventID == normalized)
        #expect(dashedDecoded.event?.eventID == normalized)
    }

    @Test func emptyPayloadEventIDCountsAsAbsent() throws {
        let eventID = Messages.newID()
        var message = Messages.occurrence(projectID: projectID, eventID: eventID)
        message["event_id"] = ""
        #expect(try decoder.decode(message.json).occurrence?.eventID == eventID)
    }

    @Test func numericTimestampIsAccepted() throws {
        let double = message(editingEvent: { $0["timestamp"] = 1_717_712_581.5 })
        #expect(try decoder.decode(double).event?.timestamp == Date(timeIntervalSince1970: 1_717_712_581.5))

        let integer = message(editingEvent: { $0["timestamp"] = 1_717_712_581 })
        #expect(try decoder.decode(integer).event?.timestamp == Date(timeIntervalSince1970: 1_717_712_581))
    }

    @Test func isoTimestampOffsetIsHonoured() throws {
        // 22:43:01.5 at +02:00 is 20:43:01.5 UTC (python: datetime.fromisoformat(...).timestamp()).
        let withOffset = message(editingEvent: { $0["timestamp"] = "2024-06-06T22:43:01.500000+02:00" })
        #expect(try decoder.decode(withOffset).event?.timestamp == Date(timeIntervalSince1970: 1_717_706_581.5))

        let utc = message(editingEvent: { $0["timestamp"] = "2024-06-06T20:43:01.500000Z" })
        #expect(try decoder.decode(utc).event?.timestamp == Date(timeIntervalSince1970: 1_717_706_581.5))

        let noOffset = message(editingEvent: { $0["timestamp"] = "2024-06-06T20:43:01.5" })
        #expect(try decoder.decode(noOffset).event?.timestamp == Date(timeIntervalSince1970: 1_717_706_581.5))

        var detection = Messages.occurrence(projectID: projectID)
        detection["detection_time"] = "2024-06-06T22:43:01+02:00"
        #expect(try decoder.decode(detection.json).occurrence?.detectionTime == Date(timeIntervalSince1970: 1_717_706_581))
    }

    @Test func receivedDefaultsToTheDecoderClock() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let clocked = MessageDecoder(now: { now })
        #expect(try clocked.decode(message(editingEvent: { _ in })).event?.received == now)

        let given = message(editingEvent: { $0["received"] = 1_750_000_100 })
        #expect(try clocked.decode(given).event?.received == Date(timeIntervalSince1970: 1_750_000_100))
    }

    @Test func tagsAsObject() throws {
        let decoded = try decoder.decode(message(editingEvent: { $0["tags"] = ["server": "web-1", "attempt": 3, "retry": true] }))
        let event = try #require(decoded.event)
        // Object members come out sorted by key; scalars become strings.
        #expect(event.tags == [EventTag("attempt", "3"), EventTag("retry", "True"), EventTag("server", "web-1")])
        #expect(event.tag("server") == "web-1")
    }

    @Test func tagsAsListOfPairs() throws {
        let decoded = try decoder.decode(message(editingEvent: { $0["tags"] = [["server", "web-1"], ["attempt", 3], ["a", "b"]] }))
        let event = try #require(decoded.event)
        // Pairs keep their order.
        #expect(event.tags == [EventTag("server", "web-1"), EventTag("attempt", "3"), EventTag("a", "b")])
    }

    @Test func missingOrNullTagsAreEmpty() throws {
        let missing = try decoder.decode(message(editingEvent: { $0["tags"] = nil }))
        #expect(missing.event?.tags == [])
        let null = try decoder.decode(message(editingEvent: { $0["tags"] = .null }))
        #expect(null.event?.tags == [])
    }

    @Test(arguments: [
        JSONValue.object([:]), .null, ["images": []], ["images": .null], ["images": [.object([:])]],
    ])
    func debugMetaVariantsAreAccepted(_ debugMeta: JSONValue) throws {
        let decoded = try decoder.decode(message(editingEvent: { $0["debug_meta"] = debugMeta }))
        let event = try #require(decoded.event)
        #expect(event.data["debug_meta"] == (debugMeta.isNull ? JSONValue?.none : debugMeta))
    }

    // MARK: Refused occurrences

    @Test func missingIDIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["id"] = nil
        try expectRefusal(message.json, .missingField, field: "id")
    }

    @Test func nonUUIDIDIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["id"] = "hi"
        try expectRefusal(message.json, .invalidValue, field: "id")
    }

    @Test func nonUUIDEventIDIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["event_id"] = "hi"
        try expectRefusal(message.json, .invalidValue, field: "event_id")

        // Without an embedded event too ("id1" with no event.event_id).
        var withoutEvent = Messages.occurrence(projectID: projectID, embedEvent: false)
        withoutEvent["event_id"] = "id1"
        try expectRefusal(withoutEvent.json, .invalidValue, field: "event_id")
    }

    @Test func nonUUIDEmbeddedEventIDIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID, eventID: "hi", embedEvent: false)
        message["event_id"] = nil
        message["event"] = Messages.event(id: "hi", projectID: projectID).json
        try expectRefusal(message.json, .invalidValue, field: "event.event_id")
    }

    @Test func missingProjectIDIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["project_id"] = nil
        try expectRefusal(message.json, .missingField, field: "project_id")
    }

    @Test func stringProjectIDIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["project_id"] = "p_id"
        try expectRefusal(message.json, .wrongType, field: "project_id")
    }

    @Test func unregisteredTypeIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["type"] = 300
        try expectRefusal(message.json, .unknownGroupType, field: "type")
    }

    @Test func missingFingerprintIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["fingerprint"] = nil
        try expectRefusal(message.json, .missingField, field: "fingerprint")
    }

    @Test func emptyFingerprintIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["fingerprint"] = []
        try expectRefusal(message.json, .invalidValue, field: "fingerprint")
    }

    @Test func stringFingerprintIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["fingerprint"] = "abc"
        try expectRefusal(message.json, .wrongType, field: "fingerprint")
    }

    @Test func nonStringFingerprintPartIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["fingerprint"] = ["a", 3]
        try expectRefusal(message.json, .wrongType, field: "fingerprint[1]")
    }

    @Test func missingIssueTitleIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["issue_title"] = nil
        try expectRefusal(message.json, .missingField, field: "issue_title")
    }

    @Test func missingSubtitleIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["subtitle"] = nil
        try expectRefusal(message.json, .missingField, field: "subtitle")
    }

    @Test func missingDetectionTimeIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["detection_time"] = nil
        try expectRefusal(message.json, .missingField, field: "detection_time")
    }

    @Test func unparseableDetectionTimeIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["detection_time"] = "yesterday"
        try expectRefusal(message.json, .invalidValue, field: "detection_time")
    }

    @Test func unknownLevelIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["level"] = "loud"
        try expectRefusal(message.json, .invalidValue, field: "level")
    }

    @Test func unknownPriorityIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["priority"] = 42
        try expectRefusal(message.json, .invalidValue, field: "priority")

        var initial = Messages.occurrence(projectID: projectID)
        initial["initial_issue_priority"] = 42
        try expectRefusal(initial.json, .invalidValue, field: "initial_issue_priority")
    }

    @Test func evidenceDisplayThatIsNotAListIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["evidence_display"] = ["name": "hi", "value": "bye", "important": true]
        try expectRefusal(message.json, .wrongType, field: "evidence_display")
    }

    @Test func evidenceRowWithoutImportantIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["evidence_display"] = [["name": "hi", "value": "bye"]]
        try expectRefusal(message.json, .missingField, field: "evidence_display[0].important")
    }

    @Test func embeddedEventWithoutProjectIDIsRefused() throws {
        try expectRefusal(message(editingEvent: { $0["project_id"] = nil }), .missingField, field: "event.project_id")
    }

    @Test func embeddedEventOfAnotherProjectIsRefused() throws {
        try expectRefusal(message(editingEvent: { $0["project_id"] = 2 }), .mismatch, field: "event.project_id")
    }

    @Test func differentEventIDsAreRefused() throws {
        var message = Messages.occurrence(projectID: projectID, eventID: Messages.newID(), embedEvent: false)
        message["event"] = Messages.event(id: Messages.newID(), projectID: projectID).json
        try expectRefusal(message.json, .mismatch, field: "event_id")
    }

    @Test func embeddedEventWithoutTimestampIsRefused() throws {
        try expectRefusal(message(editingEvent: { $0["timestamp"] = nil }), .missingField, field: "event.timestamp")
        try expectRefusal(message(editingEvent: { $0["timestamp"] = .null }), .missingField, field: "event.timestamp")
        try expectRefusal(message(editingEvent: { $0["timestamp"] = "soon" }), .invalidValue, field: "event.timestamp")
    }

    @Test func embeddedEventWithoutPlatformIsRefused() throws {
        try expectRefusal(message(editingEvent: { $0["platform"] = nil }), .missingField, field: "event.platform")
    }

    @Test func numericPlatformIsRefused() throws {
        try expectRefusal(message(editingEvent: { $0["platform"] = 0 }), .wrongType, field: "event.platform")
    }

    @Test func stringTagsAreRefused() throws {
        try expectRefusal(message(editingEvent: { $0["tags"] = "tagged" }), .wrongType, field: "event.tags")
    }

    @Test func eventThatIsNotAnObjectIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["event"] = "event"
        try expectRefusal(message.json, .wrongType, field: "event")
    }

    @Test func neitherEventIDNorEventIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID, embedEvent: false)
        message["event_id"] = nil
        try expectRefusal(message.json, .missingField, field: "event_id")
    }

    @Test func embeddedEventWithoutAnyEventIDIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["event_id"] = nil
        let event = Messages.event(id: Messages.newID(), projectID: projectID).filter { $0.key != "event_id" }
        message["event"] = event.json
        try expectRefusal(message.json, .missingField, field: "event_id")
    }

    @Test func unknownPayloadTypeIsRefused() throws {
        var message = Messages.occurrence(projectID: projectID)
        message["payload_type"] = "invalid"
        try expectRefusal(message.json, .invalidValue, field: "payload_type")
    }

    @Test func nonObjectMessageIsRefused() throws {
        try expectRefusal([Messages.occurrence(projectID: projectID).json], .notJSON, field: "")
        try expectRefusal("occurrence", .notJSON, field: "")
        try expectRefusal(.null, .notJSON, field: "")
    }

    @Test func nonJSONBytesAreRefused() throws {
        for text in ["this is not json", "{\"id\": ", ""] {
            let error = try #require(refusal(of: Data(text.utf8)), "\(text) was accepted")
            #expect(error.code == .notJSON, "\(text)")
            #expect(error.field == "", "\(text)")
        }
    }

    // MARK: Status changes

    @Test func statusChangeIsDecoded() throws {
        let id = UUID()
        let message = Messages.statusChange(
            projectID: projectID, fingerprint: ["hi", "bye"], status: .resolved, substatus: nil, id: id.uuidString)
        let decoded = try decoder.decode(message.json)
        let change = try #require(decoded.statusChange)

        #expect(decoded.isStatusChange)
        #expect(change.id == id.uuidString.lowercased().replacingOccurrences(of: "-", with: ""))
        #expect(change.projectID == projectID)
        #expect(change.fingerprint == ["49f68a5c8493ec2c0bf489821c21fc3b", "bfa99df33b137bc8fb5f5407d7e58da8"])
        #expect(change.newStatus == GroupStatus.resolved.rawValue)
        #expect(change.newSubstatus == nil)
        #expect(change.resolution == nil)
        #expect(decoded.rawFingerprint == ["hi", "bye"])
        #expect(decoded.groupKey == "hi")
        #expect(decoded.partitionKey == "hi-1")
    }

    @Test func statusChangeWithSubstatus() throws {
        let message = Messages.statusChange(projectID: projectID, status: .ignored, substatus: .forever)
        let change = try #require(try decoder.decode(message.json).statusChange)
        #expect(change.newStatus == GroupStatus.ignored.rawValue)
        #expect(change.newSubstatus == GroupSubstatus.forever.rawValue)
    }

    @Test func statusChangeSubstatusMayBeNullOrMissing() throws {
        var message = Messages.statusChange(projectID: projectID, status: .resolved, substatus: nil)
        #expect(message["new_substatus"] == .null)
        #expect(try decoder.decode(message.json).statusChange?.newSubstatus == nil)
        message["new_substatus"] = nil
        #expect(try decoder.decode(message.json).statusChange?.newSubstatus == nil)
    }

    @Test func statusChangeWithoutNewStatusIsRefused() throws {
        var message = Messages.statusChange(projectID: projectID, status: .resolved, substatus: nil)
        message["new_status"] = nil
        try expectRefusal(message.json, .missingField, field: "new_status")
    }

    @Test func statusChangeWithUnknownStatusIsRefused() throws {
        var message = Messages.statusChange(projectID: projectID, status: .resolved, substatus: nil)
        message["new_status"] = 42
        try expectRefusal(message.json, .invalidValue, field: "new_status")
    }

    @Test func statusChangeWithUnknownSubstatusIsRefused() throws {
        var message = Messages.statusChange(projectID: projectID, status: .ignored, substatus: .forever)
        message["new_substatus"] = 42
        try expectRefusal(message.json, .invalidValue, field: "new_substatus")
    }

    @Test func statusChangeWithoutIDGetsAGeneratedOne() throws {
        var message = Messages.statusChange(projectID: projectID, status: .resolved, substatus: nil)
        message["id"] = nil
        let first = try #require(try decoder.decode(message.json).statusChange)
        let second = try #require(try decoder.decode(message.json).statusChange)
        for id in [first.id, second.id] {
            #expect(id.count == 32)
            #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        #expect(first.id != second.id)
    }

    @Test func statusChangeWithEmptyFingerprintIsRefused() throws {
        var message = Messages.statusChange(projectID: projectID, status: .resolved, substatus: nil)
        message["fingerprint"] = []
        try expectRefusal(message.json, .invalidValue, field: "fingerprint")
    }

    @Test func statusChangeWithBadIDIsRefused() throws {
        var message = Messages.statusChange(projectID: projectID, status: .resolved, substatus: nil)
        message["id"] = "hi"
        try expectRefusal(message.json, .invalidValue, field: "id")
    }

    // MARK: End to end

    @Test func refusedMessagesStoreNothing() async throws {
        let test = try await TestEngine()
        let project = test.project.id
        let before = try await test.rowCounts()

        var missingID = Messages.occurrence(projectID: project)
        missingID["id"] = nil
        var emptyFingerprint = Messages.occurrence(projectID: project)
        emptyFingerprint["fingerprint"] = []
        var unknownType = Messages.occurrence(projectID: project)
        unknownType["type"] = 300
        var otherProjectEvent = Messages.occurrence(projectID: project, embedEvent: false)
        otherProjectEvent["event"] = Messages.event(id: otherProjectEvent["event_id"]?.stringValue ?? "", projectID: project + 1).json
        var noPlatform = Messages.occurrence(projectID: project, embedEvent: false)
        var platformless = Messages.event(id: noPlatform["event_id"]?.stringValue ?? "", projectID: project)
        platformless["platform"] = nil
        noPlatform["event"] = platformless.json
        var badPart = Messages.occurrence(projectID: project)
        badPart["fingerprint"] = ["a", 3]
        var noStatus = Messages.statusChange(projectID: project, status: .resolved, substatus: nil)
        noStatus["new_status"] = nil

        let cases: [(JSONValue, MessageError.Code, String)] = [
            (missingID.json, .missingField, "id"),
            (emptyFingerprint.json, .invalidValue, "fingerprint"),
            (unknownType.json, .unknownGroupType, "type"),
            (otherProjectEvent.json, .mismatch, "event.project_id"),
            (noPlatform.json, .missingField, "event.platform"),
            (badPart.json, .wrongType, "fingerprint[1]"),
            (noStatus.json, .missingField, "new_status"),
            // Valid, but for a project that does not exist.
            (Messages.occurrence(projectID: project + 1000).json, .unknownProject, "project_id"),
        ]
        for (message, code, field) in cases {
            let result = await test.ingest(message)
            let error = try #require(result.messageError, "\(field): \(result.outcome)")
            #expect(error.code == code, "\(field): \(error)")
            #expect(error.field == field, "\(error)")
        }
        let notJSON = await test.engine.ingest(Data("not json at all".utf8))
        #expect(notJSON.messageError?.code == .notJSON)
        #expect(notJSON.messageError?.field == "")

        #expect(try await test.rowCounts() == before)

        // The counts do move for a valid message, so the comparison above means something.
        let valid = await test.ingest(Messages.occurrence(projectID: project).json)
        #expect(valid.groupInfo != nil, "\(valid.outcome)")
        #expect(try await test.rowCounts() != before)
    }

    // MARK: Helpers

    /// An occurrence message whose embedded event (with the same event id) was changed by `edit`.
    private func message(editingEvent edit: (inout [String: JSONValue]) -> Void) -> JSONValue {
        let eventID = Messages.newID()
        var event = Messages.event(id: eventID, projectID: projectID)
        edit(&event)
        var message = Messages.occurrence(projectID: projectID, eventID: eventID, embedEvent: false)
        message["event"] = event.json
        return message.json
    }

    /// The error decoding `value` throws, or `nil` if it decodes.
    private func refusal(of value: JSONValue) -> MessageError? {
        do {
            _ = try decoder.decode(value)
            return nil
        } catch {
            return error
        }
    }

    /// The error decoding `data` throws, or `nil` if it decodes.
    private func refusal(of data: Data) -> MessageError? {
        do {
            _ = try decoder.decode(data)
            return nil
        } catch {
            return error
        }
    }

    /// Expects `value` to be refused with `code` for `field`, both from the parsed value and from its JSON bytes.
    private func expectRefusal(
        _ value: JSONValue, _ code: MessageError.Code, field: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let error = try #require(refusal(of: value), "the message was accepted", sourceLocation: sourceLocation)
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.reason.isEmpty, sourceLocation: sourceLocation)
        #expect(refusal(of: value.serialized()) == error, sourceLocation: sourceLocation)
    }
}

extension IngestMessage {
    /// The occurrence, when this is one.
    fileprivate var occurrence: IssueOccurrence? {
        if case .occurrence(let occurrence, _) = payload { return occurrence }
        return nil
    }

    /// The embedded event, when this is an occurrence that has one.
    fileprivate var event: Event? {
        if case .occurrence(_, let event) = payload { return event }
        return nil
    }

    /// Whether this is an occurrence with an embedded event.
    fileprivate var hasEmbeddedEvent: Bool { event != nil }

    /// The status change, when this is one.
    fileprivate var statusChange: StatusChange? {
        if case .statusChange(let change) = payload { return change }
        return nil
    }
}
