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
        var byProject: [String: [Rule]] = [:]
        var forEveryProject: [Rule] = []
        for rule in rules where rule.enabled {
            if let projects = rule.projects {
                for project in Set(projects) { byProject[project, default: []].append(rule) }
            } else {
                forEveryProject.append(rule)
            }
        }
        // Each project's list is merged with the every-project rules once, here, in file order.
        let order: (Rule, Rule) -> Bool = { ($0.location.file, $0.location.line) < ($1.location.file, $1.location.line) }
        self.byProject = byProject.mapValues { ($0 + forEveryProject).sorted(by: order) }
        self.forEveryProject = forEveryProject
    }

    /// No rules at all.
    public static let empty = RuleSet(rules: [])

    /// The enabled rules that apply to a project, in file order.
    public func rules(forProject slug: String) -> [Rule] {
        byProject[slug] ?? forEveryProject
    }

    /// The rule with this id.
    public func rule(id: String) -> Rule? { rules.first { $0.id == id } }
}
