import Engine
import Foundation
import Templates

/// An event rendered for a person: the exception chain with its frames, the message, the HTTP
/// request, the user, contexts, breadcrumbs and extra data, as Sentry's issue page shows them.
///
/// Everything here is text the template escapes; only `http(s)` URLs become links. Like
/// Sentry, the most recent exception and the most recent call come first, in-app frames stand
/// out and the first of them is open with its source lines and local variables.
struct EventView {
    /// At most this many frames per exception are shown (the innermost); a stack deeper than
    /// that says how many were left out.
    static let frameLimit = 200
    static let breadcrumbLimit = 100

    let event: Event
    let time: DisplayTime

    var value: [String: PageValue] {
        let data = event.data
        var values: [String: PageValue] = [
            "id": .text(event.eventID), "time": time.value(event.timestamp), "release": PageValue(event.release),
            "environment": PageValue(event.environment), "message": PageValue(Self.message(event)),
            "exceptions": .list(exceptions(data["exception"])), "request": request(data["request"]),
        ]
        let user = Self.pairs(data["user"])
        values["hasUser"] = .flag(!user.isEmpty)
        values["user"] = .list(user)
        values["contexts"] = .list(
            (data["contexts"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.compactMap { name, value -> PageValue? in
                let entries = Self.pairs(value)
                return entries.isEmpty ? nil : ["name": .text(name), "entries": .list(entries)]
            })
        let crumbs = breadcrumbs(data["breadcrumbs"])
        values["hasBreadcrumbs"] = .flag(!crumbs.isEmpty)
        values["breadcrumbs"] = .list(crumbs)
        let extra = Self.pairs(data["extra"])
        values["hasExtra"] = .flag(!extra.isEmpty)
        values["extra"] = .list(extra)
        return values
    }

    /// The event's message, unless it only repeats the exception (Sentry shows it then only
    /// in the exception).
    static func message(_ event: Event) -> String? {
        guard let message = event.message, !message.isEmpty else { return nil }
        let exceptionValues = event.data["exception"]?["values"]?.arrayValue?.compactMap { $0["value"]?.stringValue } ?? []
        return exceptionValues.contains(message) ? nil : message
    }

    private func exceptions(_ value: JSONValue?) -> [PageValue] {
        // `exception` is `{values: [...]}` or, from older SDKs, the list itself.
        let list = value?["values"]?.arrayValue ?? value?.arrayValue ?? []
        var openedInApp = false
        return list.reversed().map { exception in
            let frames = exception["stacktrace"]?["frames"]?.arrayValue ?? []
            var shown: [PageValue] = []
            for frame in frames.suffix(Self.frameLimit).reversed() {
                let inApp = frame["in_app"] == .bool(true)
                let open = inApp && !openedInApp
                if open { openedInApp = true }
                shown.append(Self.frame(frame, inApp: inApp, open: open))
            }
            if frames.count > Self.frameLimit {
                shown.append(["kind": "system", "expandable": false, "file": .text("… \(frames.count - Self.frameLimit) older frames not shown"),
                              "lineNo": false, "colNo": false, "function": false, "inApp": false])
            }
            let mechanism = exception["mechanism"]?["type"]?.stringValue.map { type -> String in
                exception["mechanism"]?["handled"] == .bool(false) ? "\(type) (unhandled)" : type
            }
            return [
                "type": .text(exception["type"]?.stringValue ?? exception["module"]?.stringValue ?? "Error"),
                "value": PageValue(exception["value"]?.stringValue), "mechanism": PageValue(mechanism),
                "hasFrames": .flag(!shown.isEmpty), "frames": .list(shown),
            ]
        }
    }

    private static func frame(_ frame: JSONValue, inApp: Bool, open: Bool) -> PageValue {
        let file = frame["filename"]?.stringValue ?? frame["abs_path"]?.stringValue ?? frame["module"]?.stringValue
        let line = frame["lineno"]?.intValue
        var context: [PageValue] = []
        if let current = frame["context_line"]?.stringValue {
            let before = (frame["pre_context"]?.arrayValue ?? []).compactMap(\.stringValue)
            let after = (frame["post_context"]?.arrayValue ?? []).compactMap(\.stringValue)
            let first = line.map { Int($0) - before.count }
            for (offset, code) in (before + [current] + after).enumerated() {
                context.append([
                    "no": .text(first.map { String($0 + offset) } ?? ""), "code": .text(code), "current": .flag(offset == before.count),
                ])
            }
        }
        let vars = pairs(frame["vars"])
        return [
            "kind": .text(inApp ? "in-app" : "system"), "inApp": .flag(inApp), "open": .flag(open),
            "expandable": .flag(!context.isEmpty || !vars.isEmpty), "file": PageValue(file),
            "lineNo": PageValue(line.map(String.init)), "colNo": PageValue(frame["colno"]?.intValue.map(String.init)),
            "function": PageValue(frame["function"]?.stringValue), "hasContext": .flag(!context.isEmpty), "context": .list(context),
            "hasVars": .flag(!vars.isEmpty), "vars": .list(vars), "varCount": .text(String(vars.count)),
        ]
    }

    private func request(_ value: JSONValue?) -> PageValue {
        guard let request = value?.objectValue, !request.isEmpty else { return false }
        var fields: [PageValue] = []
        if let query = request["query_string"], query.isTruthy {
            fields.append(["key": "query", "value": .text(query.stringValue ?? query.serializedString())])
        }
        for (name, value) in (request["headers"].map(Self.keyValues) ?? []) {
            fields.append(["key": .text(name), "value": .text(value)])
        }
        if let body = request["data"], body.isTruthy {
            fields.append(["key": "body", "value": .text(body.stringValue ?? body.serializedString())])
        }
        return [
            "method": .text(request["method"]?.stringValue ?? ""), "url": SafeLink.value(request["url"]?.stringValue ?? ""),
            "hasFields": .flag(!fields.isEmpty), "fields": .list(fields),
        ]
    }

    private func breadcrumbs(_ value: JSONValue?) -> [PageValue] {
        let list = value?["values"]?.arrayValue ?? value?.arrayValue ?? []
        return list.suffix(Self.breadcrumbLimit).map { crumb in
            var message = crumb["message"]?.stringValue ?? ""
            if let data = crumb["data"], data.isTruthy {
                message += (message.isEmpty ? "" : " ") + data.serializedString()
            }
            // HH:MM:SS.mmm of the UTC time.
            let time = crumb["timestamp"].flatMap(Timestamp.parse).map { String(Timestamp.format($0).dropFirst(11).prefix(12)) } ?? ""
            return [
                "time": .text(time), "category": .text(crumb["category"]?.stringValue ?? crumb["type"]?.stringValue ?? ""),
                "level": .text(crumb["level"]?.stringValue ?? ""), "message": .text(message),
            ]
        }
    }

    /// An object's members (or a list of `[key, value]` pairs) as sorted key/value rows; values
    /// that are not text are shown as JSON.
    static func pairs(_ value: JSONValue?) -> [PageValue] {
        keyValues(value ?? .null).map { ["key": .text($0.0), "value": .text($0.1)] }
    }

    static func keyValues(_ value: JSONValue) -> [(String, String)] {
        switch value {
        case .object(let members):
            return members.sorted { $0.key < $1.key }.map { ($0.key, $0.value.stringValue ?? $0.value.serializedString()) }
        case .array(let items):
            return items.compactMap { item in
                guard let pair = item.arrayValue, pair.count == 2, let key = pair[0].stringValue else { return nil }
                return (key, pair[1].stringValue ?? pair[1].serializedString())
            }
        default:
            return []
        }
    }
}
