import Engine
import Foundation
import Testing

/// The README's embedding example, compiled and run; a second test checks the README shows
/// exactly this code, so the snippet can never rot.
struct EmbeddingExampleTests {
    @Test func theExampleGroupsAnOccurrence() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-readme-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let line = try await example(databasePath: directory.appendingPathComponent("embedded.sqlite").path)
        #expect(line.hasPrefix("BACKEND-1 DatabaseTimeout: query took 31 s"))
    }

    @Test func theReadmeShowsThisCode() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let readmePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md").path
        let readme = try String(contentsOfFile: readmePath, encoding: .utf8)
        let start = try #require(source.range(of: "// README begin\n"))
        let end = try #require(source.range(of: "        // README end", range: start.upperBound..<source.endIndex))
        let snippet = source[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }.joined(separator: "\n")
        #expect(readme.contains(snippet), "README.md must contain the embedding example exactly as compiled here")
    }

    func example(databasePath: String) async throws -> String {
        // README begin
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
        // README end
        return line
    }
}
