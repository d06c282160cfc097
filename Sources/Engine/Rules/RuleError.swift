/// One problem in a rule file, with its position.
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is.
    public var location: RuleLocation
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ location: RuleLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// `file:line:column: message`.
    public var description: String { "\(location): \(message)" }
}

/// Every problem found in a rule folder; a folder with any is not loaded at all.
public struct RuleFolderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, by file and position.
    public var errors: [RuleError]

    /// Creates the error.
    public init(errors: [RuleError]) {
        self.errors = errors.sorted { ($0.location.file, $0.location.line, $0.location.column) < ($1.location.file, $1.location.line, $1.location.column) }
    }

    /// One `file:line:column: message` per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
