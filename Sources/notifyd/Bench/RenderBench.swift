import ArgumentParser
import Engine
import Foundation
import Templates

/// `notifyd bench render`: renders a complete feedback email (subject, HTML, text and MIME)
/// over and over on one core.
struct RenderBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Measure email rendering.")

    @Option(help: "Emails to render.") var count = 10_000

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive") }
    }

    func run() async throws {
        let templates = try MailTemplates()
        let sample = try await MailSample.make(.feedback, templates: templates, baseURL: "https://notifyd.example.com")
        // Measured: templates and MIME, the per-recipient work of delivery (the context is built
        // once per notification, from the store).
        let clock = ContinuousClock()
        let started = clock.now
        var bytes = 0
        for index in 0..<count {
            var message = sample.message
            message.uniqueID = "\(index)@notifyd.example.com"
            message.mail = templates.render(sample.kind, sample.context)
            bytes += message.rendered().utf8.count
        }
        let elapsed = clock.now - started
        let seconds = elapsed.inSeconds
        let output: JSONValue = .object([
            "count": .int(Int64(count)),
            "seconds": .double((seconds * 1000).rounded() / 1000),
            "emails_per_second": .int(Int64(Double(count) / seconds)),
            "average_bytes": .int(Int64(bytes / count)),
        ])
        print(output.serializedString())
    }
}
