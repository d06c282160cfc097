import Engine
import Foundation
import Templates
import Testing

/// The rules-and-delivery example of docs/embedding.md, compiled and run with the example rules
/// and the example feedback occurrence (`DocsTests` checks the page shows it verbatim).
struct EmbeddingDocsTests {
    @Test func theRulesWriteAPreview() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-embedding-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let feedback = try Data(contentsOf: DocsPages.root.appendingPathComponent("Examples/occurrences/03-feedback.json"))
        let previews = directory.appendingPathComponent("previews").path
        let attempted = try await ingestWithRules(
            [feedback], databasePath: nil, rulesFolder: DocsPages.root.appendingPathComponent("Rules").path, previewFolder: previews)
        #expect(attempted == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: previews)
        #expect(files.filter { $0.hasSuffix(".html") }.count == 1)
    }
}

// docs: begin
/// Runs the rules in `rulesFolder` on every message, then delivers once what they enqueued:
/// `preview` actions are written to `previewFolder`; email and webhook deliveries wait in the
/// outbox until a dispatcher has an `SMTPChannel` or a `WebhookChannel`. Returns how many
/// deliveries were attempted.
func ingestWithRules(_ messages: [Data], databasePath: String?, rulesFolder: String, previewFolder: String) async throws -> Int {
    let rules = try RuleLoader().load(directory: rulesFolder)
    let engine = try Engine(configuration: .init(databasePath: databasePath, signalHandlers: [RuleEvaluator(rules: rules)]))
    _ = try await engine.ensureProject(organizationSlug: "example", projectSlug: "example")
    for message in messages {
        _ = await engine.ingest(message)
    }

    let renderer = DeliveryRenderer(
        builder: MailContextBuilder(baseURL: "https://notifyd.example.com"), templates: try MailTemplates(), from: "notifyd@example.com")
    let previews = PreviewChannel(renderer: renderer, writer: PreviewWriter(directory: previewFolder))
    let dispatcher = Dispatcher(store: engine.store, channels: [.preview: previews])
    return try await dispatcher.runOnce()
}
// docs: end
