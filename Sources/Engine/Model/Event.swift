public import Foundation

/// A stored event: the context an occurrence happened in (platform, tags, release, user…).
///
/// The searchable fields are columns; everything else of the event body is kept in `data`.
public struct Event: Sendable, Hashable {
    /// 32 lower-case hex digits, unique per project.
    public var eventID: String
    /// The project the event belongs to.
    public var projectID: Int64
    /// When the event happened (UTC).
    public var timestamp: Date
    /// When notifyd received it.
    public var received: Date
    /// SDK platform (`python`, `javascript`, `other`…).
    public var platform: String
    /// Event level.
    public var level: Level
    /// Release version, if any.
    public var release: String?
    /// Environment name, if any.
    public var environment: String?
    /// Tags as ordered key/value pairs.
    public var tags: [EventTag]
    /// The event body as received (normalized), with the keys notifyd keeps.
    ///
    /// An event decoded from message bytes leaves out the bulky members ingest never looks
    /// into (`stacktrace`, `breadcrumbs`, `exception`, `debug_meta`, `modules`, `extra`); they
    /// are stored verbatim, and events read from the store have them.
    public var data: [String: JSONValue]

    /// Creates an event.
    public init(
        eventID: String, projectID: Int64, timestamp: Date, received: Date, platform: String, level: Level,
        release: String? = nil, environment: String? = nil, tags: [EventTag] = [], data: [String: JSONValue] = [:]
    ) {
        self.eventID = eventID
        self.projectID = projectID
        self.timestamp = timestamp
        self.received = received
        self.platform = platform
        self.level = level
        self.release = release
        self.environment = environment
        self.tags = tags
        self.data = data
    }

    /// The value of tag `key`, if present.
    public func tag(_ key: String) -> String? { tags.first(where: { $0.key == key })?.value }

    /// The `user` object of the event body.
    public var user: [String: JSONValue]? { data["user"]?.objectValue }

    /// The event's own message: `logentry.formatted`, `logentry.message` or `message`.
    public var message: String? {
        if let logentry = data["logentry"]?.objectValue {
            if let formatted = logentry["formatted"]?.stringValue, !formatted.isEmpty { return formatted }
            if let message = logentry["message"]?.stringValue, !message.isEmpty { return message }
        }
        if let message = data["message"]?.stringValue, !message.isEmpty { return message }
        return nil
    }
}
