import Foundation

/// An SDK event payload made ready for ingest: the part of Relay's normalization notifyd needs.
///
/// Ids become 32 lower-case hex digits; the timestamp is checked against the clock; `message`
/// and `logentry` become one `logentry` with `formatted` filled in; `exception` takes the
/// `{"values": [...]}` form; tags become string pairs, with the tags Sentry derives from the event
/// (`runtime`, `browser`, `os`, `device`, `server_name`, `transaction`, `url`, `logger`,
/// `handled`, `mechanism`) added where the SDK did not set them. `level`, `environment` and
/// `release` are not copied into tags: they are the event's own columns, and rules read them
/// as tags from there.
///
/// As in Relay, members of the wrong type are dropped rather than refusing the event; only an
/// `event_id` that is not a UUID refuses it.
struct SDKEvent {
    /// Events more than this far in the future take the time they were received (Relay's clock
    /// drift guard), so one SDK with a wrong clock cannot push an issue's "last seen" ahead.
    static let maximumFutureSkew: TimeInterval = 60
    /// Events older than this take the time they were received, as in Relay.
    static let maximumAge: TimeInterval = 30 * 86_400
    /// Relay's limits on tag keys and values; longer tags are dropped.
    static let maximumTagKeyLength = 200
    static let maximumTagValueLength = 200

    var eventID: String
    var timestamp: Date
    var platform: String
    var level: Level
    /// The event body embedded in the occurrence message.
    var body: [String: JSONValue]

    /// Normalizes a parsed payload.
    ///
    /// - Parameters:
    ///   - object: the payload.
    ///   - fallbackEventID: the id to use when the payload has none (the envelope header's); a
    ///     fresh one is generated when this is `nil` too.
    ///   - projectID: the project the event is ingested into.
    ///   - received: when notifyd received the event.
    init(_ object: [String: JSONValue], fallbackEventID: String?, projectID: Int64, received: Date) throws(MessageError) {
        if let value = object["event_id"], !value.isNull {
            guard let text = value.stringValue, let id = UUIDText.normalize(text) else {
                throw MessageError(.invalidValue, field: "event_id", "\(value.serializedString()) is not a UUID")
            }
            eventID = id
        } else {
            eventID = fallbackEventID ?? UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        }
        var timestamp = object["timestamp"].flatMap(Timestamp.parse) ?? received
        if timestamp > received + Self.maximumFutureSkew || timestamp < received - Self.maximumAge { timestamp = received }
        self.timestamp = timestamp
        platform = Self.platform(object["platform"])
        level = Self.level(object["level"])

        var body: [String: JSONValue] = [:]
        for (key, value) in object where MessageDecoder.keptEventKeys.contains(key) && !value.isNull {
            body[key] = value
        }
        body["event_id"] = .string(eventID)
        body["project_id"] = .int(projectID)
        body["platform"] = .string(platform)
        body["timestamp"] = .double(timestamp.timeIntervalSince1970)
        body["received"] = .double(received.timeIntervalSince1970)
        body["message"] = nil
        body["logentry"] = SDKMessage(event: object)?.logentry
        let chain = SDKException.chain(in: object["exception"])
        body["exception"] = (object["exception"]?["values"]?.arrayValue ?? object["exception"]?.arrayValue).map { .object(["values": .array($0)]) }
        body["release"] = Self.text(object["release"]).map(JSONValue.string)
        body["environment"] = Self.text(object["environment"]).map(JSONValue.string)
        body["transaction"] = object["transaction"]?.stringValue.map(JSONValue.string)
        body["server_name"] = Self.text(object["server_name"]).map(JSONValue.string)
        body["logger"] = Self.text(object["logger"]).map(JSONValue.string)
        body["user"] = object["user"]?.objectValue.map(Self.user)
        body["sdk"] = object["sdk"]?.objectValue.map { sdk in
            // Only the name and version: the integration and package lists are long and say nothing about the problem.
            .object(sdk.filter { ["name", "version"].contains($0.key) && $0.value.stringValue != nil })
        }
        body["tags"] = .array(Self.tags(object, body: body, chain: chain).map { .array([.string($0.key), .string($0.value)]) })
        self.body = body
    }

    /// The event's level; an unknown or missing level is `error`, Sentry's default for events.
    static func level(_ value: JSONValue?) -> Level {
        value?.stringValue.flatMap(Level.init(name:)) ?? .error
    }

    /// The platform as sent when it looks like one (`python`, `javascript`), else `other`.
    private static func platform(_ value: JSONValue?) -> String {
        guard let text = value?.stringValue, (1...64).contains(text.utf8.count),
            text.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F })
        else { return "other" }
        return text
    }

    /// A non-empty string; anything else is absent.
    static func string(_ value: JSONValue?) -> String? {
        guard let string = value?.stringValue, !string.isEmpty else { return nil }
        return string
    }

    /// A string, or a number written as text (SDKs send numeric releases); anything else is absent.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let string)?: return string.isEmpty ? nil : string
        case .int(let integer)?: return String(integer)
        case .double(let double)? where double.isFinite: return String(double)
        case .bool(let bool)?: return bool ? "True" : "False"
        default: return nil
        }
    }

    /// The user object without the `{{auto}}` placeholder, which Relay replaces with the client's
    /// address: left in, every such event would count as the same user. Ids become strings, as
    /// in Sentry.
    private static func user(_ user: [String: JSONValue]) -> JSONValue {
        var user = user
        if user["ip_address"]?.stringValue == "{{auto}}" { user["ip_address"] = nil }
        if let id = user["id"], id.stringValue == nil { user["id"] = text(id).map(JSONValue.string) }
        return .object(user)
    }

    /// The SDK's tags (an object, or a list of `[key, value]` pairs), then the derived ones.
    private static func tags(_ object: [String: JSONValue], body: [String: JSONValue], chain: [SDKException]) -> [EventTag] {
        var sent: [(JSONValue, JSONValue)] = []
        switch object["tags"] {
        case .object(let members)?: sent = members.keys.sorted().map { (.string($0), members[$0]!) }
        case .array(let pairs)?: sent = pairs.compactMap { pair in pair.arrayValue.flatMap { $0.count == 2 ? ($0[0], $0[1]) : nil } }
        default: break
        }
        var tags: [EventTag] = []
        var keys: Set<String> = []
        func add(_ key: String?, _ value: String?) {
            guard let key, let value, !key.isEmpty, key.count <= maximumTagKeyLength, !value.isEmpty,
                value.count <= maximumTagValueLength, keys.insert(key).inserted
            else { return }
            tags.append(EventTag(key, value))
        }
        for (key, value) in sent { add(key.stringValue, text(value)) }

        let contexts = object["contexts"]?.objectValue ?? [:]
        for name in ["runtime", "browser", "os"] {
            guard let context = contexts[name]?.objectValue, let contextName = text(context["name"]) else { continue }
            add(name, text(context["version"]).map { "\(contextName) \($0)" } ?? contextName)
            add("\(name).name", contextName)
        }
        if let device = contexts["device"]?.objectValue {
            add("device", text(device["model"]))
            add("device.family", text(device["family"]))
        }
        add("server_name", body["server_name"]?.stringValue)
        add("transaction", body["transaction"]?.stringValue)
        add("url", object["request"]?["url"]?.stringValue)
        add("logger", body["logger"]?.stringValue)
        if let main = chain.last {
            add("handled", main.handled.map { $0 ? "yes" : "no" })
            add("mechanism", main.mechanism)
        }
        return tags
    }
}
