extension SDKGrouping {
    /// An exception value or message with what varies between occurrences of one problem replaced:
    /// memory addresses (`0x7f3a…`) by `<hex>`, UUIDs by `<uuid>`, absolute paths by their last
    /// component, and tokens of digits only by `<int>`.
    ///
    /// ```text
    /// "<Foo object at 0x7f3a2c> has no attribute 'x'"  →  "<Foo object at <hex>> has no attribute 'x'"
    /// "[Errno 2] No such file: '/tmp/tmpa81x/in.csv'"  →  "[Errno <int>] No such file: 'in.csv'"
    /// "order 1842 of user u17 failed"                  →  "order <int> of user u17 failed"
    /// ```
    static func normalizedValue(_ text: String) -> String { normalized(text, all: true) }

    /// A function name with memory addresses replaced by `<hex>` (`<lambda at 0x7f…>`).
    static func normalizedFunction(_ text: String) -> String { normalized(text, all: false) }

    /// The last component of a path, for `/` and `\` separators.
    static func lastPathComponent(_ path: String) -> String {
        guard let separator = path.lastIndex(where: { $0 == "/" || $0 == "\\" }) else { return path }
        return String(path[path.index(after: separator)...])
    }

    /// One pass over the UTF-8 bytes; `all` adds UUIDs, paths and digit tokens to addresses.
    private static func normalized(_ text: String, all: Bool) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let atBoundary = index == 0 || !isWord(bytes[index - 1])
            if atBoundary, let end = hexAddressEnd(bytes, from: index) {
                output += Array("<hex>".utf8)
                index = end
            } else if all, atBoundary, let end = uuidEnd(bytes, from: index) {
                output += Array("<uuid>".utf8)
                index = end
            } else if all, index == 0 || isPathStart(bytes[index - 1]), let (end, nameStart) = absolutePath(bytes, from: index) {
                output += bytes[nameStart..<end]
                index = end
            } else if all, atBoundary, isDigit(bytes[index]) {
                var end = index
                while end < bytes.count, isDigit(bytes[end]) { end += 1 }
                if end == bytes.count || !isWord(bytes[end]) {
                    output += Array("<int>".utf8)
                } else {
                    output += bytes[index..<end]
                }
                index = end
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `0x` and at least one hex digit, ending at a word boundary.
    private static func hexAddressEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start + 2 < bytes.count, bytes[start] == UInt8(ascii: "0"), bytes[start + 1] | 0x20 == UInt8(ascii: "x"),
            isHex(bytes[start + 2])
        else { return nil }
        var end = start + 2
        while end < bytes.count, isHex(bytes[end]) { end += 1 }
        return end == bytes.count || !isWord(bytes[end]) ? end : nil
    }

    /// `8-4-4-4-12` hex digits, ending at a word boundary.
    private static func uuidEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        for (group, length) in [8, 4, 4, 4, 12].enumerated() {
            if group > 0 {
                guard index < bytes.count, bytes[index] == UInt8(ascii: "-") else { return nil }
                index += 1
            }
            for _ in 0..<length {
                guard index < bytes.count, isHex(bytes[index]) else { return nil }
                index += 1
            }
        }
        return index == bytes.count || !isWord(bytes[index]) ? index : nil
    }

    /// An absolute path of at least two components (`/srv/app/x.py`, `C:\app\x.py`): its end and
    /// where its last component starts. Paths end at whitespace, quotes, brackets and `,;:`.
    private static func absolutePath(_ bytes: [UInt8], from start: Int) -> (end: Int, nameStart: Int)? {
        var index = start
        if index + 2 < bytes.count, isLetter(bytes[index]), bytes[index + 1] == UInt8(ascii: ":"), bytes[index + 2] == UInt8(ascii: "\\") {
            index += 2
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: "\\") else { return nil }
        var separators = 0
        var nameStart = index
        while index < bytes.count, !isPathEnd(bytes[index]) {
            if bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: "\\") {
                separators += 1
                nameStart = index + 1
            }
            index += 1
        }
        return separators >= 2 && nameStart < index ? (index, nameStart) : nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    private static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66) }
    /// Letters, digits, `_` and any non-ASCII byte (part of a non-ASCII letter, as far as we know).
    private static func isWord(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) || byte == UInt8(ascii: "_") || byte >= 0x80 }
    private static func isPathStart(_ byte: UInt8) -> Bool { " \t\n'\"`([=".utf8.contains(byte) }
    private static func isPathEnd(_ byte: UInt8) -> Bool { " \t\r\n'\"`()[]<>,;:".utf8.contains(byte) }
}
