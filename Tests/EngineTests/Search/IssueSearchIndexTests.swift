import Engine
import Foundation
import Testing

/// Tag filters and free text read the store's indexes two ways: a rare value or text from the
/// index's list of issues, a common one by probing each issue the search walks past (see
/// `IssueFilterSQL`). Both must find the same issues; the cut is 2,000 issues, so this store
/// has more of the common value and text than that.
struct IssueSearchIndexTests {
    @Test func commonAndRareTagsAndTextsFindTheSameIssuesEitherWay() async throws {
        let test = try await TestEngine()
        let now = test.clock.function().timeIntervalSince1970
        var messages: [Data] = []
        for index in 0..<2_100 {
            var message = Messages.occurrence(
                projectID: test.project.id, fingerprint: ["indexed-\(index)"], title: "CommonError: failed at step \(index)", timestamp: now - 60)
            let tags: JSONValue = ["shard": .string(index < 2_050 ? "common" : "rare-\(index % 2)"), "pod": .string("pod-\(index)")]
            message["event"] = .object(Messages.event(id: message["event_id"]!.stringValue!, projectID: test.project.id, timestamp: now - 60, tags: tags))
            messages.append(message.json.serialized())
        }
        let results = await test.engine.ingest(batch: messages)
        #expect(results.allSatisfy { $0.groupInfo != nil })

        func hits(_ query: String) async throws -> Int {
            let request = IssueSearchRequest(organizationID: test.project.organizationID, query: query, limit: 25)
            return try await test.engine.searchIssues(request).hits
        }
        func titles(_ query: String) async throws -> [String] {
            let request = IssueSearchRequest(organizationID: test.project.organizationID, query: query, limit: 100)
            return try await test.engine.searchIssues(request).groups.map(\.title).sorted()
        }
        // Common: more than 2,000 issues each.
        #expect(try await hits("shard:common") == IssuePage.maximumHits)
        #expect(try await hits("commonerror") == IssuePage.maximumHits)
        #expect(try await hits("!shard:common") == 50)
        // Rare: read from the indexes.
        #expect(try await titles("shard:rare-1").count == 25)
        #expect(try await titles("pod:pod-2077") == ["CommonError: failed at step 2077"])
        #expect(try await titles("\"step 2077\"") == ["CommonError: failed at step 2077"])
        #expect(try await titles("STEP 2077") == ["CommonError: failed at step 2077"])
        #expect(try await titles("shard:common \"step 2077\"").isEmpty)
        #expect(try await titles("shard:rare-1 \"step 2077\"") == ["CommonError: failed at step 2077"])
    }

    /// A later occurrence with another title moves the issue in the text index: the old title no
    /// longer finds it, the new one does.
    @Test func theTextIndexFollowsATitleThatChanges() async throws {
        let test = try await TestEngine()
        let now = test.clock.function().timeIntervalSince1970
        let first = Messages.occurrence(projectID: test.project.id, fingerprint: ["renamed"], title: "OldTitleError: first words", timestamp: now - 120)
        let second = Messages.occurrence(projectID: test.project.id, fingerprint: ["renamed"], title: "NewTitleError: later words", timestamp: now - 60)
        _ = await test.engine.ingest(first.json.serialized())
        let info = try #require(await test.engine.ingest(second.json.serialized()).groupInfo)
        #expect(!info.isNew)
        func ids(_ query: String) async throws -> [Int64] {
            try await test.engine.searchIssues(IssueSearchRequest(organizationID: test.project.organizationID, query: query)).groups.map(\.id)
        }
        #expect(try await ids("newtitleerror") == [info.group.id])
        #expect(try await ids("oldtitleerror").isEmpty)
        // The deleted issue leaves the index too.
        #expect(try await test.engine.deleteIssues(organizationID: test.project.organizationID, ids: [info.group.id]) == 1)
        #expect(try await ids("newtitleerror").isEmpty)
    }
}
