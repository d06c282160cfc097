extension IssueKeyset {
    /// Reads a cursor string handed out in an `IssuePage`.
    ///
    /// - Throws: `IssueSearchError.invalidCursor` ("Invalid cursor parameter.") for anything else.
    init(cursor text: String) throws(IssueSearchError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let value = Double(parts[0]), value.isFinite, let id = Int64(parts[1]), parts[2] == "0" || parts[2] == "1"
        else { throw IssueSearchError.invalidCursor }
        self.init(value: value, id: id, backwards: parts[2] == "1")
    }

    /// The opaque cursor string: Sentry's `value:offset:is_prev` shape, with the issue id where
    /// Sentry has an offset. Whole values print without a fraction; others print exactly (Swift
    /// prints the shortest text that reads back to the same `Double`), so a cursor names its
    /// issue's position to the bit.
    var cursor: String {
        let whole = value.rounded() == value && abs(value) < 9e15
        return "\(whole ? String(Int64(value)) : String(value)):\(id):\(backwards ? 1 : 0)"
    }
}
