/// One row of evidence shown with an occurrence ("Failure reason: missed check-in").
public struct IssueEvidence: Sendable, Hashable, Codable {
    /// Label.
    public var name: String
    /// Value, as text.
    public var value: String
    /// Whether the row is the headline evidence.
    public var important: Bool

    /// Creates an evidence row.
    public init(name: String, value: String, important: Bool) {
        self.name = name
        self.value = value
        self.important = important
    }

    /// The JSON form used on the wire and in storage.
    public var json: JSONValue {
        .object(["name": .string(name), "value": .string(value), "important": .bool(important)])
    }
}
