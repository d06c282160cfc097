public import Foundation

/// An issue: every occurrence whose primary fingerprint hash maps to it, aggregated.
///
/// Named `Group` after Sentry's model; API responses call it an issue.
public struct Group: Sendable, Hashable, Identifiable {
    /// Numeric id, assigned by the store.
    public var id: Int64
    /// The owning project.
    public var projectID: Int64
    /// Per-project sequence number; displayed as `SLUG-<base32>` (see `ShortID`).
    public var shortID: Int64
    /// The `GroupType.id`.
    public var type: Int
    /// Lifecycle state.
    public var status: GroupStatus
    /// Finer state; `nil` for resolved issues.
    public var substatus: GroupSubstatus?
    /// Current priority.
    public var priority: PriorityLevel
    /// When set, automatic priority changes leave the issue alone.
    public var priorityLockedAt: Date?
    /// Level of the latest occurrence.
    public var level: Level
    /// Title, from the occurrence's `issue_title`.
    public var title: String
    /// Where it happened.
    public var culprit: String
    /// First line of the search message (≤ 255 characters), matched by free-text search.
    public var message: String
    /// Platform of the first event.
    public var platform: String
    /// Earliest event time seen.
    public var firstSeen: Date
    /// Latest event time seen.
    public var lastSeen: Date
    /// When the issue last became active (created or regressed).
    public var activeAt: Date
    /// When it was resolved, while it is.
    public var resolvedAt: Date?
    /// Number of occurrences grouped into it.
    public var timesSeen: Int64
    /// The release of the first event, if any.
    public var firstReleaseID: Int64?
    /// `user:<id>`/`team:<id>` assigned at creation, if any.
    public var assignee: String?
    /// Title, value, initial priority, feedback fields, SDK… (`metadata` in Sentry's group data).
    public var metadata: [String: JSONValue]

    /// Creates a group value.
    public init(
        id: Int64, projectID: Int64, shortID: Int64, type: Int, status: GroupStatus, substatus: GroupSubstatus?,
        priority: PriorityLevel, priorityLockedAt: Date? = nil, level: Level, title: String, culprit: String,
        message: String, platform: String, firstSeen: Date, lastSeen: Date, activeAt: Date, resolvedAt: Date? = nil,
        timesSeen: Int64, firstReleaseID: Int64? = nil, assignee: String? = nil, metadata: [String: JSONValue]
    ) {
        self.id = id
        self.projectID = projectID
        self.shortID = shortID
        self.type = type
        self.status = status
        self.substatus = substatus
        self.priority = priority
        self.priorityLockedAt = priorityLockedAt
        self.level = level
        self.title = title
        self.culprit = culprit
        self.message = message
        self.platform = platform
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.activeAt = activeAt
        self.resolvedAt = resolvedAt
        self.timesSeen = timesSeen
        self.firstReleaseID = firstReleaseID
        self.assignee = assignee
        self.metadata = metadata
    }

    /// The priority the issue was created with (`metadata.initial_priority`), used when an
    /// escalating issue calms down to ongoing.
    public var initialPriority: PriorityLevel? {
        metadata["initial_priority"]?.intValue.flatMap { PriorityLevel(rawValue: Int($0)) }
    }
}
