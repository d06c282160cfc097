/// A deployment environment (`prod`, `staging`) seen in a project's events.
public struct Environment: Sendable, Hashable, Identifiable {
    /// Numeric id.
    public var id: Int64
    /// The owning project.
    public var projectID: Int64
    /// The name as sent.
    public var name: String

    /// Creates an environment value.
    public init(id: Int64, projectID: Int64, name: String) {
        self.id = id
        self.projectID = projectID
        self.name = name
    }
}
