/// Normalizes ids the way Python's `UUID(value).hex` does: any accepted UUID spelling
/// (dashed, braced, `urn:uuid:` prefixed, upper case) becomes 32 lower-case hex digits.
enum UUIDText {
    /// The 32-digit form, or `nil` if `text` is not a UUID.
    static func normalize(_ text: String) -> String? {
        var body = Substring(text)
        if body.hasPrefix("urn:uuid:") { body = body.dropFirst(9) }
        if body.hasPrefix("{") && body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        var hex = ""
        hex.reserveCapacity(32)
        for character in body where character != "-" {
            guard character.isHexDigit, character.isASCII else { return nil }
            hex.append(character.lowercased())
        }
        return hex.count == 32 ? hex : nil
    }
}
