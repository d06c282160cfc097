import Engine
import Foundation
import Testing

/// The embedding examples of docs/embedding.md, compiled and run; `DocsTests` checks the page
/// shows each region between the `docs:` markers verbatim, so the snippets can never rot.
struct EmbeddingExampleTests {
    @Test func theExampleGroupsAnOccurrence() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-embedding-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let line = try await groupOneOccurrence(databasePath: directory.appendingPathComponent("embedded.sqlite").path)
        #expect(line.hasPrefix("BACKEND-1 DatabaseTimeout: query took 31 s"))
    }

    @Test func aSignalHandlerIsInstalledWithTheConfiguration() async throws {
        // docs: begin
        let engine = try Engine(configuration: .init(databasePath: nil, signalHandlers: [NewIssueLog()]))
        // docs: end
        let project = try await engine.ensureProject(organizationSlug: "acme", projectSlug: "backend")
        let message = """
            {"id": "\(UUID().uuidString)", "project_id": \(project.id), "fingerprint": ["handler"], "issue_title": "Handled",
             "subtitle": "", "type": 1, "detection_time": \(Date().timeIntervalSince1970),
             "event": {"event_id": "\(UUID().uuidString)", "project_id": \(project.id), "platform": "swift", "timestamp": \(Date().timeIntervalSince1970)}}
            """
        #expect(await engine.ingest(Data(message.utf8)).groupInfo?.isNew == true)
    }
}

// docs: begin
/// Opens an engine on the SQLite file at `databasePath` (created if missing), ingests one
/// occurrence and describes the issue it made.
func groupOneOccurrence(databasePath: String) async throws -> String {
    let engine = try Engine(configuration: .init(databasePath: databasePath))
    let project = try await engine.ensureProject(organizationSlug: "acme", projectSlug: "backend")

    let now = Date().timeIntervalSince1970
    let message = """
        {"id": "\(UUID().uuidString)", "project_id": \(project.id), "fingerprint": ["db-timeout"],
         "issue_title": "DatabaseTimeout: query took 31 s", "subtitle": "SELECT * FROM orders",
         "type": 1, "detection_time": \(now), "level": "error",
         "event": {"event_id": "\(UUID().uuidString)", "project_id": \(project.id),
                   "platform": "swift", "timestamp": \(now), "environment": "production"}}
        """
    let result = await engine.ingest(Data(message.utf8))
    guard let info = result.groupInfo else { throw EngineError(.notProcessed, "\(result.outcome)") }

    let issue = try await engine.group(id: info.group.id)!
    let shortID = ShortID.format(projectSlug: project.slug, number: issue.shortID)
    let line = "\(shortID) \(issue.title) seen \(issue.timesSeen)x, new: \(info.isNew)"
    print(line)  // BACKEND-1 DatabaseTimeout: query took 31 s seen 1x, new: true
    return line
}
// docs: end

// docs: begin
struct NewIssueLog: SignalHandler {
    func handle(_ signal: IssueSignal, in transaction: any StoreTransaction) throws {
        if case .occurrence(let occurrence) = signal, occurrence.groupInfo.isNew {
            print("new issue:", occurrence.groupInfo.group.title)
        }
    }
}
// docs: end
