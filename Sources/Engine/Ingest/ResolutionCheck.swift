/// Decides whether an issue's release resolution covers an event's release, i.e. whether a new
/// event on a resolved issue is *not* a regression (Sentry's `GroupResolution.has_resolution`).
struct ResolutionCheck {
    let transaction: any StoreTransaction

    /// `true` when the resolution covers `release` (no regression).
    ///
    /// - An issue with no resolution row: not covered (plain "resolved" regresses on any event).
    /// - An event without release: covered, as Sentry assumes it comes from an older build.
    /// - "Next release" (`currentReleaseVersion` set): covered while the event's release is not
    ///   newer than the version that was current at resolution time.
    /// - "In release X": covered only for releases strictly older than X; an event from X itself
    ///   regresses.
    /// Versions compare as semver when the project's releases follow semver, else by the date
    /// notifyd first saw each release.
    func covers(_ resolution: GroupResolution?, projectID: Int64, release: Release?) throws -> Bool {
        guard let resolution else { return false }
        guard let release else { return true }
        let semver = try followsSemver(projectID: projectID, version: release.version)

        if let currentVersion = resolution.currentReleaseVersion {
            if semver, let current = ReleaseVersion(currentVersion), let event = ReleaseVersion(release.version) {
                return event <= current
            }
            if let current = try transaction.release(projectID: projectID, version: currentVersion) {
                return current.id == release.id || current.dateAdded > release.dateAdded
            }
            // The current release is gone: fall through to the resolution's own release, as Sentry does.
        }
        guard let resolved = try transaction.release(id: resolution.releaseID) else { return false }
        switch resolution.kind {
        case nil, .inNextRelease:
            return resolved.id == release.id || resolved.dateAdded > release.dateAdded
        case .inRelease:
            if resolved.id == release.id { return false }
            if semver, let fixed = ReleaseVersion(resolved.version), let event = ReleaseVersion(release.version) {
                return fixed > event
            }
            return resolved.dateAdded >= release.dateAdded
        }
    }

    /// Sentry's `follows_semver_versioning_scheme`: judged on the project's last 10 releases,
    /// and the version at hand must itself be semver.
    func followsSemver(projectID: Int64, version: String) throws -> Bool {
        guard ReleaseVersion(version) != nil else { return false }
        let recent = try transaction.recentReleases(projectID: projectID, limit: 10).map { ReleaseVersion($0.version) != nil }
        switch recent.count {
        case 0: return false
        case 1...2: return recent[0]
        case 3..<10: return recent.prefix(3).contains(true)
        default: return recent.filter { $0 }.count >= 3 && recent.prefix(3).contains(true)
        }
    }
}
