/// A rendered email: subject, HTML part and text part.
public struct RenderedMail: Sendable, Hashable {
    /// The subject (one line).
    public var subject: String
    /// The HTML part.
    public var html: String
    /// The plain-text part.
    public var text: String

    /// Creates a rendered mail.
    public init(subject: String, html: String, text: String) {
        self.subject = subject
        self.html = html
        self.text = text
    }
}
