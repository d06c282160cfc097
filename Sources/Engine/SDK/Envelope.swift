public import Foundation

/// A Sentry envelope (`develop.sentry.dev/sdk/envelopes`): a header line, then items, each an
/// item header line followed by a payload.
///
/// ```text
/// {"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","sent_at":"2025-06-15T14:40:00.000Z"}
/// {"type":"event","length":34}
/// {"message":"hello","level":"info"}
/// {"type":"session"}
/// {"sid":"…","status":"ok"}
/// ```
///
/// An item header with a `length` is followed by exactly that many bytes and then an optional
/// newline; without one, the payload runs to the next newline (or the end). Blank lines where an
/// item header is expected (trailing newlines, a `\r\n` after a payload) are skipped. A `\r`
/// before a newline belongs to its line, which the JSON parser reads as whitespace, so CRLF
/// envelopes of line-delimited items parse too.
///
/// Parsing is per item: a malformed item header becomes an `EnvelopeItemError` in its place and
/// the items after it are still read, except after a `length` that runs past the end (nothing
/// can follow it) and after an unreadable header, whose extent is unknown: its next line is taken
/// to be its payload, as for the line-delimited JSON items SDKs send.
public struct Envelope: Sendable, Hashable {
    /// The envelope header.
    public var header: EnvelopeHeader
    /// The items in order: each readable item, or the error that made it unreadable.
    public var items: [Result<EnvelopeItem, EnvelopeItemError>]

    /// Parses an envelope.
    ///
    /// - Parameters:
    ///   - data: the (decompressed) envelope bytes.
    ///   - maximumDepth: how deeply the header JSON may nest.
    /// - Throws: `EnvelopeError` when there is no header line or it is not a valid header object.
    public init(parsing data: Data, maximumDepth: Int = 64) throws(EnvelopeError) {
        let end = data.endIndex
        let headerEnd = data[data.startIndex..<end].firstIndex(of: Self.newline) ?? end
        let headerLine = data[data.startIndex..<headerEnd]
        guard !Self.isBlank(headerLine) else { throw EnvelopeError(.empty, "the envelope has no header line") }
        let headerValue: JSONValue
        do {
            headerValue = try JSONValue.parse(headerLine, maxDepth: maximumDepth)
        } catch {
            throw EnvelopeError(.invalidHeader, "the header line is not JSON: \(error.description)")
        }
        guard let members = headerValue.objectValue else {
            throw EnvelopeError(.invalidHeader, "the header line must be a JSON object, got \(headerValue.typeName)")
        }
        header = try EnvelopeHeader(members)
        items = Self.items(in: data, from: Swift.min(headerEnd + 1, end), maximumDepth: maximumDepth)
    }

    private static let newline = UInt8(ascii: "\n")

    private static func isBlank(_ bytes: Data) -> Bool {
        bytes.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }

    /// The end of the line starting at `position` (the index of its newline, or the end).
    private static func lineEnd(in data: Data, from position: Data.Index) -> Data.Index {
        data[position..<data.endIndex].firstIndex(of: newline) ?? data.endIndex
    }

    private static func items(in data: Data, from start: Data.Index, maximumDepth: Int) -> [Result<EnvelopeItem, EnvelopeItemError>] {
        let end = data.endIndex
        var items: [Result<EnvelopeItem, EnvelopeItemError>] = []
        var position = start
        while position < end {
            let headerEnd = lineEnd(in: data, from: position)
            let line = data[position..<headerEnd]
            let payloadStart = Swift.min(headerEnd + 1, end)
            guard !isBlank(line) else {
                position = payloadStart
                continue
            }
            let index = items.count
            func malformed(_ type: String, _ reason: String) -> Result<EnvelopeItem, EnvelopeItemError> {
                .failure(EnvelopeItemError(.malformed, index: index, type: type, reason))
            }
            guard let headers = (try? JSONValue.parse(line, maxDepth: maximumDepth))?.objectValue else {
                items.append(malformed("unknown", "the item header is not a JSON object"))
                position = Swift.min(lineEnd(in: data, from: payloadStart) + 1, end)
                continue
            }
            let type = headers["type"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            let payloadEnd: Data.Index
            if let lengthValue = headers["length"], !lengthValue.isNull {
                guard let raw = lengthValue.intValue, raw >= 0, let length = Int(exactly: raw) else {
                    items.append(malformed(type ?? "unknown", "length must be a non-negative integer, got \(lengthValue.serializedString())"))
                    position = Swift.min(lineEnd(in: data, from: payloadStart) + 1, end)
                    continue
                }
                let available = end - payloadStart
                guard length <= available else {
                    items.append(malformed(type ?? "unknown", "length \(length) runs past the end of the envelope (\(available) bytes left)"))
                    break
                }
                payloadEnd = payloadStart + length
                position = payloadEnd < end && data[payloadEnd] == newline ? payloadEnd + 1 : payloadEnd
            } else {
                payloadEnd = lineEnd(in: data, from: payloadStart)
                position = Swift.min(payloadEnd + 1, end)
            }
            guard let type else {
                items.append(malformed("unknown", "the item header has no type"))
                continue
            }
            items.append(.success(EnvelopeItem(index: index, type: type, headers: headers, payload: Data(data[payloadStart..<payloadEnd]))))
        }
        return items
    }
}
