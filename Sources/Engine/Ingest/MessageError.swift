/// Why a message was refused: what was wrong and in which field (a JSON path such as
/// `fingerprint[2]` or `event.project_id`). Nothing of a refused message is stored.
public struct MessageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; a bounded set, safe as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case notJSON = "not_json"
            case missingField = "missing_field"
            case wrongType = "wrong_type"
            case invalidValue = "invalid_value"
            case mismatch
            case unknownGroupType = "unknown_group_type"
            case unknownProject = "unknown_project"
            case eventNotFound = "event_not_found"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The body is not JSON, or not a JSON object.
        public static let notJSON = Code(.notJSON)
        /// A required field is absent (or null).
        public static let missingField = Code(.missingField)
        /// A field has the wrong JSON type.
        public static let wrongType = Code(.wrongType)
        /// A field has the right type but an unacceptable value (not a UUID, empty list…).
        public static let invalidValue = Code(.invalidValue)
        /// Two fields that must agree do not (event ids, project ids).
        public static let mismatch = Code(.mismatch)
        /// The `type` id is not registered.
        public static let unknownGroupType = Code(.unknownGroupType)
        /// The `project_id` names no project.
        public static let unknownProject = Code(.unknownProject)
        /// The message names an event that is not stored (Sentry's `EventLookupError`).
        public static let eventNotFound = Code(.eventNotFound)

        /// Stable snake-case name, for metric labels and API error bodies.
        public var description: String { base.rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// The offending field as a JSON path; empty for the message as a whole.
    public var field: String
    /// A sentence saying what was wrong.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, field: String, _ reason: String) {
        self.code = code
        self.field = field
        self.reason = reason
    }

    public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}
