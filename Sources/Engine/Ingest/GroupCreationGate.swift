import Foundation

/// The two checks a fingerprint with no issue yet must pass before an issue is created: the
/// type's noise threshold, then its creation quota. Both are counted in the store, inside the
/// transaction, so every notifyd node sharing a database sees the same counts.
struct GroupCreationGate {
    let transaction: any StoreTransaction

    enum Decision: Equatable {
        case create
        case denied(DropReason)
    }

    /// Counts this sighting and decides. The quota is only used once the noise gate passes, so
    /// noisy fingerprints do not eat into it.
    func decide(type: GroupType, projectID: Int64, hash: String, now: Date) throws -> Decision {
        if let noise = type.noiseConfig {
            let sightings = try transaction.incrementNoiseCounter(projectID: projectID, hash: hash, now: now, expiry: noise.expiry)
            guard sightings >= noise.ignoreLimit else { return .denied(.noiseReduction) }
        }
        if let quota = type.creationQuota {
            let key = "issue-platform-issues:\(projectID):\(type.slug)"
            guard try transaction.useQuota(key: key, quota: quota, now: now) else { return .denied(.rateLimited) }
        }
        return .create
    }

    /// Forgets the sightings once the issue exists. Done after creation (not when the noise gate
    /// passes) so a quota denial does not make the fingerprint start counting from zero again.
    func created(type: GroupType, projectID: Int64, hash: String) throws {
        if type.noiseConfig != nil {
            try transaction.resetNoiseCounter(projectID: projectID, hash: hash)
        }
    }
}
