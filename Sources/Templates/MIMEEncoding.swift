import Foundation

/// The encodings a mail needs: header values safe from CR/LF injection, RFC 2047
/// encoded-words for non-ASCII headers, RFC 2045 quoted-printable bodies, RFC 5322 dates.
enum MIMEEncoding {
    /// A header value with every line break (and other control character) replaced by a space,
    /// so a value can never start a header of its own.
    static func headerValue(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    /// A header text: as is when printable ASCII, else UTF-8 base64 encoded-words of at most 75
    /// characters each (split on character boundaries so no word holds half a character).
    static func headerWords(_ value: String) -> String {
        let safe = headerValue(value)
        if safe.unicodeScalars.allSatisfy({ $0.isASCII }) && !safe.contains("=?") { return safe }
        var words: [String] = []
        var chunk = ""
        // 75 - len("=?UTF-8?B??=") = 63 base64 characters, i.e. at most 45 bytes of UTF-8.
        for character in safe {
            if chunk.utf8.count + character.utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// Quoted-printable with CRLF hard breaks and soft breaks keeping lines within 76
    /// characters, in one pass over the UTF-8 bytes (LF and CRLF both end a line).
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        var length = 0
        var index = 0
        func endsLine(at position: Int) -> Bool {
            position == bytes.count || bytes[position] == 0x0A || (bytes[position] == 0x0D && position + 1 < bytes.count && bytes[position + 1] == 0x0A)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) {
                output.append(contentsOf: [0x0D, 0x0A])
                index += byte == 0x0D ? 2 : 1
                length = 0
                continue
            }
            // Printable ASCII stays; a space or tab too, unless it ends the line.
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !endsLine(at: index + 1))
            let width = literal ? 1 : 3
            // Leave room for the "=" of a soft break.
            if length + width > 75 {
                output.append(contentsOf: [UInt8(ascii: "="), 0x0D, 0x0A])
                length = 0
            }
            if literal {
                output.append(byte)
            } else {
                output.append(contentsOf: [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
            length += width
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `Tue, 24 Nov 2026 11:40:00 +0000`.
    static func date(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = Int(floor(Double(seconds) / 86_400))
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        // Days to civil date (Howard Hinnant).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(day) \(months[month - 1]) \(year) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) +0000"
    }
}
