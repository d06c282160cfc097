/// An occurrence grouped into an issue, with everything rules look at.
public struct OccurrenceSignal: Sendable, Hashable {
    /// New / regression / new-in-environment flags and the issue after the change.
    public var groupInfo: GroupInfo
    /// The occurrence.
    public var occurrence: IssueOccurrence
    /// Its event (tags, release, environment, user).
    public var event: Event
    /// The issue's project.
    public var project: Project

    /// Creates an occurrence signal.
    public init(groupInfo: GroupInfo, occurrence: IssueOccurrence, event: Event, project: Project) {
        self.groupInfo = groupInfo
        self.occurrence = occurrence
        self.event = event
        self.project = project
    }
}
