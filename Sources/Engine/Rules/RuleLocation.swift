/// A position in a rule file, 1-based, for error messages (`Rules/a.yml:3:7`).
public struct RuleLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file, as given to the loader.
    public var file: String
    /// Line, from 1.
    public var line: Int
    /// Column, from 1 (in Unicode scalars).
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
