/// Why an envelope was refused as a whole: it is empty, too large, or its header line is not a
/// JSON object with valid fields. Once the header is good, items are judged one by one
/// (`EnvelopeItemError`), so one bad item never costs the others.
public struct EnvelopeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; a bounded set, safe as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case empty
            case invalidHeader = "invalid_header"
            case tooLarge = "too_large"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The body has no header line.
        public static let empty = Code(.empty)
        /// The header line is not a JSON object, or one of its fields is malformed.
        public static let invalidHeader = Code(.invalidHeader)
        /// The envelope is larger than `SDKIngest.Configuration.maximumEnvelopeSize`.
        public static let tooLarge = Code(.tooLarge)

        /// Stable snake-case name, for metric labels and API error bodies.
        public var description: String { base.rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// The header field concerned (`event_id`, `dsn`…); empty for the envelope as a whole.
    public var field: String
    /// A sentence saying what was wrong.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, field: String = "", _ reason: String) {
        self.code = code
        self.field = field
        self.reason = reason
    }

    public var description: String { field.isEmpty ? "envelope: \(reason)" : "envelope header \(field): \(reason)" }
}
