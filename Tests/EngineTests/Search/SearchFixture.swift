import Engine
import Foundation
import Testing

/// A real SQLite store seeded through the engine's ingest, at times relative to the test clock's
/// start (`now`): issues named by their fingerprint.
///
/// | name | project | what | first / last seen | times | other |
/// | --- | --- | --- | --- | --- | --- |
/// | db-timeout | backend | "Database timeout", error, high | −3 d / −1 h | 3 | see below |
/// | cache-miss | backend | "Cache miss", warning, medium | −10 d | 1 | 2.0 staging Chrome |
/// | main-thread-io | backend | "File I/O on main thread", info, low, type 2001 (performance) | −5 d | 1 | |
/// | null-pointer | backend | "Null pointer", error, high, resolved | −20 d | 1 | |
/// | flaky-network | backend | "Flaky network", warning, medium, archived forever | −2 d | 1 | |
/// | render-crash | frontend | "Render crash", fatal, high, assigned | −30 min | 1 | 1.0-web prod |
/// | ancient | backend | "Ancient failure", error, high | −100 d | 1 | outside the default 90 days |
/// | feedback | backend | "User feedback", type 6001 | −1 d | 1 | kept out of the default stream |
/// | elsewhere | globex/backend | "Database timeout elsewhere", high | −1 h | 1 | another organization |
///
/// db-timeout's events: release 1.0, prod, Firefox on linux; 1.0, prod, Firefox; 1.1, prod, Safari.
final class SearchFixture: Sendable {
    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86_400

    let test: TestEngine
    let frontend: Project
    let elsewhere: Project
    let ids: [String: Int64]

    var engine: Engine { test.engine }
    var backend: Project { test.project }
    var organizationID: Int64 { test.project.organizationID }
    var now: Date { test.clock.now }

    private init(test: TestEngine, frontend: Project, elsewhere: Project, ids: [String: Int64]) {
        self.test = test
        self.frontend = frontend
        self.elsewhere = elsewhere
        self.ids = ids
    }

    static func make() async throws -> SearchFixture {
        let test = try await TestEngine()
        let engine = test.engine
        let frontend = try await engine.ensureProject(organizationSlug: "acme", projectSlug: "frontend")
        let elsewhere = try await engine.ensureProject(organizationSlug: "globex", projectSlug: "backend")
        let backend = test.project
        var ids: [String: Int64] = [:]
        func seed(
            _ name: String, in project: Project? = nil, title: String, level: String = "error", at offset: TimeInterval,
            _ options: Seed = Seed()
        ) async throws {
            let group = try await ingest(test, name, project: project ?? backend, title: title, level: level, at: offset, options)
            ids[name] = group.id
        }
        let firefox = Seed(release: "1.0", environment: "prod", tags: ["browser": "Firefox", "os": "linux"], priority: 75)
        try await seed("db-timeout", title: "Database timeout", at: -3 * day, firefox)
        try await seed(
            "cache-miss", title: "Cache miss", level: "warning", at: -10 * day,
            Seed(release: "2.0", environment: "staging", tags: ["browser": "Chrome"]))
        try await seed("main-thread-io", title: "File I/O on main thread", level: "info", at: -5 * day, Seed(type: 2001))
        try await seed("null-pointer", title: "Null pointer", at: -20 * day, Seed(priority: 75))
        try await seed("flaky-network", title: "Flaky network", level: "warning", at: -2 * day)
        try await seed(
            "render-crash", in: frontend, title: "Render crash", level: "fatal", at: -0.5 * hour,
            Seed(release: "1.0-web", environment: "prod", priority: 75, assignee: "user:7"))
        try await seed("ancient", title: "Ancient failure", at: -100 * day, Seed(priority: 75))
        try await seed("feedback", title: "User feedback", level: "info", at: -1 * day, Seed(type: 6001))
        try await seed("elsewhere", in: elsewhere, title: "Database timeout elsewhere", at: -1 * hour, Seed(priority: 75))
        // More sightings of db-timeout, the last one in another release and browser.
        var again = firefox
        again.tags = ["browser": "Firefox"]
        again.eventID = Messages.newID()
        try await ingest(test, "db-timeout", project: backend, title: "Database timeout", level: "error", at: -2 * day, again)
        again.release = "1.1"
        again.tags = ["browser": "Safari"]
        again.eventID = Messages.newID()
        try await ingest(test, "db-timeout", project: backend, title: "Database timeout", level: "error", at: -1 * hour, again)

        _ = try await engine.changeStatus(groupID: ids["null-pointer"]!, to: .resolved)
        _ = try await engine.changeStatus(groupID: ids["flaky-network"]!, to: .ignored, substatus: .forever)
        return SearchFixture(test: test, frontend: frontend, elsewhere: elsewhere, ids: ids)
    }

    /// What an occurrence carries besides its fingerprint, title, level and time.
    struct Seed {
        var type = 1
        var release: String?
        var environment: String?
        var tags: [String: String] = [:]
        var priority: Int?
        var assignee: String?
        var eventID = Messages.newID()
    }

    /// Ingests one occurrence with the fingerprint `name` at `now + offset` and returns its issue.
    @discardableResult
    static func ingest(
        _ test: TestEngine, _ name: String, project: Project, title: String, level: String, at offset: TimeInterval, _ seed: Seed
    ) async throws -> Group {
        let timestamp = test.clock.now.timeIntervalSince1970 + offset
        var message = Messages.occurrence(
            projectID: project.id, fingerprint: [name], type: seed.type, title: title, level: level, eventID: seed.eventID,
            timestamp: timestamp, release: seed.release, environment: seed.environment)
        message["event"] = .object(
            Messages.event(
                id: seed.eventID, projectID: project.id, timestamp: timestamp, release: seed.release, environment: seed.environment,
                tags: .object(seed.tags.mapValues(JSONValue.string))))
        if let priority = seed.priority { message["initial_issue_priority"] = .int(Int64(priority)) }
        if let assignee = seed.assignee { message["assignee"] = .string(assignee) }
        let result = await test.ingest(message.json)
        return try #require(result.groupInfo?.group, "\(name) was not grouped: \(result.outcome)")
    }

    /// Two new issues whose occurrences share one event (as performance issues share their
    /// transaction), and that event's id.
    func twoIssuesSharingAnEvent() async throws -> (eventID: String, first: Group, second: Group) {
        let eventID = Messages.newID()
        let seed = Seed(eventID: eventID)
        let first = try await Self.ingest(test, "first", project: backend, title: "First", level: "error", at: 0, seed)
        let second = try await Self.ingest(test, "second", project: backend, title: "Second", level: "error", at: 0, seed)
        return (eventID, first, second)
    }

    /// The fixture names of issues, in order.
    func names(_ groups: [Group]) -> [String] {
        let byID = Dictionary(uniqueKeysWithValues: ids.map { ($1, $0) })
        return groups.map { byID[$0.id] ?? "#\($0.id)" }
    }

    /// A search of the acme organization (unless told otherwise).
    func search(
        _ query: String?, organizationID: Int64? = nil, projectIDs: [Int64] = [], environments: [String] = [], start: Date? = nil,
        end: Date? = nil, sort: IssueSort = .date, limit: Int = 100, cursor: String? = nil
    ) async throws -> IssuePage {
        try await engine.searchIssues(
            IssueSearchRequest(
                organizationID: organizationID ?? self.organizationID, projectIDs: projectIDs, environments: environments, query: query,
                start: start, end: end, sort: sort, limit: limit, cursor: cursor))
    }
}
