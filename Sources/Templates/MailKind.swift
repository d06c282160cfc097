/// Which email to render; each has an HTML and a text template.
public enum MailKind: String, Sendable, Hashable, CaseIterable {
    /// User feedback arrived.
    case feedback
    /// A new issue (or any alert that is not a regression).
    case issueAlert = "issue_alert"
    /// A resolved issue came back.
    case regression

    /// The template names: `<kind>_html` and `<kind>_text`.
    var htmlTemplate: String { "\(rawValue)_html" }
    var textTemplate: String { "\(rawValue)_text" }
}
