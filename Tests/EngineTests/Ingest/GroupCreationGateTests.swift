import Engine
import Foundation
import Metrics
import MetricsTestKit
import Testing

/// The noise gate and the issue-creation quota.
struct GroupCreationGateTests {
    /// Type 1009 (performance_consecutive_http) creates its issue on the 5th sighting.
    let noisyType = 1009

    @Test func noiseGateCreatesTheIssueOnTheIgnoreLimitSighting() async throws {
        let test = try await TestEngine()
        for sighting in 1...4 {
            let result = await test.ingest(Messages.occurrence(projectID: test.project.id, type: noisyType).json)
            #expect(result.dropReason == .noiseReduction, "sighting \(sighting)")
        }
        let counts = try await test.rowCounts()
        #expect(counts["issue_group"] == 0 && counts["group_hash"] == 0)
        #expect(counts["occurrence"] == 4, "denied occurrences are still stored")
        let fifth = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, type: noisyType).json).groupInfo)
        #expect(fifth.isNew)
        #expect(try await test.rowCounts()["noise_counter"] == 0, "the counter is forgotten once the issue exists")
        let sixth = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, type: noisyType).json).groupInfo)
        #expect(!sixth.isNew && sixth.group.timesSeen == 2)
    }

    @Test func noiseCounterExpiresAfterItsWindow() async throws {
        let clock = TestClock()
        let test = try await TestEngine(clock: clock)
        for _ in 1...4 {
            _ = await test.ingest(Messages.occurrence(projectID: test.project.id, type: noisyType).json)
            clock.advance(by: 3600)  // each sighting pushes the 24 h expiry out again
        }
        clock.advance(by: 24 * 3600 + 1)
        let afterExpiry = await test.ingest(Messages.occurrence(projectID: test.project.id, type: noisyType).json)
        #expect(afterExpiry.dropReason == .noiseReduction, "the count started again from 1")
    }

    @Test func creationQuotaIsASlidingWindowPerProjectAndType() async throws {
        let clock = TestClock()
        let test = try await TestEngine(clock: clock)
        // Type 5002 (replay_click_rage): no noise gate, the default quota of 5 new issues an hour.
        for index in 0..<5 {
            let result = await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["rage-\(index)"], type: 5002).json)
            #expect(result.groupInfo?.isNew == true)
            clock.advance(by: 60)
        }
        let limited = await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["rage-5"], type: 5002).json)
        #expect(limited.dropReason == .rateLimited)
        // Occurrences of existing issues are not limited, and neither are other types or projects.
        #expect(await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["rage-0"], type: 5002).json).groupInfo != nil)
        #expect(await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["dead-0"], type: 5003).json).groupInfo?.isNew == true)
        let other = try await test.engine.ensureProject(organizationSlug: "acme", projectSlug: "other")
        #expect(await test.ingest(Messages.occurrence(projectID: other.id, fingerprint: ["rage-5"], type: 5002).json).groupInfo?.isNew == true)

        // The first creation leaves the window an hour after it was made.
        clock.advance(by: 3600 - 5 * 60 + 1)
        let later = await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["rage-6"], type: 5002).json)
        #expect(later.groupInfo?.isNew == true)
        let full = await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["rage-7"], type: 5002).json)
        #expect(full.dropReason == .rateLimited)
    }

    @Test func errorsHaveNoCreationQuota() async throws {
        let test = try await TestEngine()
        for index in 0..<20 {
            let result = await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["error-\(index)"], type: 1).json)
            #expect(result.groupInfo?.isNew == true)
        }
    }

    @Test func deniedCreationsAreCounted() async throws {
        let metrics = TestMetrics()
        let test = try await withMetricsFactory(metrics) { try await TestEngine() }
        for _ in 1...2 {
            _ = await test.ingest(Messages.occurrence(projectID: test.project.id, type: noisyType).json)
        }
        for index in 0..<6 {
            _ = await test.ingest(Messages.occurrence(projectID: test.project.id, fingerprint: ["rage-\(index)"], type: 5002).json)
        }
        let noise = try metrics.expectCounter(
            "issues.issue.dropped.noise_reduction", [("group_type", "performance_consecutive_http")])
        #expect(noise.totalValue == 2)
        let limited = try metrics.expectCounter("issues.issue.dropped.rate_limiting", [("group_type", "replay_click_rage")])
        #expect(limited.totalValue == 1)
        #expect(try metrics.expectCounter("occurrence_ingest.messages").totalValue == 8)
    }
}
