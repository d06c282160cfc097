/// What ingesting an envelope did, item by item.
///
/// An endpoint answers `{"id": eventID}` (or `{}` when `eventID` is `nil`) whatever the items'
/// outcomes, as Sentry does; the failures are for logs and for answering 400 when nothing at all
/// could be used.
public struct EnvelopeResult: Sendable, Hashable {
    /// The envelope header.
    public var header: EnvelopeHeader
    /// The id to answer with: the header's `event_id`, else the id of the first event or
    /// feedback item.
    public var eventID: String?
    /// One result per item, in envelope order.
    public var items: [SDKItemResult]

    /// Creates a result.
    public init(header: EnvelopeHeader, eventID: String?, items: [SDKItemResult]) {
        self.header = header
        self.eventID = eventID
        self.items = items
    }

    /// How many items of each type the envelope held (`unknown` for unreadable item headers).
    public var countsByType: [String: Int] {
        items.reduce(into: [:]) { counts, item in counts[item.type, default: 0] += 1 }
    }

    /// The items that failed, with what was wrong.
    public var failures: [EnvelopeItemError] { items.compactMap(\.error) }
}
