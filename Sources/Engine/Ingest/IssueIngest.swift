import Foundation
internal import Logging
internal import Metrics

/// Saves one occurrence and groups it into an issue, inside the caller's store transaction:
/// event, occurrence, release and environment, then find-or-create of the issue by the primary
/// fingerprint hash, the aggregate update, and the regression decision (Sentry's
/// `save_issue_occurrence` → `save_issue_from_occurrence`).
struct IssueIngest {
    let registry: GroupTypeRegistry
    let logger: Logger
    let metrics: IngestMetrics

    enum Outcome {
        case grouped(GroupInfo, Event)
        case dropped(DropReason)
    }

    /// Culprits longer than this are cut with "..." (Sentry's `MAX_CULPRIT_LENGTH`).
    static let maximumCulpritLength = 200

    func save(
        _ row: OccurrenceRow, embeddedEvent: EventRow?, project: Project, now: Date, in transaction: any StoreTransaction
    ) throws -> Outcome {
        let occurrence = row.occurrence
        guard let type = registry.type(id: occurrence.type) else {
            throw MessageError(.unknownGroupType, field: "type", "no group type with the id \(occurrence.type) is registered")
        }
        let event = try resolveEvent(occurrence, embeddedEvent: embeddedEvent, in: transaction)
        let release = try event.release.map { try transaction.ensureRelease(projectID: project.id, version: $0, now: now) }
        let hash = occurrence.fingerprint[0]

        var groupInfo: GroupInfo?
        if let groupID = try transaction.groupID(projectID: project.id, hash: hash) {
            guard let group = try transaction.group(id: groupID) else { return .dropped(.groupNotFound) }
            groupInfo = try updateExisting(group, type: type, occurrence: occurrence, event: event, release: release, in: transaction)
        } else {
            let gate = GroupCreationGate(transaction: transaction)
            if case .denied(let reason) = try gate.decide(type: type, projectID: project.id, hash: hash, now: now) {
                // Sentry stores the occurrence (and its event) before deciding; so do we.
                try transaction.saveOccurrence(row, event: event, groupID: nil)
                metrics.dropped(reason, type: type)
                return .dropped(reason)
            }
            if try transaction.claimGroupHash(projectID: project.id, hash: hash) {
                let group = try createGroup(occurrence, type: type, event: event, release: release, project: project, in: transaction)
                try transaction.linkGroupHash(projectID: project.id, hash: hash, groupID: group.id)
                try gate.created(type: type, projectID: project.id, hash: hash)
                metrics.groupCreated(platform: event.platform, type: type)
                groupInfo = GroupInfo(group: group, isNew: true, isRegression: false)
            } else {
                // Another writer created the issue between our lookup and the claim (possible only
                // where writers run concurrently); its issue is visible now, so join it.
                guard let groupID = try transaction.groupID(projectID: project.id, hash: hash),
                    let group = try transaction.group(id: groupID)
                else { return .dropped(.groupNotFound) }
                groupInfo = try updateExisting(group, type: type, occurrence: occurrence, event: event, release: release, in: transaction)
            }
        }
        guard var info = groupInfo else {
            try transaction.saveOccurrence(row, event: event, groupID: nil)
            metrics.dropped(.categoryMismatch, type: type)
            return .dropped(.categoryMismatch)
        }

        try transaction.saveOccurrence(row, event: event, groupID: info.group.id)
        try transaction.recordGroupTags(groupID: info.group.id, tags: event.tags)
        if let name = event.environment {
            let environment = try transaction.ensureEnvironment(projectID: project.id, name: name)
            info.isNewGroupEnvironment = try transaction.ensureGroupEnvironment(
                GroupEnvironment(groupID: info.group.id, environmentID: environment.id, firstReleaseID: release?.id, firstSeen: event.timestamp))
        }
        if info.isNew, let release {
            try transaction.incrementNewGroups(releaseID: release.id)
        }
        return .grouped(info, event)
    }

    /// The embedded event (stored now), or the stored event the occurrence names.
    private func resolveEvent(_ occurrence: IssueOccurrence, embeddedEvent: EventRow?, in transaction: any StoreTransaction) throws -> Event {
        if let embeddedEvent {
            guard embeddedEvent.event.eventID == occurrence.eventID else {
                throw MessageError(
                    .mismatch, field: "event_id",
                    "event_id in occurrence (\(occurrence.eventID)) is different from event_id in event (\(embeddedEvent.event.eventID))")
            }
            try transaction.saveEvent(embeddedEvent)
            return embeddedEvent.event
        }
        guard let stored = try transaction.event(projectID: occurrence.projectID, eventID: occurrence.eventID) else {
            throw MessageError(
                .eventNotFound, field: "event_id",
                "failed to look up event(\(occurrence.eventID)) for project_id(\(occurrence.projectID))")
        }
        return stored
    }

    // MARK: New issues

    private func createGroup(
        _ occurrence: IssueOccurrence, type: GroupType, event: Event, release: Release?, project: Project,
        in transaction: any StoreTransaction
    ) throws -> Group {
        let priority = occurrence.priority ?? type.defaultPriority
        var metadata = Self.metadata(for: occurrence, type: type, event: event)
        metadata["initial_priority"] = .int(Int64(priority.rawValue))
        let group = Group(
            id: 0, projectID: project.id, shortID: try transaction.nextShortID(projectID: project.id), type: type.id,
            status: .unresolved, substatus: .new, priority: priority, level: occurrence.level, title: occurrence.issueTitle,
            culprit: Self.truncatedCulprit(occurrence.culprit),
            message: SearchMessage.groupMessage(SearchMessage.make(event: event, occurrence: occurrence)), platform: event.platform,
            firstSeen: event.timestamp, lastSeen: event.timestamp, activeAt: event.timestamp, timesSeen: 1, firstReleaseID: release?.id,
            assignee: occurrence.assignee, metadata: metadata)
        return try transaction.insertGroup(group)
    }

    /// Sentry's `materialize_metadata`: title, value, the SDK, and for feedback the reporter's
    /// fields from the evidence data.
    static func metadata(for occurrence: IssueOccurrence, type: GroupType, event: Event) -> [String: JSONValue] {
        var metadata: [String: JSONValue] = ["title": .string(occurrence.issueTitle), "value": .string(occurrence.subtitle)]
        if let sdkName = event.data["sdk"]?["name"]?.stringValue {
            metadata["sdk"] = .object(["name": .string(sdkName), "name_normalized": .string(sdkName)])
        }
        if type.category == .feedback {
            for key in ["contact_email", "message", "name", "source"] {
                metadata[key] = occurrence.evidenceData[key] ?? .null
            }
            if let associated = occurrence.evidenceData["associated_event_id"], associated.isTruthy {
                metadata["associated_event_id"] = associated
            }
        }
        return metadata
    }

    static func truncatedCulprit(_ culprit: String) -> String {
        culprit.count > maximumCulpritLength ? String(culprit.prefix(maximumCulpritLength - 3)) + "..." : culprit
    }

    // MARK: Existing issues

    /// Applies an occurrence to its existing issue; `nil` (nothing changed) on a category mismatch.
    private func updateExisting(
        _ stored: Group, type: GroupType, occurrence: IssueOccurrence, event: Event, release: Release?,
        in transaction: any StoreTransaction
    ) throws -> GroupInfo? {
        guard let groupType = registry.type(id: stored.type), groupType.category == type.category else {
            logger.error(
                "save_issue_from_occurrence.category_mismatch",
                metadata: [
                    "issue_category": "\(registry.type(id: stored.type)?.category.name ?? "unknown")",
                    "occurrence_category": "\(type.category.name)", "event_type": "platform", "group_id": "\(stored.id)",
                ])
            return nil
        }
        var group = stored
        let isRegression = try regress(&group, event: event, release: release, in: transaction)

        group.lastSeen = max(group.lastSeen, event.timestamp)
        group.firstSeen = min(group.firstSeen, event.timestamp)
        let message = SearchMessage.make(event: event, occurrence: occurrence)
        if !message.isEmpty, !SearchMessage.placeholders.contains(message) {
            group.message = SearchMessage.groupMessage(message)
        }
        group.level = occurrence.level
        // Sentry overwrites the culprit even with an empty one; keeping the last real culprit is
        // more useful than blanking it because one producer left the field out.
        if !occurrence.culprit.isEmpty {
            group.culprit = Self.truncatedCulprit(occurrence.culprit)
        }
        let incomingTitleIsReal = !occurrence.issueTitle.isEmpty && !SearchMessage.placeholders.contains(occurrence.issueTitle)
        if incomingTitleIsReal || SearchMessage.placeholders.contains(group.title) {
            group.title = occurrence.issueTitle
        }
        var metadata = group.metadata
        for (key, value) in Self.metadata(for: occurrence, type: type, event: event) { metadata[key] = value }
        metadata["title"] = .string(group.title)
        group.metadata = metadata
        group.timesSeen += 1
        try transaction.updateGroup(group, previous: stored)
        return GroupInfo(group: group, isNew: false, isRegression: isRegression)
    }

    /// Reopens a resolved issue unless its release resolution covers the event. The store's
    /// conditional update makes the decision atomic: of two writers, only one sees it succeed.
    private func regress(_ group: inout Group, event: Event, release: Release?, in transaction: any StoreTransaction) throws -> Bool {
        guard group.status == .resolved else { return false }
        let resolution = try transaction.resolution(groupID: group.id)
        let check = ResolutionCheck(transaction: transaction)
        guard try !check.covers(resolution, projectID: group.projectID, release: release) else { return false }
        let date = max(event.timestamp, group.lastSeen)
        guard try transaction.markRegressed(groupID: group.id, at: date) else { return false }

        group.status = .unresolved
        group.substatus = .regressed
        group.activeAt = date
        group.lastSeen = date
        group.resolvedAt = nil
        var data: [String: JSONValue] = ["event_id": .string(event.eventID), "version": .string(release?.version ?? "")]
        if let release {
            data["follows_semver"] = .bool(try check.followsSemver(projectID: group.projectID, version: release.version))
        }
        if let removed = try transaction.deleteResolution(groupID: group.id), let resolvedIn = try transaction.release(id: removed.releaseID) {
            data["resolved_in_version"] = .string(resolvedIn.version)
        }
        _ = try transaction.insertActivity(
            Activity(groupID: group.id, projectID: group.projectID, type: .setRegression, data: data, createdAt: date))
        metrics.regressions.increment()
        logger.info("issue regressed", metadata: ["group_id": "\(group.id)", "event_id": "\(event.eventID)"])
        return true
    }
}
