import ArgumentParser
import Engine
import Foundation
import Templates

/// `notifyd preview KIND [--out DIR]`: renders a sample email and writes `<id>.eml`,
/// `<id>.html` and `<id>.txt`.
struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview", abstract: "Render a sample email (feedback, issue_alert or regression) to files.")

    @Argument(help: "feedback, issue_alert or regression.") var kind: String
    @Option(help: "Where to write the files.") var out = "previews"
    @Option(help: "A folder of template overrides.") var templates: String?
    @Option(help: "The base URL links point at.") var baseURL = "http://127.0.0.1:8080"
    @Option(help: "A rule folder: the sample names its first enabled rule (else none), whose link then opens in a console that loaded it.")
    var rules: String?

    func validate() throws {
        guard MailKind(rawValue: kind) != nil else {
            throw ValidationError("unknown kind '\(kind)' (expected \(MailSample.kinds.joined(separator: ", ")))")
        }
    }

    func run() async throws {
        let library: MailTemplates
        do {
            library = try MailTemplates(overrideDirectory: templates)
        } catch {
            throw ValidationError("template error: \(error)")
        }
        let rule = try rules.flatMap { try RulesCommand.load($0).rules.first { $0.enabled } }
        let sample = try await MailSample.make(MailKind(rawValue: kind)!, templates: library, baseURL: baseURL, rule: rule)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (suffix, text) in [("eml", sample.message.rendered()), ("html", sample.mail.html), ("txt", sample.mail.text)] {
            let path = (out as NSString).appendingPathComponent("\(sample.name).\(suffix)")
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            print(path)
        }
    }
}
