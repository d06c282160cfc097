import Foundation

/// Builds the occurrence and event of a user-feedback issue, the way Sentry's
/// `create_feedback_issue` / `make_feedback_issue` do: a fresh event id, a fingerprint unique to
/// the report (so every report is its own issue), the feedback type, and evidence carrying the
/// message, name and contact email.
enum FeedbackIssue {
    /// Words of the message kept in the title.
    static let titleWordCount = 10

    /// `User Feedback: <first 10 words>…` (no ellipsis when the message is that short).
    static func title(for message: String) -> String {
        let words = message.split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return "User Feedback" }
        let head = words.prefix(titleWordCount).joined(separator: " ")
        return "User Feedback: \(head)\(words.count > titleWordCount ? "…" : "")"
    }

    /// The occurrence (with a raw fingerprint, hashed by the consumer) and the event body.
    static func make(_ input: FeedbackInput, projectID: Int64, now: Date) -> (IssueOccurrence, [String: JSONValue]) {
        func hex() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }
        let eventID = hex()
        var evidence: [String: JSONValue] = [
            "contact_email": input.email.map(JSONValue.string) ?? .null,
            "message": .string(input.message),
            "name": input.name.map(JSONValue.string) ?? .null,
            "source": .string(input.source),
        ]
        if let associated = input.associatedEventID { evidence["associated_event_id"] = .string(associated) }
        var display = [IssueEvidence(name: "message", value: input.message, important: true)]
        if let email = input.email { display.insert(IssueEvidence(name: "contact_email", value: email, important: false), at: 0) }
        if let name = input.name { display.append(IssueEvidence(name: "name", value: name, important: false)) }

        let occurrence = IssueOccurrence(
            id: hex(), projectID: projectID, eventID: eventID, fingerprint: [hex()], issueTitle: title(for: input.message),
            subtitle: input.message, evidenceData: evidence, evidenceDisplay: display, type: GroupType.feedback.id,
            detectionTime: now, level: .info, culprit: input.url.flatMap { URL(string: $0)?.path } ?? "")

        var feedbackContext: [String: JSONValue] = ["message": .string(input.message)]
        var tags: [String: JSONValue] = input.tags.mapValues(JSONValue.string)
        var user: [String: JSONValue] = [:]
        if let email = input.email { feedbackContext["contact_email"] = .string(email); user["email"] = .string(email) }
        if let name = input.name { feedbackContext["name"] = .string(name); user["name"] = .string(name) }
        if let url = input.url { feedbackContext["url"] = .string(url); tags["url"] = .string(url) }
        if let replay = input.replayID { feedbackContext["replay_id"] = .string(replay); tags["replayId"] = .string(replay) }
        if let associated = input.associatedEventID { feedbackContext["associated_event_id"] = .string(associated) }
        var event: [String: JSONValue] = [
            "event_id": .string(eventID),
            "project_id": .int(projectID),
            "platform": "other",
            "timestamp": .double(now.timeIntervalSince1970),
            "received": .double(now.timeIntervalSince1970),
            "contexts": .object(["feedback": .object(feedbackContext)]),
            "tags": .object(tags),
        ]
        if !user.isEmpty { event["user"] = .object(user) }
        if let environment = input.environment { event["environment"] = .string(environment); tags["environment"] = .string(environment) }
        if let release = input.release { event["release"] = .string(release) }
        if let url = input.url { event["request"] = .object(["url": .string(url)]) }
        event["tags"] = .object(tags)
        return (occurrence, event)
    }
}
