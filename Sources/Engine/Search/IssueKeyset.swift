/// A position in a sorted list of issues and the direction to read from it: the keyset a page
/// starts after, which keeps pages stable while issues are added (an offset would shift).
///
/// Lists are ordered by the sort value, then the id, both descending. Reading forward returns the
/// issues after the position in that order; reading backwards returns those before it, nearest
/// first (that is, ascending).
public struct IssueKeyset: Sendable, Hashable {
    /// The sort value of the issue at the position (`IssueSort`: seconds since 1970, or a count).
    public var value: Double
    /// The id of the issue at the position.
    public var id: Int64
    /// Whether to read the issues before the position (a previous page).
    public var backwards: Bool

    /// Creates a keyset.
    public init(value: Double, id: Int64, backwards: Bool) {
        self.value = value
        self.id = id
        self.backwards = backwards
    }
}
