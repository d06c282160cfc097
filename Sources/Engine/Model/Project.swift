/// A project inside an organization; occurrences name it by `project_id`.
public struct Project: Sendable, Hashable, Identifiable, Codable {
    /// Numeric id, assigned by the store, carried in messages as `project_id`.
    public var id: Int64
    /// The owning organization.
    public var organizationID: Int64
    /// URL-safe name, unique within the organization; upper-cased it prefixes short ids (`BACKEND-1A`).
    public var slug: String
    /// Display name.
    public var name: String

    /// Creates a project value.
    public init(id: Int64, organizationID: Int64, slug: String, name: String) {
        self.id = id
        self.organizationID = organizationID
        self.slug = slug
        self.name = name
    }
}
