import Engine
import Foundation
import Testing

/// Envelopes and store events through the engine: error events to issues, feedback and user
/// reports to feedback issues, other items counted, limits, and what is stored for the rest of
/// the pipeline.
struct SDKIngestTests {
    private func group(_ test: TestEngine, _ result: SDKItemResult) async throws -> Group {
        let groupID = try #require(result.groupID, "\(result.outcome)")
        return try #require(try await test.engine.group(id: groupID))
    }

    private func event(_ test: TestEngine, _ result: SDKItemResult) async throws -> Event {
        let projectID = test.project.id
        let eventID = try #require(result.eventID)
        return try #require(try await test.store.read { try $0.event(projectID: projectID, eventID: eventID) })
    }

    @Test func capturedPythonEnvelopeBecomesAnErrorIssue() async throws {
        let test = try await TestEngine()
        let result = try await test.engine.ingestEnvelope(try SDKFixtures.data("python-exception.envelope"), projectID: test.project.id)

        #expect(result.eventID == "6ea6a4ad0d0a4f0c9b0e5e3b9fd5a2c1")
        #expect(result.countsByType == ["event": 1, "client_report": 1])
        #expect(result.failures.isEmpty)
        #expect(result.items[1].outcome == .ignored)
        let item = result.items[0]
        let groupID = try #require(item.groupID)
        #expect(item.outcome == .issue(groupID: groupID, isNew: true))
        #expect(item.eventID == "6ea6a4ad0d0a4f0c9b0e5e3b9fd5a2c1")

        let group = try await self.group(test, item)
        #expect(group.type == GroupType.error.id)
        #expect(group.title == "ValueError: could not load the user for order 1842")
        #expect(group.culprit == "/checkout/{order_id}")
        #expect(group.level == .error)
        #expect(group.priority == .medium)
        #expect(group.platform == "python")
        #expect(group.metadata["value"] == "could not load the user for order 1842")
        #expect(group.metadata["sdk"]?["name"] == "sentry.python.django")

        let event = try await self.event(test, item)
        #expect(event.timestamp == Timestamp.parse("2025-06-15T15:06:30.123456Z"))
        #expect(event.platform == "python")
        #expect(event.release == "shop@2.4.1" && event.environment == "production")
        #expect(event.user == ["id": "17", "email": "ana@example.com"], "the {{auto}} address placeholder is dropped, the id is text")
        #expect(event.data["sdk"] == ["name": "sentry.python.django", "version": "2.5.1"])
        #expect(event.data["transaction"] == "/checkout/{order_id}")
        #expect(event.data["exception"]?["values"]?.arrayValue?.count == 2, "the exception is stored as sent")
        #expect(event.data["breadcrumbs"]?["values"]?.arrayValue?.count == 1)
        #expect(event.data["request"]?["url"] == "https://shop.example.com/checkout/1842")
        #expect(event.data["contexts"]?["runtime"]?["name"] == "CPython")
        #expect(event.data["fingerprint"] == nil)
        #expect(
            event.tags == [
                EventTag("plan", "pro"), EventTag("runtime", "CPython 3.12.3"), EventTag("runtime.name", "CPython"),
                EventTag("server_name", "web-1"), EventTag("transaction", "/checkout/{order_id}"),
                EventTag("url", "https://shop.example.com/checkout/1842"), EventTag("handled", "no"), EventTag("mechanism", "django"),
            ])
        let projectID = test.project.id
        let occurrence = try #require(try await test.store.read { try $0.occurrence(projectID: projectID, id: "6ea6a4ad0d0a4f0c9b0e5e3b9fd5a2c1") })
        #expect(occurrence.evidenceData["grouping"] == "exception")
        #expect(occurrence.evidenceDisplay == [IssueEvidence(name: "value", value: "could not load the user for order 1842", important: true)])
    }

    @Test func occurrencesOfOneErrorJoinItsIssue() async throws {
        let test = try await TestEngine()
        let first = try await test.envelope([.init("event", json: SDKFixtures.exceptionEvent(line: 88, path: "/srv/a/shop/views.py"))])
        let second = try await test.envelope([.init("event", json: SDKFixtures.exceptionEvent(line: 90, path: "/srv/b/shop/views.py"))])
        let other = try await test.envelope([.init("event", json: SDKFixtures.exceptionEvent(type: "KeyError"))])
        let groupID = try #require(first.items[0].groupID)
        #expect(first.items[0].outcome == .issue(groupID: groupID, isNew: true))
        #expect(second.items[0].outcome == .issue(groupID: groupID, isNew: false))
        #expect(other.items[0].groupID != first.items[0].groupID)
        #expect(try await self.group(test, second.items[0]).timesSeen == 2)
    }

    @Test func loggingMessagesGroupByFormatString() async throws {
        let test = try await TestEngine()
        var event = try SDKFixtures.object("python-logging-event.json")
        let first = await test.storeEvent(event)
        #expect(first.eventID == "0f1e2d3c4b5a49788796a5b4c3d2e1f0")
        let group = try await self.group(test, first)
        #expect(group.title == "Payment for order 1842 failed: card declined")
        #expect(group.culprit.isEmpty)

        event["event_id"] = .string(SDKFixtures.newEventID())
        event["logentry"] = ["message": "Payment for order %s failed: %s", "params": ["77", "insufficient funds"]]
        let second = await test.storeEvent(event)
        #expect(second.groupID == first.groupID && second.groupID != nil)
        #expect(try await self.group(test, second).title == "Payment for order 77 failed: insufficient funds", "the latest title wins, as in Sentry")
        let stored = try await self.event(test, first)
        #expect(stored.message == "Payment for order 1842 failed: card declined")
        #expect(stored.data["logentry"]?["message"] == "Payment for order %s failed: %s")
        #expect(stored.tag("logger") == "shop.payments")
    }

    @Test func levelsSetPriority() async throws {
        let test = try await TestEngine()
        func priority(_ level: String) async throws -> PriorityLevel {
            let result = await test.storeEvent(["message": .string("level \(level) \(UUID().uuidString)"), "level": .string(level)])
            return try await self.group(test, result).priority
        }
        #expect(try await priority("info") == .low)
        #expect(try await priority("debug") == .low)
        #expect(try await priority("warning") == .medium)
        #expect(try await priority("error") == .medium)
        #expect(try await priority("fatal") == .high)
        let unleveled = await test.storeEvent(["message": "no level"])
        #expect(try await self.group(test, unleveled).level == .error, "events default to error")
    }

    @Test func feedbackItemBecomesAFeedbackIssueLinkedToItsEvent() async throws {
        let test = try await TestEngine()
        let error = try await test.engine.ingestEnvelope(try SDKFixtures.data("python-exception.envelope"), projectID: test.project.id)
        let feedbackEvent = try SDKFixtures.object("python-feedback-event.json")
        let result = try await test.envelope(
            header: ["event_id": "a1b2c3d4e5f64789a0b1c2d3e4f5a6b7"], [.init("feedback", json: feedbackEvent)])

        let item = result.items[0]
        #expect(result.eventID == "a1b2c3d4e5f64789a0b1c2d3e4f5a6b7")
        #expect(item.eventID == "a1b2c3d4e5f64789a0b1c2d3e4f5a6b7", "the SDK's event id is kept")
        #expect(item.linkedGroupID == error.items[0].groupID && item.linkedGroupID != nil)
        let group = try await self.group(test, item)
        #expect(group.type == GroupType.feedback.id)
        #expect(group.title == "User Feedback: The checkout button does nothing when I press it.")
        #expect(group.metadata["contact_email"] == "ana@example.com")
        #expect(group.metadata["name"] == "Ana Silva")
        #expect(group.metadata["source"] == "new_feedback_envelope")
        #expect(group.metadata["associated_event_id"] == "6ea6a4ad0d0a4f0c9b0e5e3b9fd5a2c1")
        let event = try await self.event(test, item)
        #expect(event.platform == "python")
        #expect(event.timestamp == Timestamp.parse("2025-06-15T15:06:35.500000Z"))
        #expect(event.environment == "production" && event.release == "shop@2.4.1")
        #expect(event.tag("plan") == "pro" && event.tag("has_linked_error") == "true")
        #expect(event.data["contexts"]?["feedback"]?["message"] == "The checkout button does nothing when I press it.")
        #expect(event.data["contexts"]?["trace"]?["trace_id"] == "4c79f60c11214eb38604f4ae0781bfb2")
        #expect(event.data["sdk"]?["name"] == "sentry.python.django")

        // Each report is its own issue, even with the same text.
        var again = feedbackEvent
        again["event_id"] = .string(SDKFixtures.newEventID())
        let second = try await test.envelope([.init("feedback", json: again)])
        #expect(second.items[0].groupID != item.groupID && second.items[0].groupID != nil)
    }

    @Test func feedbackWithoutMessageOrWithABadEventIDFails() async throws {
        let test = try await TestEngine()
        let result = try await test.envelope([
            .init("feedback", json: ["contexts": ["feedback": ["message": "  "]]]),
            .init("feedback", json: ["message": "no feedback context"]),
            .init("feedback", json: ["contexts": ["feedback": ["message": "hi", "associated_event_id": "nope"]]]),
            .init("feedback", json: ["contexts": ["feedback": ["message": "kept"]], "user": ["email": "bo@example.com", "username": "bo"]]),
        ])
        #expect(result.failures.map(\.field) == ["contexts.feedback.message", "contexts.feedback", "contexts.feedback.associated_event_id"])
        #expect(result.failures.allSatisfy { $0.code == .invalidPayload && $0.type == "feedback" })
        #expect(result.failures.map(\.index) == [0, 1, 2])
        let kept = try await self.group(test, result.items[3])
        #expect(kept.metadata["contact_email"] == "bo@example.com" && kept.metadata["name"] == "bo", "the reporter falls back to the user")
        #expect(result.items[3].linkedGroupID == nil)
    }

    @Test func userReportIsLinkedToTheIssueOfItsEvent() async throws {
        let test = try await TestEngine()
        let eventID = SDKFixtures.newEventID()
        var error = SDKFixtures.exceptionEvent(id: eventID)
        error["environment"] = "staging"
        error["user"] = ["email": "ana@example.com", "name": "Ana Silva"]
        error["tags"] = [["plan", "pro"]]
        error["contexts"] = ["replay": ["replay_id": "0123456789abcdef0123456789abcdef"]]
        // The report comes in the same envelope, after the event, with a dashed upper-case id.
        let hex = Array(eventID)
        let dashed = [hex[0..<8], hex[8..<12], hex[12..<16], hex[16..<20], hex[20...]].map { String($0) }.joined(separator: "-").uppercased()
        let result = try await test.envelope([
            .init("event", json: error),
            .init("user_report", json: ["event_id": .string(dashed), "comments": "  It crashed when I paid.  ", "name": ""]),
        ])
        let errorGroupID = try #require(result.items[0].groupID)
        let report = result.items[1]
        #expect(report.linkedGroupID == errorGroupID)
        #expect(report.eventID != eventID, "the feedback is an event of its own")
        let group = try await self.group(test, report)
        #expect(group.type == GroupType.feedback.id)
        #expect(group.metadata["message"] == "It crashed when I paid.")
        #expect(group.metadata["associated_event_id"] == .string(eventID))
        #expect(group.metadata["source"] == "user_report_envelope")
        #expect(group.metadata["name"] == "Ana Silva" && group.metadata["contact_email"] == "ana@example.com", "taken from the event's user")
        let event = try await self.event(test, report)
        #expect(event.environment == "staging")
        #expect(event.platform == "python")
        #expect(event.tag("plan") == "pro" && event.tag("associated_event_id") == eventID)
        #expect(event.data["contexts"]?["replay"]?["replay_id"] == "0123456789abcdef0123456789abcdef")
        #expect(result.eventID == eventID, "the answer names the error event, not the report")
    }

    @Test func userReportForAnUnknownEventStillMakesFeedback() async throws {
        let test = try await TestEngine()
        let eventID = SDKFixtures.newEventID()
        let result = try await test.envelope([
            .init("user_report", json: ["event_id": .string(eventID), "comments": "Nothing loads", "email": "x@example.com", "name": "X"]),
            .init("user_report", json: ["event_id": .string(eventID), "comments": " "]),
            .init("user_report", json: ["comments": "no event"]),
        ])
        #expect(result.items[0].linkedGroupID == nil)
        let group = try await self.group(test, result.items[0])
        #expect(group.metadata["associated_event_id"] == .string(eventID))
        #expect(group.metadata["contact_email"] == "x@example.com")
        #expect(result.failures.map(\.field) == ["comments", "event_id"])
        #expect(result.eventID == nil, "no event or feedback item, no header id: nothing to answer with")
    }

    @Test func otherItemTypesAreCountedAndIgnored() async throws {
        let test = try await TestEngine()
        let before = try await test.rowCounts()
        let result = try await test.envelope([
            .init("transaction", json: ["type": "transaction", "transaction": "/checkout", "spans": []]),
            .init("session", json: ["sid": "x", "status": "ok"]),
            .init("sessions", json: ["aggregates": []]),
            .init("client_report", json: ["discarded_events": []]),
            .init("attachment", Data([0, 1, 2, 0xFF])),
            .init("profile_chunk", json: [:]),
            .init("session", json: ["sid": "y"]),
        ])
        #expect(result.items.allSatisfy { $0.outcome == .ignored })
        #expect(result.countsByType == ["transaction": 1, "session": 2, "sessions": 1, "client_report": 1, "attachment": 1, "profile_chunk": 1])
        #expect(try await test.rowCounts() == before)
        // A transaction sent as an event is not an error either.
        #expect(await test.storeEvent(["type": "transaction", "transaction": "/x"]).outcome == .ignored)
    }

    @Test func aMalformedItemDoesNotCostTheOthers() async throws {
        let test = try await TestEngine()
        let envelope = SDKFixtures.envelope([
            .init("event", Data("{\"message\": ".utf8)),
            .init("event", Data("[1, 2]".utf8)),
            .init("event", json: ["event_id": "not-a-uuid", "message": "x"]),
            .init("event", json: SDKFixtures.exceptionEvent()),
            .init("feedback", json: ["contexts": ["feedback": ["message": "still here"]]], withLength: false),
        ])
        let result = try await test.engine.ingestEnvelope(envelope, projectID: test.project.id)
        #expect(result.failures.map(\.index) == [0, 1, 2])
        #expect(result.failures.map(\.code) == [.invalidPayload, .invalidPayload, .invalidPayload])
        #expect(result.failures[0].reason.hasPrefix("the payload is not JSON"))
        #expect(result.failures[1].reason == "the payload must be a JSON object, got array")
        #expect(result.failures[2].field == "event_id")
        #expect(result.items[3].groupID != nil && result.items[4].groupID != nil)
        #expect(result.eventID == result.items[3].eventID)
    }

    @Test func malformedEnvelopeHeaderIsRefusedAndNothingStored() async throws {
        let test = try await TestEngine()
        let before = try await test.rowCounts()
        await #expect(throws: EnvelopeError.self) {
            _ = try await test.engine.ingestEnvelope(Data("{\"event_id\": 12}\n{\"type\":\"event\"}\n{}\n".utf8), projectID: test.project.id)
        }
        #expect(try await test.rowCounts() == before)
    }

    @Test func payloadSizeAndDepthAreLimitedPerItem() async throws {
        let engine = try Engine(configuration: .init(sdk: .init(maximumEnvelopeSize: 4096, maximumEventSize: 256, maximumDepth: 8)))
        let project = try await engine.ensureProject(organizationSlug: "acme", projectSlug: "backend")
        var deep: JSONValue = "bottom"
        for _ in 0..<10 { deep = ["down": deep] }
        let envelope = SDKFixtures.envelope([
            .init("event", json: ["message": .string(String(repeating: "x", count: 300))]),
            .init("event", json: ["message": "deep", "extra": deep]),
            .init("event", json: ["message": "small"]),
            // Ignored items are not parsed: only the envelope's limit applies to them.
            .init("attachment", Data(count: 1000)),
        ])
        let result = try await engine.ingestEnvelope(envelope, projectID: project.id)
        #expect(result.failures.map(\.code) == [.tooLarge, .invalidPayload])
        #expect(result.failures[0].description == "item 0 (event): the payload of 314 bytes is more than the 256-byte limit for event items")
        #expect(result.failures[1].reason.contains("nesting deeper than 8 levels"))
        #expect(result.items[2].groupID != nil)
        #expect(result.items[3].outcome == .ignored)
        await #expect(throws: EnvelopeError.self) { try await engine.ingestEnvelope(Data(count: 5000), projectID: project.id) }
    }

    @Test func theHeaderIDGoesToOneItemOnly() async throws {
        let test = try await TestEngine()
        let headerID = SDKFixtures.newEventID()
        let result = try await test.envelope(
            header: ["event_id": .string(headerID)],
            [.init("event", json: ["message": "first"]), .init("feedback", json: ["contexts": ["feedback": ["message": "second"]]])])
        #expect(result.items[0].eventID == headerID)
        #expect(result.items[1].eventID != headerID && result.items[1].groupID != nil)
        #expect(result.eventID == headerID)
    }

    @Test func storeEndpointTakesOneEvent() async throws {
        let test = try await TestEngine()
        var event = SDKFixtures.exceptionEvent()
        event["event_id"] = nil
        let result = await test.storeEvent(event)
        let id = try #require(result.eventID)
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit), "a missing id is generated")
        #expect(result.index == 0 && result.type == "event")
        #expect(try await self.group(test, result).title == "ValueError: could not load the user")

        let dashed = await test.storeEvent(["event_id": "9EC79C33-EC99-42AB-8353-589FCB2E04DC", "message": "hello"])
        #expect(dashed.eventID == "9ec79c33ec9942ab8353589fcb2e04dc")
        let bad = await test.engine.ingestStoreEvent(Data("nope".utf8), projectID: test.project.id)
        #expect(bad.error?.code == .invalidPayload)
    }

    @Test func aResentEventIsNotCountedTwice() async throws {
        let test = try await TestEngine()
        let event = SDKFixtures.exceptionEvent()
        let first = await test.storeEvent(event)
        let again = await test.storeEvent(event)
        #expect(again.outcome == .dropped(.duplicate))
        #expect(try await self.group(test, first).timesSeen == 1)
    }

    @Test func timestampsFromTheFutureTakeTheReceivedTime() async throws {
        let test = try await TestEngine()
        let now = test.clock.now.timeIntervalSince1970
        let future = await test.storeEvent(["message": "from the future", "timestamp": .double(now + 3600)])
        let late = await test.storeEvent(["message": "a bit late", "timestamp": .double(now - 120)])
        #expect(try await self.event(test, future).timestamp == test.clock.now)
        #expect(try await self.event(test, late).timestamp == Date(timeIntervalSince1970: now - 120))
    }

    @Test func tagsAsPairsAndDerivedFromContexts() async throws {
        let test = try await TestEngine()
        let result = await test.storeEvent([
            "platform": "javascript", "message": "boom",
            "tags": [["browser", "Firefox 126"], ["page", "checkout"], ["nested", ["no"]], ["", "empty key"], ["count", 3]],
            "contexts": [
                "browser": ["name": "Chrome", "version": "125.0.1"], "os": ["name": "macOS"], "device": ["model": "iPhone15,2", "family": "iOS"],
            ],
            "user": ["ip_address": "{{auto}}"],
        ])
        let event = try await self.event(test, result)
        #expect(
            event.tags == [
                EventTag("browser", "Firefox 126"), EventTag("page", "checkout"), EventTag("count", "3"), EventTag("browser.name", "Chrome"),
                EventTag("os", "macOS"), EventTag("os.name", "macOS"), EventTag("device", "iPhone15,2"), EventTag("device.family", "iOS"),
            ], "the SDK's browser tag wins over the derived one")
        #expect(event.user == [:])
    }
}
