import Engine
import Foundation
import Testing

struct FeedbackTests {
    @Test func feedbackCreatesItsOwnIssueWithEvidence() async throws {
        let test = try await TestEngine()
        let input = FeedbackInput(
            message: "The checkout button does nothing when I press it twice in a row on mobile", name: "Test Name",
            email: "test@test.com", url: "https://shop.example.com/checkout", environment: "prod", tags: ["plan": "pro"],
            replayID: "0123456789abcdef0123456789abcdef")
        let (group, event) = try await test.engine.createFeedback(projectID: test.project.id, input)

        #expect(group.type == GroupType.feedback.id)
        #expect(group.title == "User Feedback: The checkout button does nothing when I press it twice…")
        #expect(group.metadata["contact_email"] == "test@test.com")
        #expect(group.metadata["name"] == "Test Name")
        #expect(group.metadata["message"] == .string(input.message))
        #expect(group.priority == .medium)
        #expect(event.environment == "prod")
        #expect(event.tag("plan") == "pro")
        #expect(event.tag("replayId") == "0123456789abcdef0123456789abcdef")
        #expect(event.data["contexts"]?["feedback"]?["url"] == "https://shop.example.com/checkout")

        // Each report is its own issue: the same text again makes a second one.
        let (second, _) = try await test.engine.createFeedback(projectID: test.project.id, input)
        #expect(second.id != group.id)
        let hashes = try await test.store.read { [group] in try $0.groupHashes(groupID: group.id) }
        #expect(hashes.count == 1 && hashes[0].count == 32 && hashes[0].allSatisfy(\.isHexDigit))
    }

    @Test func emptyFeedbackIsRefusedAndNothingStored() async throws {
        let test = try await TestEngine()
        let before = try await test.rowCounts()
        await #expect(throws: EngineError.self) {
            _ = try await test.engine.createFeedback(projectID: test.project.id, FeedbackInput(message: "  "))
        }
        #expect(try await test.rowCounts() == before)
    }

    @Test func shortFeedbackTitleHasNoEllipsis() async throws {
        let test = try await TestEngine()
        let (group, _) = try await test.engine.createFeedback(projectID: test.project.id, FeedbackInput(message: "Love it"))
        #expect(group.title == "User Feedback: Love it")
    }
}
