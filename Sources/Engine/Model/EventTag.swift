/// One tag of an event.
public struct EventTag: Sendable, Hashable, Codable {
    /// Tag name.
    public var key: String
    /// Tag value.
    public var value: String

    /// Creates a tag.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}
