public import Foundation

/// What a firing rule sends.
public enum RuleAction: Sendable, Hashable {
    /// An email to each address.
    case email(to: [String])
    /// A signed webhook; the signing secret is read from the environment variable `secretEnv`
    /// at delivery time, so it is never stored.
    case webhook(url: URL, secretEnv: String?)
    /// The rendered mail, written to the preview folder.
    case preview

    /// The name used in rule files.
    public var name: String {
        switch self {
        case .email: return "email"
        case .webhook: return "webhook"
        case .preview: return "preview"
        }
    }
}
