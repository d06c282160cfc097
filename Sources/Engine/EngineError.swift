/// An error from an `Engine` call, saying what was wrong and with which argument.
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of error; a bounded set, safe as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidArgument = "invalid_argument"
            case notFound = "not_found"
            case conflict
            case notProcessed = "not_processed"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// An argument is malformed (a slug with spaces, an empty feedback message).
        public static let invalidArgument = Code(.invalidArgument)
        /// The thing named does not exist.
        public static let notFound = Code(.notFound)
        /// It exists already (a taken slug).
        public static let conflict = Code(.conflict)
        /// The pipeline did not produce the expected result (feedback rate-limited, for example).
        public static let notProcessed = Code(.notProcessed)

        /// Stable snake-case name.
        public var description: String { base.rawValue }
    }

    /// The kind of error.
    public var code: Code
    /// The argument or field concerned; empty when none.
    public var field: String
    /// What was wrong.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, field: String = "", _ reason: String) {
        self.code = code
        self.field = field
        self.reason = reason
    }

    public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}
