public import Foundation

/// What a firing rule sends.
public enum RuleAction: Sendable, Hashable {
    /// An email to each address.
    case email(to: [String])
    /// A signed webhook. The signing secret is read from the environment variable `secretEnv` at
    /// delivery time, so it is never stored; without one, the delivery's project's own webhook
    /// secret signs it (`WebhookChannel.Configuration.projectSecrets`).
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
