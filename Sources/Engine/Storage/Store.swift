public import Foundation

/// Where notifyd keeps its state. One implementation per database: `SQLiteStore` now,
/// PostgreSQL later.
///
/// Work happens in closures that receive a transaction. Closures are synchronous on purpose:
/// a transaction never waits on the network or on another task, so it stays short, and the
/// SQLite implementation runs it on GRDB's writer queue. A PostgreSQL implementation runs the
/// same closure on a thread pool, blocking on its connection.
public protocol Store: Sendable {
    /// Runs `body` in a read-only snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T

    /// Runs `body` in one write transaction: everything it wrote commits together, or, if it
    /// throws, nothing does.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
}

/// The queries the engine runs. Every read inside a write transaction sees that transaction's
/// writes, and implementations whose writers run concurrently lock the rows they return
/// (`SELECT … FOR UPDATE`), so read-modify-write inside one transaction is race-free.
public protocol StoreReader {
    /// The organization with this id.
    func organization(id: Int64) throws -> Organization?
    /// The organization with this slug.
    func organization(slug: String) throws -> Organization?
    /// Every organization, by id.
    func organizations() throws -> [Organization]
    /// The project with this id.
    func project(id: Int64) throws -> Project?
    /// The project with this slug in an organization.
    func project(organizationID: Int64, slug: String) throws -> Project?
    /// The projects of an organization, by id.
    func projects(organizationID: Int64) throws -> [Project]

    /// The issue with this id.
    func group(id: Int64) throws -> Group?
    /// The issue with this short-id number in a project.
    func group(projectID: Int64, shortID: Int64) throws -> Group?
    /// The issue a fingerprint hash belongs to, if any (`nil` also when the hash is claimed but
    /// has no issue yet).
    func groupID(projectID: Int64, hash: String) throws -> Int64?
    /// The fingerprint hashes that point at an issue.
    func groupHashes(groupID: Int64) throws -> [String]
    /// The issues of a project, most recently seen first.
    func groups(projectID: Int64, limit: Int) throws -> [Group]
    /// At most `limit` issues that meet every term of a search filter, ordered by the sort's
    /// value, then by id, both descending. From a keyset: the issues after it in that order, or,
    /// reading backwards, those before it, nearest first.
    func searchGroups(_ filter: IssueFilter, sort: IssueSort, from keyset: IssueKeyset?, limit: Int) throws -> [Group]
    /// How many issues meet a search filter, counting no further than `limit`.
    func countGroups(_ filter: IssueFilter, upTo limit: Int) throws -> Int
    /// The issues of an organization that have an occurrence of this event (32 lower-case hex
    /// digits), by id.
    func groups(organizationID: Int64, eventID: String) throws -> [Group]

    /// The event with this id in a project.
    func event(projectID: Int64, eventID: String) throws -> Event?
    /// The occurrence with this id in a project.
    func occurrence(projectID: Int64, id: String) throws -> IssueOccurrence?
    /// The event of the issue's most recent occurrence.
    func latestEvent(groupID: Int64) throws -> Event?
    /// The issue's activities, oldest first.
    func activities(groupID: Int64) throws -> [Activity]
    /// The environments the issue was seen in.
    func groupEnvironments(groupID: Int64) throws -> [GroupEnvironment]
    /// How the issue was resolved with respect to releases, if it was.
    func resolution(groupID: Int64) throws -> GroupResolution?

    /// The release with this id.
    func release(id: Int64) throws -> Release?
    /// The release with this version in a project.
    func release(projectID: Int64, version: String) throws -> Release?
    /// A project's most recently added releases, newest first.
    func recentReleases(projectID: Int64, limit: Int) throws -> [Release]
    /// The environment with this name in a project.
    func environment(projectID: Int64, name: String) throws -> Environment?

    /// Occurrences of an issue whose event happened at or after `since`, optionally in one
    /// environment (the frequency trigger).
    func countOccurrences(groupID: Int64, since: Date, environment: String?) throws -> Int
    /// Distinct users among those occurrences (the unique-users trigger).
    func countUniqueUsers(groupID: Int64, since: Date, environment: String?) throws -> Int
    /// When each rule last fired for an issue, by rule id.
    func rulesLastFired(groupID: Int64) throws -> [String: Date]
    /// An issue's fire history, oldest first.
    func ruleFirings(groupID: Int64) throws -> [RuleFiring]
    /// A delivery by id.
    func delivery(id: String) throws -> Delivery?
    /// A delivery's attempts, oldest first.
    func deliveryAttempts(deliveryID: String) throws -> [DeliveryAttempt]
    /// Pending deliveries, and how long the oldest due one has been waiting (for metrics).
    func outboxDepth(now: Date) throws -> (pending: Int, oldestDue: Date?)
    /// Deliveries in a state (all with `nil`), in the order they were enqueued.
    func deliveries(state: Delivery.State?, limit: Int) throws -> [Delivery]

    /// Deliveries that match a filter, newest first.
    func deliveries(_ filter: DeliveryFilter, limit: Int) throws -> [Delivery]
    /// A rule's firings on any issue, newest first.
    func ruleFirings(ruleID: String, limit: Int) throws -> [RuleFiring]
    /// When each rule last fired on any issue, by rule id.
    func rulesLastFired() throws -> [String: Date]

    /// An issue's events from a position on (excluded), walking `direction`; without a position
    /// from the newest (`.older`) or the oldest (`.newer`).
    func groupEvents(groupID: Int64, from position: EventPosition?, direction: EventDirection, limit: Int) throws -> [GroupEvent]
    /// One of the issue's events with its position; `nil` if the event is not one of them.
    func groupEvent(groupID: Int64, eventID: String) throws -> GroupEvent?
    /// Each issue's occurrences in `buckets` consecutive buckets of `bucketSeconds` from `since`
    /// (the console's sparklines); an issue without any in the range has no entry.
    func eventCounts(groupIDs: [Int64], since: Date, bucketSeconds: Int, buckets: Int) throws -> [Int64: [Int]]
    /// The tags of an issue's latest `limit` events, newest first.
    func recentEventTags(groupID: Int64, limit: Int) throws -> [[EventTag]]
    /// The names of the environments an issue was seen in, sorted.
    func environmentNames(groupID: Int64) throws -> [String]
    /// A console session by the digest of its id.
    func consoleSession(idDigest: String) throws -> ConsoleSession?

    /// Whether a message with this id was processed at or after `since`.
    func isProcessed(messageID: String, since: Date) throws -> Bool
    /// Row counts per table, for operators and for tests that assert nothing was stored.
    func rowCounts() throws -> [String: Int]
}

/// The writes the engine makes, inside one transaction.
public protocol StoreTransaction: StoreReader {
    /// Runs `body` so that, if it throws, only its own writes are undone (a savepoint); the
    /// consumer uses this so one failing message does not undo the rest of its batch.
    func isolated<T>(_ body: () throws -> T) throws -> T

    /// Creates an organization; a taken slug is an error.
    func insertOrganization(slug: String, name: String) throws -> Organization
    /// Creates a project; a slug taken in the organization is an error.
    func insertProject(organizationID: Int64, slug: String, name: String) throws -> Project

    /// Stores an event, replacing one with the same id.
    func saveEvent(_ row: EventRow) throws
    /// Stores an occurrence and the issue it was grouped into (`nil` when none was created),
    /// replacing one with the same id.
    func saveOccurrence(_ row: OccurrenceRow, event: Event, groupID: Int64?) throws

    /// The release with this version, created at `now` if new.
    func ensureRelease(projectID: Int64, version: String, now: Date) throws -> Release
    /// Adds one to a release's count of issues first seen in it.
    func incrementNewGroups(releaseID: Int64) throws
    /// The environment with this name, created if new.
    func ensureEnvironment(projectID: Int64, name: String) throws -> Environment
    /// Records that an issue was seen in an environment; `true` if that is new.
    func ensureGroupEnvironment(_ groupEnvironment: GroupEnvironment) throws -> Bool

    /// Claims a fingerprint hash for a new issue. `true` when this call created the claim;
    /// `false` when it already existed, whoever holds it (the race-safe half of find-or-create).
    func claimGroupHash(projectID: Int64, hash: String) throws -> Bool
    /// Points a claimed hash at its issue.
    func linkGroupHash(projectID: Int64, hash: String, groupID: Int64) throws
    /// The next per-project issue number (1 for the first issue).
    func nextShortID(projectID: Int64) throws -> Int64
    /// Stores a new issue and returns it with its id.
    func insertGroup(_ group: Group) throws -> Group
    /// Writes the mutable fields of an existing issue; `previous` is the issue as it was read,
    /// so unchanged costly columns (the metadata JSON) need not be written again.
    func updateGroup(_ group: Group, previous: Group) throws
    /// Deletes the issues with these ids that belong to the organization (other ids are ignored)
    /// and everything that hangs on them: occurrences, the events no other occurrence uses,
    /// environments, activities, resolution, rule state and fingerprint hashes, so that the
    /// fingerprint makes a new issue next time. Returns how many issues were deleted.
    func deleteGroups(organizationID: Int64, ids: [Int64]) throws -> Int
    /// Moves a *resolved* issue to unresolved/regressed, seen at `date`; `false` (and no change)
    /// if it was not resolved any more, so two writers can never both report the regression.
    func markRegressed(groupID: Int64, at date: Date) throws -> Bool

    /// Sets how an issue was resolved, replacing an earlier resolution.
    func setResolution(_ resolution: GroupResolution) throws
    /// Removes the issue's resolution and returns it, if there was one.
    func deleteResolution(groupID: Int64) throws -> GroupResolution?
    /// Records an activity and returns it with its id.
    func insertActivity(_ activity: Activity) throws -> Activity

    /// Counts a sighting of a fingerprint that has no issue yet and returns the count. A counter
    /// whose last sighting is older than `expiry` starts again from 1.
    func incrementNoiseCounter(projectID: Int64, hash: String, now: Date, expiry: Duration) throws -> Int
    /// Forgets the sightings of a fingerprint (once its issue is created).
    func resetNoiseCounter(projectID: Int64, hash: String) throws
    /// Uses one unit of a sliding-window quota; `false` (and nothing used) when it is exhausted.
    func useQuota(key: String, quota: Quota, now: Date) throws -> Bool

    /// Records that a rule fires for an issue at `now`, unless it already fired less than
    /// `frequency` ago; `false` (nothing recorded) then. Atomic, so of concurrent signals only
    /// one fires a rule per window.
    func claimRuleFire(ruleID: String, groupID: Int64, now: Date, frequency: Duration) throws -> Bool
    /// Adds a fire-history row.
    func insertFiring(_ firing: RuleFiring) throws
    /// Writes a notification to the outbox.
    func enqueue(_ delivery: Delivery) throws

    /// Claims, oldest due first, up to `limit` pending deliveries of `channels` that are due, not
    /// leased (or whose lease ran out: their worker died) and accepted by `admit`, leasing them
    /// to `owner` until `now + lease`.
    ///
    /// `admit` sees each candidate's channel and target in due order (the dispatcher's per-host
    /// limit); one it turns away stays pending and unleased for a later claim, and the ones
    /// behind it are still considered. Implementations look at a bounded number of the oldest
    /// due deliveries (SQLite: 1,000), so a claim stays short however long the outbox.
    func claimDueDeliveries(
        now: Date, limit: Int, owner: String, lease: Duration, channels: Set<Delivery.Channel>, admit: (Delivery.Channel, String) -> Bool
    ) throws -> [Delivery]
    /// Records an attempt and the delivery's new state, if `owner` still holds its lease (a worker
    /// whose lease expired must not overwrite the work of the one that took over); `false` then.
    func completeDelivery(
        id: String, owner: String, attempt: DeliveryAttempt, nextAttemptAt: Date?
    ) throws -> Bool
    /// Gives back every lease `owner` holds (graceful shutdown), so the deliveries are due again.
    func releaseLeases(owner: String) throws -> Int
    /// Records `reason` as the last error of every pending delivery of `channel` that does not
    /// carry it yet (a channel that cannot deliver, say email without an SMTP server), without
    /// counting an attempt; returns how many changed.
    func markWaiting(channel: Delivery.Channel, reason: String) throws -> Int
    /// Makes a delivered or dead delivery pending again, due at `now`; `false` if there is none.
    func redeliver(id: String, now: Date) throws -> Bool
    /// Makes every dead delivery pending again; returns how many.
    func redeliverDead(now: Date) throws -> Int

    /// Notes the tag values an issue's event carried (the index tag searches use); values
    /// already noted for the issue cost a lookup, not a write.
    func recordGroupTags(groupID: Int64, tags: [EventTag]) throws
    /// Records a new console session.
    func insertConsoleSession(_ session: ConsoleSession) throws
    /// Notes that a session was used now (its idle expiry starts again).
    func touchConsoleSession(idDigest: String, at date: Date) throws
    /// Ends a session (sign-out).
    func deleteConsoleSession(idDigest: String) throws
    /// Removes the sessions idle since before `lastSeenBefore` or opened before
    /// `createdBefore`; returns how many.
    func deleteConsoleSessions(lastSeenBefore: Date, createdBefore: Date) throws -> Int

    /// Remembers that a message was processed, so a redelivery can be skipped.
    func markProcessed(messageID: String, at date: Date) throws
    /// Forgets processed message ids older than `date`.
    func forgetProcessed(before date: Date) throws
}
