public import Foundation

/// One notification to deliver, written to the outbox in the same transaction as the issue
/// change that caused it. Everything needed to render it later is named by id (issue, event,
/// project, organization) or stored (rules, target).
public struct Delivery: Sendable, Hashable, Identifiable {
    /// How it is delivered.
    public enum Channel: String, Sendable, Hashable, CaseIterable {
        case email, webhook, preview
    }

    /// Why it was sent; a webhook's `action`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case issueCreated = "issue.created"
        case issueRegressed = "issue.regressed"
        case issueEscalating = "issue.escalating"
        case eventAlert = "event.alert"
    }

    /// Where it is in delivery.
    public enum State: String, Sendable, Hashable, CaseIterable {
        case pending, delivered, dead
    }

    /// 32 hex digits, stable across retries: receivers deduplicate by it (`webhook-id`).
    public var id: String
    /// The channel.
    public var channel: Channel
    /// An email address, a webhook URL, or `preview`.
    public var target: String
    /// For webhooks: the environment variable holding the signing secret; `nil` signs with the
    /// project's own webhook secret.
    public var secretEnv: String?
    /// Why it was sent.
    public var kind: Kind
    /// The rules that fired, in rule-file order (one notification lists every rule that fired
    /// for the same target on one signal).
    public var ruleIDs: [String]
    /// Their names, as they were when they fired.
    public var ruleNames: [String]
    /// The issue's organization.
    public var organizationID: Int64
    /// The issue's project.
    public var projectID: Int64
    /// The issue.
    public var groupID: Int64
    /// The event that triggered it (`nil` for status changes).
    public var eventID: String?
    /// Shared by every notification of one firing; goes into links (`notification_uuid`).
    public var notificationUUID: String
    /// When it was enqueued.
    public var createdAt: Date
    /// Delivery state.
    public var state: State
    /// Delivery attempts so far.
    public var attempts: Int
    /// When the next attempt is due.
    public var nextAttemptAt: Date
    /// The last attempt's error, if it failed.
    public var lastError: String?
    /// When it was delivered.
    public var deliveredAt: Date?

    /// Creates a pending notification.
    public init(
        id: String, channel: Channel, target: String, secretEnv: String? = nil, kind: Kind, ruleIDs: [String], ruleNames: [String],
        organizationID: Int64, projectID: Int64, groupID: Int64, eventID: String?, notificationUUID: String, createdAt: Date,
        state: State = .pending, attempts: Int = 0, nextAttemptAt: Date? = nil, lastError: String? = nil, deliveredAt: Date? = nil
    ) {
        self.id = id
        self.channel = channel
        self.target = target
        self.secretEnv = secretEnv
        self.kind = kind
        self.ruleIDs = ruleIDs
        self.ruleNames = ruleNames
        self.organizationID = organizationID
        self.projectID = projectID
        self.groupID = groupID
        self.eventID = eventID
        self.notificationUUID = notificationUUID
        self.createdAt = createdAt
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt ?? createdAt
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }
}
