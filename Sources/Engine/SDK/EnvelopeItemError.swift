/// Why one item of an envelope (or the single event of the store endpoint) was not processed:
/// which item (its position and type), which field of its payload, and what was wrong. The
/// other items of the envelope are processed all the same.
public struct EnvelopeItemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; a bounded set, safe as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case malformed
            case invalidPayload = "invalid_payload"
            case tooLarge = "too_large"
            case rejected
            case notProcessed = "not_processed"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The item header is not a JSON object, has no `type`, or a `length` that does not fit.
        public static let malformed = Code(.malformed)
        /// The payload is not a JSON object, or a field the item needs is missing or invalid.
        public static let invalidPayload = Code(.invalidPayload)
        /// The payload is larger than the limit for its type.
        public static let tooLarge = Code(.tooLarge)
        /// The ingest pipeline refused the occurrence made from the item (an unknown project, a
        /// group type missing from a custom registry).
        public static let rejected = Code(.rejected)
        /// Storing failed; sending the envelope again may succeed.
        public static let notProcessed = Code(.notProcessed)

        /// Stable snake-case name, for metric labels and API error bodies.
        public var description: String { base.rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// The item's position in the envelope, from 0 (items with unreadable headers count too).
    public var index: Int
    /// The item's type, `unknown` when its header could not be read.
    public var type: String
    /// The payload field concerned as a JSON path (`contexts.feedback.message`); empty when the
    /// problem is the item as a whole.
    public var field: String
    /// A sentence saying what was wrong.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, index: Int, type: String, field: String = "", _ reason: String) {
        self.code = code
        self.index = index
        self.type = type
        self.field = field
        self.reason = reason
    }

    public var description: String {
        "item \(index) (\(type)): " + (field.isEmpty ? reason : "\(field): \(reason)")
    }
}
