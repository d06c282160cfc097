import ArgumentParser
import Engine
import Foundation

/// `notifyd feedback`: files a user-feedback issue, as a feedback widget would.
struct FeedbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback", abstract: "Create a user-feedback issue and print it with its event as JSON.")

    @OptionGroup var store: StoreOptions

    @Option(help: "What the user wrote.") var message: String
    @Option(help: "The reporter's name.") var name: String?
    @Option(help: "The reporter's contact email.") var email: String?
    @Option(help: "The page the feedback was given on.") var url: String?
    @Option(help: "Environment.") var environment: String?
    @Option(help: "Release version.") var release: String?
    @Option(help: "A session replay id.") var replayID: String?
    @Option(name: .customLong("tag"), help: "A tag as key=value (repeatable).") var tags: [String] = []

    func validate() throws {
        guard !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("--message must not be empty")
        }
        _ = try tagValues()
    }

    private func tagValues() throws -> [String: String] {
        var values: [String: String] = [:]
        for tag in tags {
            let parts = tag.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--tag takes key=value, got '\(tag)'") }
            values[String(parts[0])] = String(parts[1])
        }
        return values
    }

    func run() async throws {
        let tagValues = try tagValues()
        let (engine, project) = try await store.open()
        let input = FeedbackInput(
            message: message, name: name, email: email, url: url, environment: environment, release: release, tags: tagValues,
            replayID: replayID, source: "cli")
        do {
            let (group, event) = try await engine.createFeedback(projectID: project.id, input)
            let organization = try await engine.store.read { try $0.organization(id: project.organizationID) }!
            let output: JSONValue = .object([
                "group": IssueJSON(baseURL: store.baseURL).json(group, project: project, organization: organization),
                "event": EventJSON.json(event),
            ])
            print(output.serializedString())
        } catch let error as EngineError {
            throw ValidationError(error.description)
        }
    }
}
