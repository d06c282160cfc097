import Foundation

/// Turns the SDKs' two feedback shapes into the input of the feedback path (`FeedbackIssue`),
/// as Sentry's `create_feedback_issue` (the `feedback` item) and `shim_to_feedback` (the legacy
/// `user_report` item) do, then lays the SDK event's own facts over the result: its id, time,
/// platform, level, SDK, user and contexts.
enum SDKFeedback {
    /// The event a report came with (a `feedback` item), or is about (a `user_report` whose
    /// event notifyd has).
    struct Origin {
        /// The id to keep; `nil` lets the feedback path make one.
        var eventID: String?
        var timestamp: Date
        var platform: String
        var level: Level
        /// The event body, for `sdk`, `user`, `contexts` and `request`.
        var body: [String: JSONValue]
    }

    /// A `feedback` item: an event whose `contexts.feedback` holds `message` (required),
    /// `contact_email`, `name`, `url`, `associated_event_id` and `replay_id`. The reporter's name
    /// and email fall back to the event's user, the URL to the request's.
    static func input(feedback object: [String: JSONValue], event: SDKEvent) throws(MessageError) -> FeedbackInput {
        guard let context = object["contexts"]?["feedback"]?.objectValue else {
            throw MessageError(.missingField, field: "contexts.feedback", "a feedback item needs a contexts.feedback object")
        }
        guard let message = context["message"]?.stringValue, !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw MessageError(.missingField, field: "contexts.feedback.message", "the feedback message is missing or empty")
        }
        var associated: String?
        if let value = context["associated_event_id"], value.isTruthy {
            guard let text = value.stringValue, let id = UUIDText.normalize(text) else {
                throw MessageError(.invalidValue, field: "contexts.feedback.associated_event_id", "\(value.serializedString()) is not a UUID")
            }
            associated = id
        }
        let reporter = reporter(name: context["name"], email: context["contact_email"], user: event.body["user"])
        return FeedbackInput(
            message: message, name: reporter.name, email: reporter.email,
            url: SDKEvent.string(context["url"]) ?? SDKEvent.string(object["request"]?["url"]),
            environment: event.body["environment"]?.stringValue, release: event.body["release"]?.stringValue,
            tags: tags(event.body["tags"], linkedTo: associated),
            replayID: SDKEvent.string(context["replay_id"]) ?? SDKEvent.string(object["contexts"]?["replay"]?["replay_id"]),
            associatedEventID: associated, source: "new_feedback_envelope")
    }

    /// A legacy `user_report` item: `event_id` (required, the event the report is about, read
    /// by `reportEventID`), `comments` (required, trimmed), `name` and `email`. When notifyd has
    /// that event, the report takes its environment, release, tags and replay, and the reporter's
    /// name and email fall back to its user.
    static func input(userReport object: [String: JSONValue], eventID: String, event: Event?) throws(MessageError) -> FeedbackInput {
        guard let comments = object["comments"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !comments.isEmpty else {
            throw MessageError(.missingField, field: "comments", "the report's comments are missing or empty")
        }
        let reporter = reporter(name: object["name"], email: object["email"], user: event?.data["user"])
        var tags = Dictionary(event?.tags.map { ($0.key, $0.value) } ?? [], uniquingKeysWith: { first, _ in first })
        link(&tags, to: eventID)
        return FeedbackInput(
            message: comments, name: reporter.name, email: reporter.email, environment: event?.environment, release: event?.release,
            tags: tags, replayID: SDKEvent.string(event?.data["contexts"]?["replay"]?["replay_id"]), associatedEventID: eventID,
            source: "user_report_envelope")
    }

    /// The normalized `event_id` of a user report.
    static func reportEventID(_ object: [String: JSONValue]) throws(MessageError) -> String {
        guard let value = object["event_id"], !value.isNull else {
            throw MessageError(.missingField, field: "event_id", "a user report names the event it is about")
        }
        guard let text = value.stringValue, let id = UUIDText.normalize(text) else {
            throw MessageError(.invalidValue, field: "event_id", "\(value.serializedString()) is not a UUID")
        }
        return id
    }

    /// The occurrence and event of the feedback issue: `FeedbackIssue`'s, with the origin's facts.
    static func make(_ input: FeedbackInput, origin: Origin, projectID: Int64, received: Date) -> (IssueOccurrence, [String: JSONValue]) {
        var (occurrence, event) = FeedbackIssue.make(input, projectID: projectID, now: received)
        if let id = origin.eventID {
            occurrence.eventID = id
            event["event_id"] = .string(id)
        }
        occurrence.detectionTime = origin.timestamp
        occurrence.level = origin.level
        event["timestamp"] = .double(origin.timestamp.timeIntervalSince1970)
        event["platform"] = .string(origin.platform)
        if let sdk = origin.body["sdk"] { event["sdk"] = sdk }
        if var user = origin.body["user"]?.objectValue {
            for (key, value) in event["user"]?.objectValue ?? [:] where user[key] == nil { user[key] = value }
            event["user"] = .object(user)
        }
        if var contexts = origin.body["contexts"]?.objectValue {
            contexts["feedback"] = event["contexts"]?["feedback"]
            event["contexts"] = .object(contexts)
        }
        if let replay = input.replayID, event["contexts"]?["replay"] == nil, case .object(var contexts)? = event["contexts"] {
            contexts["replay"] = .object(["replay_id": .string(replay)])
            event["contexts"] = .object(contexts)
        }
        if event["request"] == nil, let request = origin.body["request"] { event["request"] = request }
        return (occurrence, event)
    }

    /// Who sent a report: the name and email given, else the event user's name (or username)
    /// and email.
    private static func reporter(name: JSONValue?, email: JSONValue?, user: JSONValue?) -> (name: String?, email: String?) {
        (
            SDKEvent.string(name) ?? SDKEvent.string(user?["name"]) ?? SDKEvent.string(user?["username"]),
            SDKEvent.string(email) ?? SDKEvent.string(user?["email"])
        )
    }

    /// Normalized tag pairs as a dictionary (the first value of a repeated key wins), linked.
    private static func tags(_ pairs: JSONValue?, linkedTo associatedEventID: String?) -> [String: String] {
        var tags: [String: String] = [:]
        for pair in pairs?.arrayValue ?? [] {
            guard let key = pair.arrayValue?.first?.stringValue, let value = pair.arrayValue?.last?.stringValue, tags[key] == nil else { continue }
            tags[key] = value
        }
        link(&tags, to: associatedEventID)
        return tags
    }

    /// Sentry's feedback tags: `associated_event_id` and `has_linked_error`, so rules can tell
    /// feedback about an error from feedback about nothing in particular.
    private static func link(_ tags: inout [String: String], to associatedEventID: String?) {
        if let associatedEventID { tags["associated_event_id"] = associatedEventID }
        tags["has_linked_error"] = associatedEventID == nil ? "false" : "true"
    }
}
