/// A tenant: owns projects, releases' issue links and (later) API tokens.
public struct Organization: Sendable, Hashable, Identifiable, Codable {
    /// Numeric id, assigned by the store.
    public var id: Int64
    /// URL-safe name, unique across the installation (`/organizations/{slug}/issues/`).
    public var slug: String
    /// Display name.
    public var name: String

    /// Creates an organization value.
    public init(id: Int64, slug: String, name: String) {
        self.id = id
        self.slug = slug
        self.name = name
    }
}
