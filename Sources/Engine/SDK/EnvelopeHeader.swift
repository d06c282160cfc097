public import Foundation

/// The first line of an envelope: a JSON object whose fields apply to every item.
///
/// The fields notifyd reads are validated; every other member (`trace`, …) is kept as sent in
/// `members`.
public struct EnvelopeHeader: Sendable, Hashable {
    /// The id of the event the envelope carries (32 lower-case hex digits), if the SDK set one.
    public var eventID: String?
    /// The DSN the SDK was configured with; SDKs that send through a tunnel include it, and an
    /// endpoint may take the `sentry_key` and project id from it when a request has no other
    /// credentials.
    public var dsn: DSN?
    /// When the SDK sent the envelope.
    public var sentAt: Date?
    /// The SDK's name (`sentry.python`), if given.
    public var sdkName: String?
    /// The SDK's version, if given.
    public var sdkVersion: String?
    /// The header object as sent.
    public var members: [String: JSONValue]

    /// Reads a parsed header object.
    ///
    /// - Throws: `EnvelopeError.Code.invalidHeader` naming the field when `event_id` is not a
    ///   UUID, `dsn` is not a DSN, `sent_at` is not a timestamp or `sdk` is not an object.
    public init(_ members: [String: JSONValue]) throws(EnvelopeError) {
        self.members = members
        if let value = members["event_id"], !value.isNull {
            guard let text = value.stringValue, let id = UUIDText.normalize(text) else {
                throw EnvelopeError(.invalidHeader, field: "event_id", "\(value.serializedString()) is not a UUID")
            }
            eventID = id
        }
        if let value = members["dsn"], !value.isNull {
            guard let text = value.stringValue else {
                throw EnvelopeError(.invalidHeader, field: "dsn", "expected string, got \(value.typeName)")
            }
            do {
                dsn = try DSN(parsing: text)
            } catch {
                throw EnvelopeError(.invalidHeader, field: "dsn", error.reason)
            }
        }
        if let value = members["sent_at"], !value.isNull {
            guard let date = Timestamp.parse(value) else {
                throw EnvelopeError(.invalidHeader, field: "sent_at", "\(value.serializedString()) is not a timestamp")
            }
            sentAt = date
        }
        if let value = members["sdk"], !value.isNull {
            guard let sdk = value.objectValue else {
                throw EnvelopeError(.invalidHeader, field: "sdk", "expected object, got \(value.typeName)")
            }
            sdkName = sdk["name"]?.stringValue
            sdkVersion = sdk["version"]?.stringValue
        }
    }
}
