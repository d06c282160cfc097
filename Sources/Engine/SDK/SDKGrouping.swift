import Foundation

/// How an SDK error event is grouped into an issue, and what the issue is called.
///
/// The grouping components are, in order of preference:
/// 1. **The SDK's `fingerprint`**, when it has at least one string (numbers count as text):
///    each entry is a component, except the variables `{{ default }}` (any spacing or case),
///    which expands to the default components below, and `{{ transaction }}`, `{{ type }}` /
///    `{{ error.type }}`, `{{ error.value }}`, `{{ message }}` and `{{ level }}`, which become
///    that value of the event (or `<no-transaction>`, `<no-type>`, `<no-value>`, `<no-message>`).
/// 2. **The exception chain** (`exception.values`, oldest first): per exception `type:<type>`
///    (left out for `mechanism.synthetic` exceptions, whose type is made up by the SDK), then one
///    `frame:<location>|<function>` per frame, where frames are the in-app frames when any frame of
///    the chain is in app, else all frames; an exception with no such frame adds `value:<value>`.
/// 3. **The message**: `message:<text>`, with the format string before parameters
///    (`logentry.message`) when there is one, else the message as sent (`message`,
///    `logentry.formatted`).
/// 4. Otherwise `fallback`: every such event is one issue.
///
/// Nothing that changes from one occurrence of the same problem to the next may split a group:
/// - Line and column numbers, `vars`, context lines and `abs_path` are never read.
/// - A frame's location is its `module`, else the last path component of its `filename` (or
///   `abs_path`), so the directory the code runs from does not count.
/// - Functions: memory addresses (`0x` and hex digits) become `<hex>`.
/// - Exception values and messages: memory addresses become `<hex>`, UUIDs `<uuid>`, absolute
///   paths (`/…/…`, `C:\…`) their last component, and tokens of digits only (`42` in
///   `id 42`, not `v2`) `<int>`.
/// - Every component is cut to 1024 characters.
///
/// The components, as a JSON array, are the occurrence's raw fingerprint; the consumer hashes it
/// into the issue's group hash, so equal components always give the same issue.
public struct SDKGrouping: Sendable, Hashable {
    /// Which rule decided the components.
    public enum Method: String, Sendable, Hashable {
        case fingerprint, exception, message, fallback
    }

    /// Which rule decided the components.
    public var method: Method
    /// The grouping components.
    public var components: [String]
    /// The issue title: `Type: value` for an exception (the last of the chain, the one raised
    /// last; the value's first line, cut to 100 characters), else the message's first line,
    /// else `<unlabeled event>`.
    public var title: String
    /// The issue's `metadata.value`: the main exception's value or the message, up to 1024 characters.
    public var subtitle: String
    /// Where it happened: the `transaction`, else the top in-app frame as `module in function`,
    /// else the request URL, else empty.
    public var culprit: String

    /// The longest component kept.
    static let maximumComponentLength = 1024

    /// Groups and names an event payload (as an SDK sends it, or as normalized for storage).
    public init(event: [String: JSONValue]) {
        let chain = SDKException.chain(in: event["exception"])
        let message = SDKMessage(event: event)
        let defaults = Self.defaultComponents(chain: chain, message: message)
        if let custom = Self.fingerprintComponents(event: event, chain: chain, message: message, defaults: defaults.components) {
            method = .fingerprint
            components = custom
        } else {
            (method, components) = defaults
        }
        title = Self.title(chain: chain, message: message)
        subtitle = String((chain.last.map { $0.value ?? "" } ?? message?.formatted ?? "").prefix(1024))
        culprit = Self.culprit(event: event, chain: chain)
    }

    /// The raw fingerprint part the occurrence carries: the components as a JSON array.
    public var fingerprint: String {
        JSONValue.array(components.map(JSONValue.string)).serializedString()
    }

    private static func defaultComponents(chain: [SDKException], message: SDKMessage?) -> (method: Method, components: [String]) {
        let exception = exceptionComponents(chain)
        if !exception.isEmpty { return (.exception, exception) }
        if let message { return (.message, [cut("message:" + normalizedValue(message.groupingText))]) }
        return (.fallback, ["fallback"])
    }

    private static func exceptionComponents(_ chain: [SDKException]) -> [String] {
        let inAppOnly = chain.contains { $0.frames.contains(where: \.inApp) }
        var components: [String] = []
        for exception in chain {
            if !exception.synthetic, let type = exception.type { components.append(cut("type:" + type)) }
            let frames = exception.frames.filter { !inAppOnly || $0.inApp }.compactMap(frameComponent)
            components += frames
            if frames.isEmpty, let value = exception.value { components.append(cut("value:" + normalizedValue(value))) }
        }
        return components
    }

    private static func frameComponent(_ frame: SDKException.Frame) -> String? {
        let location = frame.module ?? (frame.filename ?? frame.absPath).map(lastPathComponent)
        let function = frame.function.map(normalizedFunction)
        guard location != nil || function != nil else { return nil }
        return cut("frame:\(location ?? "")|\(function ?? "")")
    }

    /// The SDK's fingerprint with its variables resolved; `nil` when it has no usable entry.
    private static func fingerprintComponents(
        event: [String: JSONValue], chain: [SDKException], message: SDKMessage?, defaults: [String]
    ) -> [String]? {
        let entries = (event["fingerprint"]?.arrayValue ?? []).compactMap { SDKEvent.text($0) }
        guard !entries.isEmpty else { return nil }
        var components: [String] = []
        for entry in entries {
            guard entry.hasPrefix("{{"), entry.hasSuffix("}}"), entry.count >= 4 else {
                components.append(cut(entry))
                continue
            }
            let variable = entry.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespaces).lowercased()
            switch variable {
            case "default": components += defaults
            case "transaction": components.append(cut(SDKEvent.text(event["transaction"]) ?? "<no-transaction>"))
            case "type", "error.type": components.append(cut(chain.last?.type ?? "<no-type>"))
            case "error.value": components.append(cut(chain.last?.value ?? "<no-value>"))
            case "message": components.append(cut(message?.formatted ?? "<no-message>"))
            case "level": components.append(SDKEvent.level(event["level"]).rawValue)
            default: components.append(cut(entry))
            }
        }
        return components
    }

    private static func cut(_ component: String) -> String {
        component.count > maximumComponentLength ? String(component.prefix(maximumComponentLength)) : component
    }
}
