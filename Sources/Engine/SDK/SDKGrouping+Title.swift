import Foundation

extension SDKGrouping {
    /// The longest first line of a value or message kept in a title (Sentry's).
    static let maximumTitleValueLength = 100

    /// The issue title, as Sentry's event types make it:
    /// - an exception: `Type: first line of the value` (value cut to 100 characters with `...`),
    ///   or just the type without a value; `Error` stands in for a missing type. The exception is
    ///   the last of the chain, the one raised last. A synthetic exception's made-up type is not
    ///   shown: its title is the function of the frame it happened in, else `<unknown>`.
    /// - a message: its first line as the user reads it (parameters filled in), cut the same way.
    /// - otherwise `<unlabeled event>`.
    static func title(chain: [SDKException], message: SDKMessage?) -> String {
        if let main = chain.last {
            guard !main.synthetic else { return crashFrame(main.frames)?.function ?? "<unknown>" }
            let type = main.type ?? "Error"
            guard let value = main.value, case let line = firstLine(value), !line.isEmpty else { return type }
            return "\(type): \(truncated(line, to: maximumTitleValueLength))"
        }
        if let message, case let line = firstLine(message.formatted), !line.isEmpty {
            return truncated(line, to: maximumTitleValueLength)
        }
        return "<unlabeled event>"
    }

    /// Where it happened, as Sentry derives it: the SDK's own `culprit` (a deprecated field), else
    /// the `transaction`, else the crash frame of the last exception that has frames (the top
    /// in-app frame, else the top frame) as `module in function` (`function(file)` for
    /// JavaScript, the function alone for native code), else the request URL, else empty.
    static func culprit(event: [String: JSONValue], chain: [SDKException]) -> String {
        if let culprit = SDKEvent.string(event["culprit"]) { return culprit }
        if let transaction = SDKEvent.string(event["transaction"]) { return transaction }
        let platform = event["platform"]?.stringValue
        if let frames = chain.last(where: { !$0.frames.isEmpty })?.frames {
            // Top (most recent) frame first; the first in-app frame with a location wins.
            var fallback: String?
            for frame in frames.reversed() {
                let culprit = frameCulprit(frame, platform: platform)
                if frame.inApp, !culprit.isEmpty { return culprit }
                if fallback == nil, !culprit.isEmpty { fallback = culprit }
            }
            if let fallback { return fallback }
        }
        return event["request"]?["url"]?.stringValue ?? ""
    }

    private static func frameCulprit(_ frame: SDKException.Frame, platform: String?) -> String {
        let platform = frame.platform ?? platform
        if ["objc", "cocoa", "native"].contains(platform) { return frame.function ?? "?" }
        guard let location = frame.module ?? frame.filename else { return "" }
        if ["javascript", "node"].contains(platform) { return "\(frame.function ?? "?")(\(location))" }
        return "\(location) in \(frame.function ?? "?")"
    }

    /// The frame the exception was raised in: the top in-app frame, else the top frame.
    private static func crashFrame(_ frames: [SDKException.Frame]) -> SDKException.Frame? {
        frames.last(where: \.inApp) ?? frames.last
    }

    private static func firstLine(_ text: String) -> String {
        String(text.prefix { $0 != "\n" && $0 != "\r" }).trimmingCharacters(in: .whitespaces)
    }

    private static func truncated(_ text: String, to length: Int) -> String {
        text.count > length ? String(text.prefix(length - 3)) + "..." : text
    }
}
