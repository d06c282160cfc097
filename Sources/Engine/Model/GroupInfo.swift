/// What grouping decided for one occurrence.
public struct GroupInfo: Sendable, Hashable {
    /// The issue, as it is after the occurrence was applied.
    public var group: Group
    /// The occurrence created the issue.
    public var isNew: Bool
    /// The occurrence reopened a resolved issue.
    public var isRegression: Bool
    /// The issue had not been seen in the event's environment before.
    public var isNewGroupEnvironment: Bool

    /// Creates a group info value.
    public init(group: Group, isNew: Bool, isRegression: Bool, isNewGroupEnvironment: Bool = false) {
        self.group = group
        self.isNew = isNew
        self.isRegression = isRegression
        self.isNewGroupEnvironment = isNewGroupEnvironment
    }
}
