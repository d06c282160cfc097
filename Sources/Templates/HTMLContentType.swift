internal import Mustache

/// HTML escaping for the built-in templates (`{{% CONTENT_TYPE: NOTIFYD_HTML}}`): the same
/// five characters as swift-mustache's own `HTML` type, but a string that needs no escaping —
/// most of them — is returned as is instead of being rebuilt character by character, which
/// was a third of the rendering time.
struct HTMLContentType: MustacheContentType {
    static let name = "NOTIFYD_HTML"

    func escapeText(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
                return String(decoding: bytes, as: UTF8.self)
            }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                switch byte {
                case 0x26: output.append(contentsOf: Array("&amp;".utf8))
                case 0x3C: output.append(contentsOf: Array("&lt;".utf8))
                case 0x3E: output.append(contentsOf: Array("&gt;".utf8))
                case 0x22: output.append(contentsOf: Array("&quot;".utf8))
                case 0x27: output.append(contentsOf: Array("&#39;".utf8))
                default: output.append(byte)
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Registers the type with swift-mustache (its registry is process-wide; registering the
    /// same type again is harmless).
    static func register() {
        MustacheContentTypes.register(HTMLContentType(), named: name)
    }
}
