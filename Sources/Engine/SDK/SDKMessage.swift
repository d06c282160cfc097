/// The message of an SDK event, from any of the shapes SDKs send it in: `logentry` with a
/// format string and its `params` (Python's logging integration), `logentry.formatted`, a
/// plain `message` string (`capture_message`), or the legacy `message` object.
struct SDKMessage: Sendable, Hashable {
    /// The format string before parameters (`User %s failed`), if the SDK sent one.
    var format: String?
    /// The parameters, as sent.
    var params: JSONValue?
    /// The message as the user reads it: `formatted` as sent, else the format string with its
    /// parameters filled in, else the format string.
    var formatted: String

    /// Reads the message of an event; `nil` when it has none.
    init?(event: [String: JSONValue]) {
        // `message` as an object is the legacy spelling of `logentry` (Relay reads it as such).
        let entry = event["logentry"]?.objectValue ?? event["message"]?.objectValue
        let format = SDKEvent.string(entry?["message"])
        let params = entry?["params"].flatMap { $0.isNull ? nil : $0 }
        let sent = SDKEvent.string(entry?["formatted"]) ?? SDKEvent.string(event["message"])
        guard let formatted = sent ?? format.map({ format in params.flatMap { Self.fill(format, with: $0) } ?? format }) else {
            return nil
        }
        self.format = format
        self.params = params
        self.formatted = formatted
    }

    /// What grouping reads: the format string before parameters, so one log call groups as one
    /// issue whatever its arguments; else the message as sent.
    var groupingText: String { format ?? formatted }

    /// The normalized `logentry` object stored with the event.
    var logentry: JSONValue {
        var members: [String: JSONValue] = ["formatted": .string(formatted)]
        if let format { members["message"] = .string(format) }
        if let params { members["params"] = params }
        return .object(members)
    }

    /// Fills a Python %-style format (`%s`, `%d`, `%(name)s`, `%%`) with positional (list) or
    /// named (object) parameters; `nil` when the format and the parameters do not fit, in which
    /// case the format string is shown as is.
    static func fill(_ format: String, with params: JSONValue) -> String? {
        let characters = Array(format)
        var output = ""
        var position = 0
        var nextParam = 0
        while position < characters.count {
            let character = characters[position]
            position += 1
            guard character == "%" else {
                output.append(character)
                continue
            }
            guard position < characters.count else { return nil }
            if characters[position] == "%" {
                output.append("%")
                position += 1
                continue
            }
            var value: JSONValue?
            if characters[position] == "(" {
                guard let close = characters[position...].firstIndex(of: ")") else { return nil }
                value = params[String(characters[(position + 1)..<close])]
                position = close + 1
            } else {
                value = params.arrayValue.flatMap { nextParam < $0.count ? $0[nextParam] : nil }
                nextParam += 1
            }
            // Flags, width, precision and length modifiers change the look, not which value goes in.
            while position < characters.count, "#0- +.*123456789hlL".contains(characters[position]) { position += 1 }
            guard position < characters.count, "diouxXeEfFgGcrsa".contains(characters[position]), let value else { return nil }
            position += 1
            output += text(value)
        }
        return output
    }

    /// A parameter as Python's `str()` would print it.
    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): return string
        case .null: return "None"
        case .bool(let bool): return bool ? "True" : "False"
        case .int(let integer): return String(integer)
        case .double(let double): return String(double)
        case .array, .object: return value.serializedString()
        }
    }
}
