/// One alert rule from a rule file: when it fires (triggers), on which issues and events
/// (scope and filters), what it sends (actions) and how often (frequency).
public struct Rule: Sendable, Hashable, Identifiable {
    /// Unique in the rule folder: `[a-z0-9_-]+`.
    public var id: String
    /// Shown in notifications.
    public var name: String
    /// Project slugs the rule applies to; `nil` = every project.
    public var projects: [String]?
    /// The environment the rule applies to; `nil` = every environment.
    public var environment: String?
    /// A disabled rule is loaded and checked but never fires.
    public var enabled: Bool
    /// How the triggers combine.
    public var match: RuleMatch
    /// What makes the rule fire; none = every signal that passes the filters.
    public var triggers: [RuleTrigger]
    /// How the filters combine.
    public var filterMatch: RuleMatch
    /// Conditions on the issue and event, checked before the triggers.
    public var filters: [RuleFilter]
    /// What a firing sends; never empty.
    public var actions: [RuleAction]
    /// At most one firing per issue per this interval (the throttle).
    public var frequency: Duration
    /// Where the rule is defined.
    public var location: RuleLocation

    /// Creates a rule.
    public init(
        id: String, name: String, projects: [String]? = nil, environment: String? = nil, enabled: Bool = true,
        match: RuleMatch = .all, triggers: [RuleTrigger], filterMatch: RuleMatch = .all, filters: [RuleFilter] = [],
        actions: [RuleAction], frequency: Duration = .seconds(30 * 60), location: RuleLocation = RuleLocation(file: "", line: 0, column: 0)
    ) {
        self.id = id
        self.name = name
        self.projects = projects
        self.environment = environment
        self.enabled = enabled
        self.match = match
        self.triggers = triggers
        self.filterMatch = filterMatch
        self.filters = filters
        self.actions = actions
        self.frequency = frequency
        self.location = location
    }
}
