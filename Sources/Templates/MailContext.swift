/// Everything an email shows, as display-ready strings: `Templates` renders this and knows
/// nothing of where it came from (`Engine` builds it from an issue, its event and the rules).
public struct MailContext: Sendable, Hashable {
    /// One tag of the event.
    public struct Tag: Sendable, Hashable {
        /// Tag name.
        public var key: String
        /// Tag value.
        public var value: String
        /// Creates a tag.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// A rule that fired, with its link.
    public struct RuleLink: Sendable, Hashable {
        /// The rule's name.
        public var name: String
        /// Where to see or edit it.
        public var url: String
        /// Creates a rule link.
        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    /// What the person who sent feedback wrote, and who they are.
    public struct Feedback: Sendable, Hashable {
        /// The message.
        public var message: String
        /// The reporter's name, if given.
        public var name: String?
        /// The reporter's contact email, if given.
        public var email: String?
        /// The page it was sent from, if known.
        public var url: String?
        /// A link to the session replay, if there is one.
        public var replayURL: String?
        /// Creates feedback details.
        public init(message: String, name: String? = nil, email: String? = nil, url: String? = nil, replayURL: String? = nil) {
            self.message = message
            self.name = name
            self.email = email
            self.url = url
            self.replayURL = replayURL
        }
    }

    /// "New issue", "Regressed issue", "New user feedback".
    public var header: String
    /// The organization's display name.
    public var organization: String
    /// The organization's id.
    public var organizationID: String
    /// The project's slug.
    public var project: String
    /// The project's id.
    public var projectID: String
    /// The issue type's slug (`error`, `feedback`…).
    public var issueType: String
    /// `BACKEND-1A`.
    public var shortID: String
    /// The issue's title.
    public var title: String
    /// Where it happened; may be empty.
    public var culprit: String
    /// `error`, `warning`…
    public var level: String
    /// `unresolved`, `resolved`…, with the substatus (`unresolved / regressed`).
    public var status: String
    /// `high`, `medium`, `low`.
    public var priority: String
    /// How often the issue was seen.
    public var timesSeen: String
    /// First and last sighting, formatted in the configured time zone.
    public var firstSeen: String
    /// Last sighting.
    public var lastSeen: String
    /// The triggering event's id (empty for status changes).
    public var eventID: String
    /// When the event happened, formatted.
    public var eventTime: String
    /// The event's release, if any.
    public var release: String?
    /// The event's environment, if any.
    public var environment: String?
    /// The event's user (id, email or name), if known.
    public var user: String?
    /// The event's tags.
    public var tags: [Tag]
    /// The rules that fired.
    public var rules: [RuleLink]
    /// The issue page (with the alert's tracking parameters).
    public var issueURL: String
    /// Where to mute alerts for this issue.
    public var muteURL: String
    /// Where to change notification settings.
    public var settingsURL: String
    /// Feedback details, for feedback mails.
    public var feedback: Feedback?

    /// Creates a context.
    public init(
        header: String, organization: String, organizationID: String, project: String, projectID: String, issueType: String,
        shortID: String, title: String, culprit: String, level: String,
        status: String, priority: String, timesSeen: String, firstSeen: String, lastSeen: String, eventID: String, eventTime: String,
        release: String? = nil, environment: String? = nil, user: String? = nil, tags: [Tag] = [], rules: [RuleLink] = [],
        issueURL: String, muteURL: String, settingsURL: String, feedback: Feedback? = nil
    ) {
        self.header = header
        self.organization = organization
        self.organizationID = organizationID
        self.project = project
        self.projectID = projectID
        self.issueType = issueType
        self.shortID = shortID
        self.title = title
        self.culprit = culprit
        self.level = level
        self.status = status
        self.priority = priority
        self.timesSeen = timesSeen
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.eventID = eventID
        self.eventTime = eventTime
        self.release = release
        self.environment = environment
        self.user = user
        self.tags = tags
        self.rules = rules
        self.issueURL = issueURL
        self.muteURL = muteURL
        self.settingsURL = settingsURL
        self.feedback = feedback
    }

    /// The variables a subject template may use (`$shortID`, `$title`, `$project`, `$projectID`,
    /// `$orgID`, `$issueType`).
    public var subjectVariables: [String: String] {
        ["shortID": shortID, "title": title, "project": project, "projectID": projectID, "orgID": organizationID, "issueType": issueType]
    }

    /// Tags by key, for `${tag:NAME}` in subjects.
    public var tagValues: [String: String] {
        Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
