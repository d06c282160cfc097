/// An occurrence with its JSON column already encoded (see `EventRow` for why).
public struct OccurrenceRow: Sendable, Hashable {
    /// The occurrence.
    public let occurrence: IssueOccurrence
    /// The occurrence's message form.
    let json: String

    /// Encodes an occurrence.
    public init(_ occurrence: IssueOccurrence) {
        self.occurrence = occurrence
        self.json = occurrence.json.serializedString(sortedKeys: false)
    }

    // Rows compare by their occurrence: the encoded text is derived, and its key order unspecified.
    public static func == (lhs: OccurrenceRow, rhs: OccurrenceRow) -> Bool { lhs.occurrence == rhs.occurrence }

    public func hash(into hasher: inout Hasher) { hasher.combine(occurrence) }
}
