/// What makes a rule fire (Sentry's "conditions" of type event).
public enum RuleTrigger: Sendable, Hashable {
    /// A new issue is created; in an environment-scoped rule, the issue is new in that environment.
    case newIssue
    /// A resolved issue is seen again.
    case regression
    /// An archived issue starts escalating.
    case escalating
    /// A new issue (as `newIssue`) whose priority is high.
    case newHighPriorityIssue
    /// Every event.
    case everyEvent
    /// The issue was seen more than `count` times in the last `interval`.
    case frequency(count: Int, interval: Duration)
    /// The issue was seen by more than `count` distinct users in the last `interval`.
    case uniqueUsers(count: Int, interval: Duration)

    /// The name used in rule files and explanations.
    public var name: String {
        switch self {
        case .newIssue: return "new_issue"
        case .regression: return "regression"
        case .escalating: return "escalating"
        case .newHighPriorityIssue: return "new_high_priority_issue"
        case .everyEvent: return "every_event"
        case .frequency: return "frequency"
        case .uniqueUsers: return "unique_users"
        }
    }
}
