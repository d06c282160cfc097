extension MessageDecoder {
    /// Typed access to the members of one JSON object, with errors that name the member by its
    /// full path (`event.platform`).
    struct Fields {
        let object: [String: JSONValue]
        let path: String

        init(_ object: [String: JSONValue], path: String) {
            self.object = object
            self.path = path
        }

        subscript(key: String) -> JSONValue? { object[key] }

        func name(_ key: String) -> String { path + key }

        func missing(_ key: String) -> MessageError { MessageError(.missingField, field: name(key), "required field is missing") }

        func wrongType(_ key: String, expected: String, got value: JSONValue) -> MessageError {
            MessageError(.wrongType, field: name(key), "expected \(expected), got \(value.typeName)")
        }

        func string(_ key: String) throws(MessageError) -> String {
            guard let value = object[key], !value.isNull else { throw missing(key) }
            guard let string = value.stringValue else { throw wrongType(key, expected: "string", got: value) }
            return string
        }

        func optionalString(_ key: String) throws(MessageError) -> String? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let string = value.stringValue else { throw wrongType(key, expected: "string", got: value) }
            return string
        }

        func int(_ key: String) throws(MessageError) -> Int64 {
            guard let value = object[key], !value.isNull else { throw missing(key) }
            guard case .int(let integer) = value else { throw wrongType(key, expected: "integer", got: value) }
            return integer
        }

        func optionalObject(_ key: String) throws(MessageError) -> [String: JSONValue]? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let members = value.objectValue else { throw wrongType(key, expected: "object", got: value) }
            return members
        }

        func uuid(_ key: String) throws(MessageError) -> String {
            guard let value = try optionalUUID(key) else { throw missing(key) }
            return value
        }

        /// A UUID in any spelling, normalized to 32 hex digits. Empty strings count as absent,
        /// as Sentry's truthiness checks do.
        func optionalUUID(_ key: String) throws(MessageError) -> String? {
            guard let text = try optionalString(key), !text.isEmpty else { return nil }
            guard let normalized = UUIDText.normalize(text) else {
                throw MessageError(.invalidValue, field: name(key), "'\(text)' is not a UUID")
            }
            return normalized
        }

        func fingerprint() throws(MessageError) -> [String] {
            guard let value = object["fingerprint"], !value.isNull else { throw missing("fingerprint") }
            guard let parts = value.arrayValue else { throw wrongType("fingerprint", expected: "list of strings", got: value) }
            guard !parts.isEmpty else {
                throw MessageError(.invalidValue, field: name("fingerprint"), "fingerprint must be non-empty")
            }
            var strings: [String] = []
            strings.reserveCapacity(parts.count)
            for (offset, part) in parts.enumerated() {
                guard let string = part.stringValue else {
                    throw MessageError(.wrongType, field: name("fingerprint[\(offset)]"), "expected string, got \(part.typeName)")
                }
                strings.append(string)
            }
            return strings
        }

        func priority(_ key: String) throws(MessageError) -> PriorityLevel? {
            guard let value = object[key], !value.isNull else { return nil }
            guard case .int(let raw) = value else { throw wrongType(key, expected: "integer", got: value) }
            guard let priority = PriorityLevel(rawValue: Int(raw)) else {
                throw MessageError(.invalidValue, field: name(key), "unknown priority \(raw) (expected 25, 50 or 75)")
            }
            return priority
        }

        func evidenceDisplay() throws(MessageError) -> [IssueEvidence] {
            guard let value = object["evidence_display"], !value.isNull else { return [] }
            guard let rows = value.arrayValue else { throw wrongType("evidence_display", expected: "list", got: value) }
            var evidence: [IssueEvidence] = []
            for (offset, row) in rows.enumerated() {
                guard let members = row.objectValue else {
                    throw wrongType("evidence_display[\(offset)]", expected: "object", got: row)
                }
                let rowFields = Fields(members, path: name("evidence_display[\(offset)]."))
                guard let importantValue = members["important"], !importantValue.isNull else { throw rowFields.missing("important") }
                guard case .bool(let important) = importantValue else {
                    throw rowFields.wrongType("important", expected: "boolean", got: importantValue)
                }
                evidence.append(IssueEvidence(name: try rowFields.string("name"), value: try rowFields.string("value"), important: important))
            }
            return evidence
        }

        /// `user:<id>` or `team:<id>`; anything else is logged by Sentry and dropped, and so is it here
        /// (notifyd has no members to check the id against).
        func assignee() throws(MessageError) -> String? {
            guard let text = try optionalString("assignee"), !text.isEmpty else { return nil }
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0] == "user" || parts[0] == "team", Int64(parts[1]) != nil else { return nil }
            return text
        }

        /// Tags as an object (`{"k": "v"}`) or a list of pairs (`[["k", "v"]]`); scalar values
        /// become strings, as SDKs send numbers and booleans too.
        func tags() throws(MessageError) -> [EventTag] {
            guard let value = object["tags"], !value.isNull else { return [] }
            func text(_ value: JSONValue, field: String) throws(MessageError) -> String {
                switch value {
                case .string(let string): return string
                case .int(let integer): return String(integer)
                case .bool(let bool): return bool ? "True" : "False"
                case .double(let double) where double.isFinite: return String(double)
                default: throw MessageError(.wrongType, field: field, "expected a string tag value, got \(value.typeName)")
                }
            }
            switch value {
            case .object(let members):
                var tags: [EventTag] = []
                for key in members.keys.sorted() {
                    tags.append(EventTag(key, try text(members[key]!, field: name("tags.\(key)"))))
                }
                return tags
            case .array(let pairs):
                var tags: [EventTag] = []
                for (offset, pair) in pairs.enumerated() {
                    guard let elements = pair.arrayValue, elements.count == 2, let key = elements[0].stringValue else {
                        throw MessageError(.wrongType, field: name("tags[\(offset)]"), "expected a [key, value] pair")
                    }
                    tags.append(EventTag(key, try text(elements[1], field: name("tags[\(offset)]"))))
                }
                return tags
            default:
                throw wrongType("tags", expected: "object or list of pairs", got: value)
            }
        }
    }
}
