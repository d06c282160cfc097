import Foundation
internal import Logging

/// Applies a status change to the issue its fingerprint belongs to, recording activities, as
/// Sentry's status-change consumer does. Invalid transitions are logged and leave the issue
/// untouched.
struct StatusChangeProcessor {
    let logger: Logger

    enum Outcome {
        /// The issue after the change; `signal` is `nil` when nothing changed.
        case applied(Group, signal: StatusChangeSignal?)
        case dropped(DropReason)
    }

    func apply(_ change: StatusChange, project: Project, now: Date, in transaction: any StoreTransaction) throws -> Outcome {
        guard let groupID = try transaction.groupID(projectID: project.id, hash: change.fingerprint[0]),
            let stored = try transaction.group(id: groupID)
        else {
            logger.info("status_change.dropped_group_not_found", metadata: ["project_id": "\(project.id)", "fingerprint": "\(change.fingerprint)"])
            return .dropped(.groupNotFound)
        }
        guard let status = GroupStatus(rawValue: change.newStatus) else { return reject("unsupported_status", change) }
        let substatus = change.newSubstatus.flatMap(GroupSubstatus.init(rawValue:))
        if stored.status == status, stored.substatus == substatus, change.resolution == nil {
            return .applied(stored, signal: nil)
        }
        // Substatus rules first (Sentry's order): unresolved and ignored need one, every other
        // status must have none; only then is a status without substatus judged unsupported.
        switch (status, substatus) {
        case (.unresolved, nil), (.ignored, nil): return reject("missing_substatus", change)
        case (.unresolved, .some), (.ignored, .some), (.resolved, nil): break
        case (_, .some): return reject("unexpected_substatus", change)
        case (_, nil): return reject("unsupported_status", change)
        }

        var group = stored
        var activities: [Activity] = []
        func record(_ type: ActivityType, _ data: [String: JSONValue] = [:]) {
            activities.append(Activity(groupID: group.id, projectID: group.projectID, type: type, data: data, createdAt: now))
        }
        switch (status, substatus) {
        case (.resolved, _):
            group.status = .resolved
            group.substatus = nil
            group.resolvedAt = now
            if let resolution = change.resolution {
                let version = try resolve(&group, resolution: resolution, now: now, in: transaction)
                record(.setResolvedInRelease, ["version": .string(version)])
            } else {
                _ = try transaction.deleteResolution(groupID: group.id)
                record(.setResolved)
            }
        case (.ignored, let substatus?):
            guard GroupSubstatus.ignoredChoices.contains(substatus) else { return reject("invalid_substatus", change) }
            group.status = .ignored
            group.substatus = substatus
            group.resolvedAt = nil
            record(.setIgnored, ["substatus": .string(substatus.name)])
        case (.unresolved, .escalating):
            // Only an archived issue can escalate (Sentry's `manage_issue_states`); Sentry ignores
            // the request silently, we log why.
            guard stored.status == .ignored else { return reject("escalating_requires_archived", change) }
            group.status = .unresolved
            group.substatus = .escalating
            record(.setEscalating)
            if group.priorityLockedAt == nil, group.priority != .high {
                group.priority = .high
                record(.setPriority, ["priority": .string(PriorityLevel.high.name), "reason": "escalating"])
            }
        case (.unresolved, .regressed):
            group.status = .unresolved
            group.substatus = .regressed
            group.resolvedAt = nil
            record(.setRegression)
        case (.unresolved, .ongoing):
            let wasEscalating = stored.status == .unresolved && stored.substatus == .escalating
            group.status = .unresolved
            group.substatus = .ongoing
            group.resolvedAt = nil
            if wasEscalating {
                record(.autoSetOngoing)
                if group.priorityLockedAt == nil, let initial = group.initialPriority, initial != group.priority {
                    group.priority = initial
                    record(.setPriority, ["priority": .string(initial.name), "reason": "ongoing"])
                }
            } else {
                record(.setUnresolved)
            }
        default:
            return reject("invalid_substatus", change)
        }
        if group.status != .resolved {
            _ = try transaction.deleteResolution(groupID: group.id)
        }
        try transaction.updateGroup(group, previous: stored)
        let storedActivities = try activities.map { try transaction.insertActivity($0) }
        logger.debug("status changed", metadata: ["group_id": "\(group.id)", "status": "\(group.status.name)"])
        return .applied(
            group,
            signal: StatusChangeSignal(
                group: group, project: project, previousStatus: stored.status, previousSubstatus: stored.substatus,
                activities: storedActivities))
    }

    /// Stores the release resolution and returns the version the activity names ("" for the
    /// next release, which is not known yet).
    private func resolve(
        _ group: inout Group, resolution: StatusChange.Resolution, now: Date, in transaction: any StoreTransaction
    ) throws -> String {
        switch resolution {
        case .inRelease(let version):
            let release = try transaction.ensureRelease(projectID: group.projectID, version: version, now: now)
            try transaction.setResolution(
                GroupResolution(groupID: group.id, releaseID: release.id, kind: .inRelease, currentReleaseVersion: nil, createdAt: now))
            return version
        case .inNextRelease:
            guard let latest = try transaction.recentReleases(projectID: group.projectID, limit: 1).first else {
                // No release seen yet: nothing to anchor "next" to, so this is a plain resolution.
                _ = try transaction.deleteResolution(groupID: group.id)
                return ""
            }
            try transaction.setResolution(
                GroupResolution(
                    groupID: group.id, releaseID: latest.id, kind: .inNextRelease, currentReleaseVersion: latest.version, createdAt: now))
            return ""
        }
    }

    private func reject(_ reason: String, _ change: StatusChange) -> Outcome {
        logger.error(
            "group.update_status.\(reason)",
            metadata: [
                "project_id": "\(change.projectID)", "fingerprint": "\(change.fingerprint)", "new_status": "\(change.newStatus)",
                "new_substatus": "\(change.newSubstatus.map(String.init) ?? "None")",
            ])
        return .dropped(.statusChangeRejected(reason))
    }
}
