/// The one check of email addresses, shared by rule files (`to:`) and the SMTP channel (its
/// sender and each delivery's recipient), so an address one accepts the other sends.
enum EmailAddress {
    /// Whether `text` is a bare address (`dev@example.com`): one `@`, a dotted domain, and no
    /// whitespace (CR and LF included), angle brackets or commas, so it cannot smuggle a second
    /// address, a header or an SMTP command.
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
    }
}
