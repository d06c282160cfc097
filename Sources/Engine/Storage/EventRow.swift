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
    ///
    /// - Parameters:
    ///   - event: the event.
    ///   - rawMembers: more members of `data`, as valid JSON text by key, stored verbatim (the
    ///     bulky parts of an event that ingest does not parse).
    public init(_ event: Event, rawMembers: [String: String] = [:]) {
        self.event = event
        self.tagsJSON = JSONValue.array(event.tags.map { .array([.string($0.key), .string($0.value)]) }).serializedString(sortedKeys: false)
        var data = JSONValue.object(event.data).serializedString(sortedKeys: false)
        if !rawMembers.isEmpty {
            data.removeLast()  // the closing brace
            var separator = event.data.isEmpty ? "" : ","
            for (key, text) in rawMembers.sorted(by: { $0.key < $1.key }) where event.data[key] == nil {
                data += "\(separator)\(JSONValue.string(key).serializedString()):\(text)"
                separator = ","
            }
            data += "}"
        }
        self.dataJSON = data
    }

    // Rows compare by their event: the encoded text is derived, and its key order unspecified.
    public static func == (lhs: EventRow, rhs: EventRow) -> Bool { lhs.event == rhs.event }

    public func hash(into hasher: inout Hasher) { hasher.combine(event) }
}
