/// What the ingest pipeline hands to the rule stage: one per processed message that touched an
/// issue. Handlers receive it inside the store transaction that made the change (see
/// `SignalHandler`), so whatever they enqueue commits or rolls back with it.
public enum IssueSignal: Sendable, Hashable {
    /// An occurrence was grouped into an issue (new, regressed or seen again).
    case occurrence(OccurrenceSignal)
    /// An issue changed status through a status-change message or the API.
    case statusChange(StatusChangeSignal)

    /// The issue as it is after the change.
    public var group: Group {
        switch self {
        case .occurrence(let signal): return signal.groupInfo.group
        case .statusChange(let signal): return signal.group
        }
    }

    /// The issue's project.
    public var project: Project {
        switch self {
        case .occurrence(let signal): return signal.project
        case .statusChange(let signal): return signal.project
        }
    }
}
