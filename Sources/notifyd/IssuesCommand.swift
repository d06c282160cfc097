import ArgumentParser
import Engine

/// `notifyd issues`: lists a project's issues, most recently seen first.
struct IssuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "issues", abstract: "List a project's issues.")

    @OptionGroup var store: StoreOptions

    @Option(help: "How many issues to list.") var limit = 25

    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() async throws {
        let (engine, project) = try await store.open()
        let groups = try await engine.groups(projectID: project.id, limit: limit)
        if json {
            let organization = try await engine.store.read { try $0.organization(id: project.organizationID) }!
            let serializer = IssueJSON(baseURL: store.baseURL)
            print(JSONValue.array(groups.map { serializer.json($0, project: project, organization: organization) }).serializedString())
            return
        }
        print("SHORT ID".padding(16) + "STATUS".padding(24) + "COUNT".padding(8) + "TITLE")
        for group in groups {
            let status = group.status.name + (group.substatus.map { "/\($0.name)" } ?? "")
            print(
                ShortID.format(projectSlug: project.slug, number: group.shortID).padding(16) + status.padding(24)
                    + String(group.timesSeen).padding(8) + group.title)
        }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
