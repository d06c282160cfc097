/// The text free-text search matches an issue by (Sentry's `search_message` augmented with
/// the occurrence): the event's message or placeholder title, then the occurrence's title,
/// subtitle and culprit, each added only if not already contained.
enum SearchMessage {
    /// Titles that say "no real title"; they never replace a real one.
    static let placeholders: Set<String> = ["<unlabeled event>", "<untitled>", "<no message>", "<unknown>"]

    static let maximumLength = 8192

    /// The full search message.
    static func make(event: Event, occurrence: IssueOccurrence) -> String {
        var message = event.message ?? ""
        let eventTitle = event.message.map { firstLine($0) } ?? "<unlabeled event>"
        append(eventTitle, to: &message)
        for part in [occurrence.issueTitle, occurrence.subtitle, occurrence.culprit] {
            append(part, to: &message)
        }
        return String(message.prefix(maximumLength))
    }

    /// What an issue stores: the first line, at most 255 characters.
    static func groupMessage(_ message: String) -> String {
        String(firstLine(message).prefix(255))
    }

    private static func append(_ part: String, to message: inout String) {
        guard !part.isEmpty, !contains(message, part) else { return }
        message = message.isEmpty ? part : "\(message) \(part)"
    }

    /// Substring test on UTF-8 bytes: the same answer as `String.contains` for the exact
    /// (non-normalizing) match Python's `in` does, at a fraction of the cost on the hot path.
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        let needleBytes = Array(needle.utf8)
        guard let first = needleBytes.first else { return true }
        let haystackBytes = Array(haystack.utf8)
        guard haystackBytes.count >= needleBytes.count else { return false }
        var start = 0
        while start <= haystackBytes.count - needleBytes.count {
            if haystackBytes[start] == first {
                var offset = 1
                while offset < needleBytes.count, haystackBytes[start + offset] == needleBytes[offset] { offset += 1 }
                if offset == needleBytes.count { return true }
            }
            start += 1
        }
        return false
    }

    private static func firstLine(_ text: String) -> String {
        guard let newline = text.utf8.firstIndex(of: UInt8(ascii: "\n")) else { return text }
        return String(text[..<newline])
    }
}
