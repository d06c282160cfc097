/// An issue that changed status.
public struct StatusChangeSignal: Sendable, Hashable {
    /// The issue after the change.
    public var group: Group
    /// The project.
    public var project: Project
    /// Status before the change.
    public var previousStatus: GroupStatus
    /// Substatus before the change.
    public var previousSubstatus: GroupSubstatus?
    /// The activities the change recorded (a status activity, perhaps a priority one).
    public var activities: [Activity]

    /// Creates a status-change signal.
    public init(group: Group, project: Project, previousStatus: GroupStatus, previousSubstatus: GroupSubstatus?, activities: [Activity]) {
        self.group = group
        self.project = project
        self.previousStatus = previousStatus
        self.previousSubstatus = previousSubstatus
        self.activities = activities
    }

    /// The archived issue started escalating (the `escalating` rule trigger).
    public var isEscalation: Bool {
        previousStatus == .ignored && group.status == .unresolved && group.substatus == .escalating
    }
}
