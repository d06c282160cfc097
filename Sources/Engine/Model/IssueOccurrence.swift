public import Foundation

/// One sighting of a problem, as the ingest pipeline stores it: the validated, normalized form
/// of an `ingest-occurrences` message.
public struct IssueOccurrence: Sendable, Hashable {
    /// 32 lower-case hex digits (any UUID form on the wire is normalized).
    public var id: String
    /// The project the occurrence belongs to.
    public var projectID: Int64
    /// The event the occurrence is attached to (32 hex digits).
    public var eventID: String
    /// The MD5 hex digest of every fingerprint part; the first one is the primary group hash.
    public var fingerprint: [String]
    /// Becomes the issue title.
    public var issueTitle: String
    /// Becomes `metadata.value`.
    public var subtitle: String
    /// An id of the thing the occurrence is about (a monitor, a span…), if any.
    public var resourceID: String?
    /// Free-form data; feedback reads `contact_email`, `message`, `name`, `source` from it.
    public var evidenceData: [String: JSONValue]
    /// Rows shown with the occurrence.
    public var evidenceDisplay: [IssueEvidence]
    /// The `GroupType.id`.
    public var type: Int
    /// When the producer detected the problem (UTC).
    public var detectionTime: Date
    /// Level of the occurrence (default `info`).
    public var level: Level
    /// Where the problem happened (a transaction, a function); may be empty.
    public var culprit: String
    /// Priority the producer asked for; `nil` means the type's default.
    public var priority: PriorityLevel?
    /// `user:<id>` or `team:<id>`, kept for the new issue.
    public var assignee: String?

    /// Creates an occurrence.
    public init(
        id: String, projectID: Int64, eventID: String, fingerprint: [String], issueTitle: String, subtitle: String,
        resourceID: String? = nil, evidenceData: [String: JSONValue] = [:], evidenceDisplay: [IssueEvidence] = [],
        type: Int, detectionTime: Date, level: Level = .info, culprit: String = "", priority: PriorityLevel? = nil,
        assignee: String? = nil
    ) {
        self.id = id
        self.projectID = projectID
        self.eventID = eventID
        self.fingerprint = fingerprint
        self.issueTitle = issueTitle
        self.subtitle = subtitle
        self.resourceID = resourceID
        self.evidenceData = evidenceData
        self.evidenceDisplay = evidenceDisplay
        self.type = type
        self.detectionTime = detectionTime
        self.level = level
        self.culprit = culprit
        self.priority = priority
        self.assignee = assignee
    }

    /// The first evidence row marked important, if any.
    public var importantEvidence: IssueEvidence? { evidenceDisplay.first(where: \.important) }

    /// The message form (`to_dict` in Sentry): what is stored and what a producer sends.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id),
            "project_id": .int(projectID),
            "event_id": .string(eventID),
            "fingerprint": .array(fingerprint.map(JSONValue.string)),
            "issue_title": .string(issueTitle),
            "subtitle": .string(subtitle),
            "resource_id": resourceID.map(JSONValue.string) ?? .null,
            "evidence_data": .object(evidenceData),
            "evidence_display": .array(evidenceDisplay.map(\.json)),
            "type": .int(Int64(type)),
            "detection_time": .double(detectionTime.timeIntervalSince1970),
            "level": .string(level.rawValue),
            "culprit": .string(culprit),
            "assignee": assignee.map(JSONValue.string) ?? .null,
        ]
        members["priority"] = priority.map { .int(Int64($0.rawValue)) } ?? .null
        return .object(members)
    }
}
