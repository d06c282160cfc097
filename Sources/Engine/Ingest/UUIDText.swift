/// Normalizes ids the way Python's `UUID(value).hex` does: any accepted UUID spelling
/// (dashed, braced, `urn:uuid:` prefixed, upper case) becomes 32 lower-case hex digits.
enum UUIDText {
    /// The 32-digit form, or `nil` if `text` is not a UUID.
    static func normalize(_ text: String) -> String? {
        var body = Substring(text)
        if body.hasPrefix("urn:uuid:") { body = body.dropFirst(9) }
        if body.hasPrefix("{") && body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        var hex: [UInt8] = []
        hex.reserveCapacity(32)
        for byte in body.utf8 where byte != UInt8(ascii: "-") {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): hex.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): hex.append(byte + 32)
            default: return nil
            }
            guard hex.count <= 32 else { return nil }
        }
        return hex.count == 32 ? String(decoding: hex, as: UTF8.self) : nil
    }
}
