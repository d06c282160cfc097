/// The rules loaded from a folder, indexed for evaluation.
public struct RuleSet: Sendable, Hashable {
    /// Every rule, in file and position order.
    public let rules: [Rule]
    /// The files the rules came from.
    public let files: [String]
    private let byProject: [String: [Rule]]
    private let forEveryProject: [Rule]

    /// Builds a rule set; ids are assumed unique (the loader checks).
    public init(rules: [Rule], files: [String] = []) {
        self.rules = rules
        self.files = files
        // Each named project's list holds its own rules and the every-project ones, in load order.
        let enabled = rules.filter(\.enabled)
        let projects = Set(enabled.flatMap { $0.projects ?? [] })
        var byProject: [String: [Rule]] = [:]
        for project in projects {
            byProject[project] = enabled.filter { $0.projects == nil || $0.projects!.contains(project) }
        }
        self.byProject = byProject
        self.forEveryProject = enabled.filter { $0.projects == nil }
    }

    /// No rules at all.
    public static let empty = RuleSet(rules: [])

    /// The enabled rules that apply to a project, in load order.
    public func rules(forProject slug: String) -> [Rule] {
        byProject[slug] ?? forEveryProject
    }

    /// The rule with this id.
    public func rule(id: String) -> Rule? { rules.first { $0.id == id } }
}
