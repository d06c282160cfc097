/// A template that does not parse, with its file and position; reported when templates are
/// loaded, never at send time.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or built-in template name).
    public var file: String
    /// Line, from 1.
    public var line: Int
    /// Column, from 1.
    public var column: Int
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
