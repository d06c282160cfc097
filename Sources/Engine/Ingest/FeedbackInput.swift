/// A user-feedback report: what `Engine.createFeedback` and `notifyd feedback` take.
public struct FeedbackInput: Sendable, Hashable {
    /// What the user wrote (required, not empty).
    public var message: String
    /// The reporter's name.
    public var name: String?
    /// The reporter's contact email.
    public var email: String?
    /// The page the feedback was given on.
    public var url: String?
    /// Environment (`prod`).
    public var environment: String?
    /// Release version.
    public var release: String?
    /// Extra tags.
    public var tags: [String: String]
    /// A session replay of the moment, if the SDK recorded one.
    public var replayID: String?
    /// The error event the feedback is about, if any.
    public var associatedEventID: String?
    /// Where the feedback came from (`api`, `cli`, `new_feedback_envelope`…).
    public var source: String

    /// Creates a feedback report.
    public init(
        message: String, name: String? = nil, email: String? = nil, url: String? = nil, environment: String? = nil,
        release: String? = nil, tags: [String: String] = [:], replayID: String? = nil, associatedEventID: String? = nil,
        source: String = "api"
    ) {
        self.message = message
        self.name = name
        self.email = email
        self.url = url
        self.environment = environment
        self.release = release
        self.tags = tags
        self.replayID = replayID
        self.associatedEventID = associatedEventID
        self.source = source
    }
}
