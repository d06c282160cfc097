public import Foundation
public import Logging

/// notifyd's engine: the ingest pipeline over a store, ready to embed.
///
/// ```swift
/// import Engine
///
/// let engine = try Engine(configuration: .init(databasePath: "data/notifyd.sqlite"))
/// let project = try await engine.ensureProject(organizationSlug: "acme", projectSlug: "backend")
/// let result = await engine.ingest(Data(#"{"id": "…", "project_id": \#(project.id), …}"#.utf8))
/// if let info = result.groupInfo { print(info.group.title, info.isNew) }
/// ```
///
/// An `Engine` is a value holding shared, thread-safe parts; copy it freely between tasks.
public struct Engine: Sendable {
    /// How an engine is put together.
    public struct Configuration: Sendable {
        /// The SQLite file; `nil` for a private in-memory database.
        public var databasePath: String?
        /// The issue types messages may name.
        public var registry: GroupTypeRegistry
        /// Batching and ordering of the consumer.
        public var consumer: Consumer.Configuration
        /// Called inside the ingest transaction for every signal (see `SignalHandler`).
        public var signalHandlers: [any SignalHandler]
        /// Where the engine logs.
        public var logger: Logger
        /// The clock; tests move it to cross noise and quota windows.
        public var now: @Sendable () -> Date
        /// Limits on what Sentry SDKs may send.
        public var sdk: SDKIngest.Configuration

        /// Creates a configuration.
        public init(
            databasePath: String? = nil, registry: GroupTypeRegistry = .standard, consumer: Consumer.Configuration = .init(),
            signalHandlers: [any SignalHandler] = [], logger: Logger = Logger(label: "notifyd.engine"),
            now: @escaping @Sendable () -> Date = Date.init, sdk: SDKIngest.Configuration = .init()
        ) {
            self.databasePath = databasePath
            self.registry = registry
            self.consumer = consumer
            self.signalHandlers = signalHandlers
            self.logger = logger
            self.now = now
            self.sdk = sdk
        }
    }

    /// The store everything is kept in.
    public let store: any Store
    /// The consumer messages go through.
    public let consumer: Consumer
    /// The producer with the in-process transport.
    public let producer: Producer
    /// The Sentry SDK side of ingest (envelopes, store events), producing through `producer`.
    public let sdk: SDKIngest
    /// The configuration the engine was built with.
    public let configuration: Configuration

    /// Opens the store named by the configuration (migrating it) and builds the pipeline.
    public init(configuration: Configuration = .init()) throws {
        let store: any Store = try configuration.databasePath.map { try SQLiteStore(path: $0) } ?? SQLiteStore.inMemory()
        self.init(store: store, configuration: configuration)
    }

    /// Builds the pipeline over a store you opened yourself.
    public init(store: any Store, configuration: Configuration = .init()) {
        self.store = store
        self.configuration = configuration
        self.consumer = Consumer(
            store: store, registry: configuration.registry, configuration: configuration.consumer, handlers: configuration.signalHandlers,
            logger: configuration.logger, now: configuration.now)
        self.producer = Producer(transport: InProcessTransport(consumer: consumer))
        self.sdk = SDKIngest(
            producer: producer, store: store, configuration: configuration.sdk, logger: configuration.logger, now: configuration.now)
    }

    // MARK: Ingest

    /// Processes one `ingest-occurrences` message (JSON bytes).
    public func ingest(_ message: Data) async -> MessageResult {
        await consumer.process([message])[0]
    }

    /// Processes a batch of messages; one result per message, in order.
    public func ingest(batch messages: [Data]) async -> [MessageResult] {
        await consumer.process(messages)
    }

    /// Processes a batch sent for one project (the daemon's ingest endpoint): a message naming
    /// another project is refused as `invalid` on its `project_id`, so a project's key cannot
    /// write into another project.
    public func ingest(batch messages: [Data], projectID: Int64) async -> [MessageResult] {
        let decoded = await consumer.decode(messages).map { result -> Result<IngestMessage, MessageError> in
            guard case .success(let message) = result, message.projectID != projectID else { return result }
            return .failure(
                MessageError(.mismatch, field: "project_id", "the message is for project \(message.projectID), the request for project \(projectID)"))
        }
        return await consumer.process(decoded: decoded)
    }

    /// Changes an issue's status through the same path as status-change messages.
    ///
    /// - Parameters:
    ///   - groupID: the issue.
    ///   - status: the new status.
    ///   - substatus: required for unresolved and ignored, absent for resolved.
    ///   - resolution: for `.resolved`, whether it is fixed in a given or the next release.
    public func changeStatus(
        groupID: Int64, to status: GroupStatus, substatus: GroupSubstatus? = nil, resolution: StatusChange.Resolution? = nil
    ) async throws -> MessageResult {
        let found = try await store.read { reader -> (Group, [String])? in
            guard let group = try reader.group(id: groupID) else { return nil }
            return (group, try reader.groupHashes(groupID: groupID))
        }
        guard let (group, hashes) = found, let hash = hashes.first else {
            throw EngineError(.notFound, field: "id", "no issue with the id \(groupID)")
        }
        let change = StatusChange(
            id: UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""), projectID: group.projectID, fingerprint: [hash],
            status: status, substatus: substatus, resolution: resolution)
        let message = IngestMessage(payload: .statusChange(change), rawFingerprint: [hash])
        return await consumer.process(decoded: [.success(message)])[0]
    }

    // MARK: Feedback

    /// Creates a user-feedback issue (as Sentry's `make_feedback_issue` does) and returns it with
    /// its event.
    public func createFeedback(projectID: Int64, _ input: FeedbackInput) async throws -> (group: Group, event: Event) {
        guard !input.message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw EngineError(.invalidArgument, field: "message", "feedback message must not be empty")
        }
        let (occurrence, event) = FeedbackIssue.make(input, projectID: projectID, now: configuration.now())
        let result = try await producer.produce(occurrence: occurrence, event: event)
        switch result?.outcome {
        case .grouped(let info)?:
            guard let stored = try await store.read({ try $0.latestEvent(groupID: info.group.id) }) else {
                throw EngineError(.notProcessed, "the feedback issue has no event")
            }
            return (info.group, stored)
        case .invalid(let error)?:
            throw EngineError(.invalidArgument, field: error.field, error.reason)
        case .dropped(let reason)?:
            throw EngineError(.notProcessed, "no issue was created: \(reason)")
        case .failed(let reason)?:
            throw EngineError(.notProcessed, reason)
        case .statusChanged?, nil:
            throw EngineError(.notProcessed, "no issue was created")
        }
    }

    // MARK: Organizations and projects

    /// Creates an organization. Slugs are 1–50 of `a-z 0-9 _ -`.
    public func createOrganization(slug: String, name: String? = nil) async throws -> Organization {
        try Self.validate(slug: slug, field: "organization")
        return try await store.write { transaction in
            guard try transaction.organization(slug: slug) == nil else {
                throw EngineError(.conflict, field: "organization", "an organization with the slug '\(slug)' exists")
            }
            return try transaction.insertOrganization(slug: slug, name: name ?? slug)
        }
    }

    /// Creates a project in an organization.
    public func createProject(organizationID: Int64, slug: String, name: String? = nil) async throws -> Project {
        try Self.validate(slug: slug, field: "project")
        return try await store.write { transaction in
            guard try transaction.organization(id: organizationID) != nil else {
                throw EngineError(.notFound, field: "organization", "no organization with the id \(organizationID)")
            }
            guard try transaction.project(organizationID: organizationID, slug: slug) == nil else {
                throw EngineError(.conflict, field: "project", "a project with the slug '\(slug)' exists in this organization")
            }
            return try transaction.insertProject(organizationID: organizationID, slug: slug, name: name ?? slug)
        }
    }

    /// The project `organizationSlug/projectSlug`, created (with its organization) if missing.
    public func ensureProject(organizationSlug: String, projectSlug: String) async throws -> Project {
        try Self.validate(slug: organizationSlug, field: "organization")
        try Self.validate(slug: projectSlug, field: "project")
        return try await store.write { transaction in
            let organization =
                try transaction.organization(slug: organizationSlug)
                ?? transaction.insertOrganization(slug: organizationSlug, name: organizationSlug)
            return try transaction.project(organizationID: organization.id, slug: projectSlug)
                ?? transaction.insertProject(organizationID: organization.id, slug: projectSlug, name: projectSlug)
        }
    }

    /// The project `organizationSlug/projectSlug`, if it exists.
    public func project(organizationSlug: String, projectSlug: String) async throws -> Project? {
        try await store.read { reader in
            guard let organization = try reader.organization(slug: organizationSlug) else { return nil }
            return try reader.project(organizationID: organization.id, slug: projectSlug)
        }
    }

    static func validate(slug: String, field: String) throws(EngineError) {
        let allowed = slug.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        guard allowed, (1...50).contains(slug.utf8.count) else {
            throw EngineError(.invalidArgument, field: field, "'\(slug)' is not a slug (1-50 of a-z, 0-9, '_' and '-')")
        }
    }

    // MARK: Reading

    /// The issue with this id.
    public func group(id: Int64) async throws -> Group? {
        try await store.read { try $0.group(id: id) }
    }

    /// A project's issues, most recently seen first.
    public func groups(projectID: Int64, limit: Int = 100) async throws -> [Group] {
        try await store.read { try $0.groups(projectID: projectID, limit: limit) }
    }

    /// The event of the issue's most recent occurrence.
    public func latestEvent(groupID: Int64) async throws -> Event? {
        try await store.read { try $0.latestEvent(groupID: groupID) }
    }

    /// The issue's activities, oldest first.
    public func activities(groupID: Int64) async throws -> [Activity] {
        try await store.read { try $0.activities(groupID: groupID) }
    }
}
