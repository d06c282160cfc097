/// Renders email subjects from a template such as `$shortID - $title` (Sentry's mail subject
/// template syntax).
///
/// Variables are `$name` or `${name}`; `${tag:NAME}` reads a tag. A variable with no value is
/// kept literally, so a typo shows in the subject instead of silently vanishing. The result is
/// the first line only, prefixed, and cut to `maximumLength` characters.
public struct SubjectTemplate: Sendable, Hashable {
    /// The template text.
    public var template: String
    /// Put before the rendered subject, followed by a space (`[notifyd]`); empty for none.
    public var prefix: String
    /// The longest subject produced, prefix included.
    public var maximumLength: Int

    /// The default template, Sentry's.
    public static let defaultTemplate = "$shortID - $title"

    /// Creates a subject template.
    public init(template: String = SubjectTemplate.defaultTemplate, prefix: String = "[notifyd]", maximumLength: Int = 128) {
        self.template = template
        self.prefix = prefix
        self.maximumLength = maximumLength
    }

    /// Renders the subject.
    ///
    /// - Parameters:
    ///   - variables: values by name (`shortID`, `title`, `project`, `projectID`, `orgID`, `issueType`).
    ///   - tags: tag values for `${tag:NAME}`.
    public func render(variables: [String: String], tags: [String: String] = [:]) -> String {
        var output = ""
        var characters = Substring(template)
        while let dollar = characters.firstIndex(of: "$") {
            output += characters[..<dollar]
            characters = characters[characters.index(after: dollar)...]
            if characters.first == "{", let close = characters.firstIndex(of: "}") {
                let name = String(characters[characters.index(after: characters.startIndex)..<close])
                let value = name.hasPrefix("tag:") ? tags[String(name.dropFirst(4))] : variables[name]
                output += value ?? "${\(name)}"
                characters = characters[characters.index(after: close)...]
            } else {
                let name = characters.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                output += name.isEmpty ? "$" : (variables[String(name)] ?? "$\(name)")
                characters = characters.dropFirst(name.count)
            }
        }
        output += characters
        let firstLine = output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let subject = prefix.isEmpty ? firstLine : "\(prefix) \(firstLine)"
        return String(subject.prefix(maximumLength))
    }
}
