/// A condition on the issue or event that must hold for a rule to fire.
public enum RuleFilter: Sendable, Hashable {
    /// How a level filter compares.
    public enum LevelComparison: String, Sendable, Hashable, CaseIterable {
        case eq, gte, lte
    }

    /// The event's level compared with `level`.
    case level(LevelComparison, Level)
    /// A tag of the event (`is`/`ns` test presence; others need `value`).
    case tag(key: String, MatchOperator, value: String?)
    /// An attribute of the event (`message`, `user.email`, `tags.<key>`…).
    case attribute(name: String, MatchOperator, value: String?)
    /// The issue's category is one of these.
    case issueCategory([GroupCategory])
    /// The issue's type (by slug) is one of these.
    case issueType([String])
    /// The issue was first seen more than this long ago.
    case olderThan(Duration)
    /// The issue was first seen less than this long ago.
    case newerThan(Duration)
    /// The issue has been seen at least this many times.
    case occurrencesAtLeast(Int)

    /// The name used in rule files and explanations.
    public var name: String {
        switch self {
        case .level: return "level"
        case .tag: return "tag"
        case .attribute: return "attribute"
        case .issueCategory: return "issue_category"
        case .issueType: return "issue_type"
        case .olderThan, .newerThan: return "age"
        case .occurrencesAtLeast: return "occurrences"
        }
    }
}
