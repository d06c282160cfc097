public import Foundation

/// One item of an envelope: its header and its payload bytes.
public struct EnvelopeItem: Sendable, Hashable {
    /// The item's position in the envelope, from 0.
    public var index: Int
    /// The item type (`event`, `feedback`, `attachment`…).
    public var type: String
    /// The item header as sent (`type`, `length`, `content_type`, `filename`…).
    public var headers: [String: JSONValue]
    /// The payload, exactly `length` bytes when the header gave a length, else the rest of the line.
    public var payload: Data

    /// Creates an item.
    public init(index: Int, type: String, headers: [String: JSONValue], payload: Data) {
        self.index = index
        self.type = type
        self.headers = headers
        self.payload = payload
    }
}
