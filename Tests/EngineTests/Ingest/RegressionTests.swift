import Engine
import Foundation
import Testing

/// Regressions: a resolved issue seeing a new occurrence, unless its release resolution covers it.
struct RegressionTests {
    /// Creates the issue for `some-fingerprint` (with a release if given) and resolves it.
    func resolvedIssue(
        _ test: TestEngine, release: String? = nil, resolution: StatusChange.Resolution? = nil
    ) async throws -> Group {
        let info = try #require(await test.ingest(Messages.occurrence(projectID: test.project.id, release: release).json).groupInfo)
        let result = try await test.engine.changeStatus(groupID: info.group.id, to: .resolved, resolution: resolution)
        guard case .statusChanged(let group, changed: true) = result.outcome else {
            Issue.record("not resolved: \(result.outcome)")
            return info.group
        }
        return group
    }

    func occurrence(_ test: TestEngine, release: String? = nil, timestamp: Double = 1_750_000_500) async -> MessageResult {
        await test.ingest(Messages.occurrence(projectID: test.project.id, timestamp: timestamp, release: release).json)
    }

    @Test func resolvedIssueRegressesWithAnActivity() async throws {
        let test = try await TestEngine()
        let resolved = try await resolvedIssue(test)
        #expect(resolved.status == .resolved)

        let info = try #require(await occurrence(test, release: "2.0").groupInfo)
        #expect(info.isRegression && !info.isNew)
        #expect(info.group.status == .unresolved && info.group.substatus == .regressed)
        #expect(info.group.resolvedAt == nil)
        #expect(info.group.activeAt == Date(timeIntervalSince1970: 1_750_000_500))
        let activity = try #require(try await test.engine.activities(groupID: info.group.id).last)
        #expect(activity.type == .setRegression)
        #expect(activity.data["version"] == "2.0")
        #expect(activity.data["event_id"] != nil)

        // The next occurrence is an ordinary one.
        let next = try #require(await occurrence(test).groupInfo)
        #expect(!next.isRegression)
    }

    @Test func ignoredIssueNeverRegresses() async throws {
        let test = try await TestEngine()
        let info = try #require(await occurrence(test).groupInfo)
        _ = try await test.engine.changeStatus(groupID: info.group.id, to: .ignored, substatus: .forever)
        let after = try #require(await occurrence(test).groupInfo)
        #expect(!after.isRegression && after.group.status == .ignored)
    }

    @Test func resolvedInReleaseWithSemver() async throws {
        let test = try await TestEngine()
        // Releases 1.0.0 and 1.1.0 seen, resolved in 1.1.0.
        _ = await occurrence(test, release: "1.0.0")
        _ = try await resolvedIssue(test, release: "1.1.0", resolution: .inRelease("1.1.0"))

        // An event from an older release is covered: still resolved.
        let old = try #require(await occurrence(test, release: "1.0.0").groupInfo)
        #expect(!old.isRegression && old.group.status == .resolved)
        // An event from the resolving release itself regresses (Sentry: "fixed in X" means X has the fix).
        let same = try #require(await occurrence(test, release: "1.1.0").groupInfo)
        #expect(same.isRegression)
        let activity = try #require(try await test.engine.activities(groupID: same.group.id).last)
        #expect(activity.data["resolved_in_version"] == "1.1.0")
        #expect(activity.data["follows_semver"] == true)
    }

    @Test func resolvedInReleaseNewerVersionRegresses() async throws {
        let test = try await TestEngine()
        _ = try await resolvedIssue(test, release: "1.1.0", resolution: .inRelease("1.1.0"))
        let newer = try #require(await occurrence(test, release: "1.2.0").groupInfo)
        #expect(newer.isRegression)
    }

    @Test func eventWithoutReleaseIsCoveredByAReleaseResolution() async throws {
        let test = try await TestEngine()
        _ = try await resolvedIssue(test, release: "1.1.0", resolution: .inRelease("1.1.0"))
        let info = try #require(await occurrence(test, release: nil).groupInfo)
        #expect(!info.isRegression && info.group.status == .resolved)
    }

    @Test func resolvedInNextRelease() async throws {
        let test = try await TestEngine()
        // 2.0.0 is the latest release when the issue is resolved "in the next release".
        _ = try await resolvedIssue(test, release: "2.0.0", resolution: .inNextRelease)
        let resolution = try await test.store.read { [project = test.project] reader -> GroupResolution? in
            guard let id = try reader.groupID(projectID: project.id, hash: Fingerprint.hash("some-fingerprint")) else { return nil }
            return try reader.resolution(groupID: id)
        }
        #expect(resolution?.kind == .inNextRelease && resolution?.currentReleaseVersion == "2.0.0")

        let current = try #require(await occurrence(test, release: "2.0.0").groupInfo)
        #expect(!current.isRegression, "still the release the issue was resolved in")
        let next = try #require(await occurrence(test, release: "2.0.1").groupInfo)
        #expect(next.isRegression)
    }

    @Test func nonSemverReleasesCompareByDate() async throws {
        let clock = TestClock()
        let test = try await TestEngine(clock: clock)
        _ = await occurrence(test, release: "abc123")
        clock.advance(by: 60)
        _ = await occurrence(test, release: "def456")
        clock.advance(by: 60)
        _ = try await resolvedIssue(test, release: "def456", resolution: .inRelease("def456"))

        let older = try #require(await occurrence(test, release: "abc123").groupInfo)
        #expect(!older.isRegression, "a release first seen before the resolving one is covered")
        clock.advance(by: 60)
        let newer = try #require(await occurrence(test, release: "0a1b2c").groupInfo)
        #expect(newer.isRegression)
    }

    @Test func concurrentOccurrencesReportTheRegressionOnce() async throws {
        let test = try await TestEngine()
        let resolved = try await resolvedIssue(test)
        let second = try test.secondEngine()
        let results = await withTaskGroup(of: MessageResult.self) { group in
            for index in 0..<20 {
                let engine = index % 2 == 0 ? test.engine : second
                let message = Messages.occurrence(projectID: test.project.id)
                group.addTask { await engine.ingest(message.json.serialized()) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { $0.groupInfo?.isRegression == true }.count == 1)
        #expect(results.allSatisfy { $0.groupInfo != nil })
        let activities = try await test.engine.activities(groupID: resolved.id).filter { $0.type == .setRegression }
        #expect(activities.count == 1)
    }
}

struct ReleaseVersionTests {
    @Test(arguments: [
        ("1.0.0", "1.0.1"), ("1.9", "1.10"), ("backend@1.2.0", "backend@1.3.0"), ("2.0.0-rc.1", "2.0.0"),
        ("2.0.0-alpha", "2.0.0-beta"), ("2.0.0-rc.2", "2.0.0-rc.10"), ("1.0.0+build9", "1.0.1+build1"), ("1", "1.0.1"),
    ])
    func ordering(lower: String, higher: String) throws {
        let low = try #require(ReleaseVersion(lower))
        let high = try #require(ReleaseVersion(higher))
        #expect(low < high && !(high < low))
    }

    @Test(arguments: ["abc123", "", "1.2.3.4.5", "1..2", "v-", "1.0.0-"])
    func notSemver(text: String) {
        #expect(ReleaseVersion(text) == nil)
    }

    @Test func buildMetadataIsIgnored() {
        #expect(ReleaseVersion("1.0.0+1") == ReleaseVersion("1.0.0+2"))
    }
}
