/// An event with its JSON columns already encoded.
///
/// Encoding is the costly part of storing an event; building the row where messages are
/// decoded (in parallel) keeps it off the single writer of the store.
public struct EventRow: Sendable, Hashable {
    /// The event.
    public let event: Event
    /// `tags` as a JSON list of `[key, value]` pairs.
    let tagsJSON: String
    /// `data` as a JSON object.
    let dataJSON: String

    /// Encodes an event's JSON columns.
    public init(_ event: Event) {
        self.event = event
        self.tagsJSON = JSONValue.array(event.tags.map { .array([.string($0.key), .string($0.value)]) }).serializedString(sortedKeys: false)
        self.dataJSON = JSONValue.object(event.data).serializedString(sortedKeys: false)
    }

    // Rows compare by their event: the encoded text is derived, and its key order unspecified.
    public static func == (lhs: EventRow, rhs: EventRow) -> Bool { lhs.event == rhs.event }

    public func hash(into hasher: inout Hasher) { hasher.combine(event) }
}
