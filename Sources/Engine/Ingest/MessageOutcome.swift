/// What processing one message did.
public enum MessageOutcome: Sendable, Hashable {
    /// The occurrence was grouped into an issue.
    case grouped(GroupInfo)
    /// The status change was applied (`changed` is `false` when the issue already had that status).
    case statusChanged(Group, changed: Bool)
    /// The message was valid but changed no issue.
    case dropped(DropReason)
    /// The message was refused; nothing of it was stored.
    case invalid(MessageError)
    /// Processing failed (a storage error); nothing of it was stored.
    case failed(String)
}

/// The outcome of one message, with its id when it had a readable one.
public struct MessageResult: Sendable, Hashable {
    /// The message id (normalized), if the message got far enough to have one.
    public var messageID: String?
    /// What happened.
    public var outcome: MessageOutcome

    /// Creates a result.
    public init(messageID: String?, outcome: MessageOutcome) {
        self.messageID = messageID
        self.outcome = outcome
    }

    /// The issue info when the message was grouped.
    public var groupInfo: GroupInfo? {
        if case .grouped(let info) = outcome { return info }
        return nil
    }
}
