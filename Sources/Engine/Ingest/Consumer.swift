public import Foundation
internal import Logging
internal import Metrics

/// Processes batches of `ingest-occurrences` messages: decode and validate, order by group key,
/// then apply them to the store and hand the resulting signals to the `SignalHandler`s.
///
/// - Messages with the same group key (raw `fingerprint[0]`) are applied one after another, in
///   the order they arrived; different keys are spread over `lanes`, which run concurrently.
/// - Of several status changes for one key in a batch only the last is applied, at its
///   position; the others are answered `.dropped(.pruned)`. (Sentry moves the kept status change
///   to the end of its bucket; keeping arrival order is what a producer would expect.)
/// - A message whose id was processed within `deduplicationWindow` is `.dropped(.duplicate)`. The
///   processed ids are stored in the same transaction as the message's effects, so a batch that
///   is redelivered after a crash is not applied twice.
/// - One failing message does not affect the others (see `apply(_:)` for how).
/// - Messages are committed in transactions of up to `maximumTransactionSize`, which is what
///   makes bulk ingest fast on SQLite.
public struct Consumer: Sendable {
    /// Tuning knobs.
    public struct Configuration: Sendable {
        /// Concurrent write lanes. SQLite serializes writers, so 1 is right for it; a database
        /// with concurrent writers benefits from more.
        public var lanes: Int
        /// Messages per store transaction.
        public var maximumTransactionSize: Int
        /// How long a processed message id is remembered.
        public var deduplicationWindow: Duration

        /// Creates a configuration.
        public init(lanes: Int = 1, maximumTransactionSize: Int = 1000, deduplicationWindow: Duration = .seconds(300)) {
            self.lanes = max(1, lanes)
            self.maximumTransactionSize = max(1, maximumTransactionSize)
            self.deduplicationWindow = deduplicationWindow
        }
    }

    let store: any Store
    let decoder: MessageDecoder
    let configuration: Configuration
    let handlers: [any SignalHandler]
    let logger: Logger
    let metrics: IngestMetrics
    let now: @Sendable () -> Date

    init(
        store: any Store, registry: GroupTypeRegistry, configuration: Configuration, handlers: [any SignalHandler], logger: Logger,
        now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.decoder = MessageDecoder(registry: registry, now: now)
        self.configuration = configuration
        self.handlers = handlers
        self.logger = logger
        self.metrics = IngestMetrics()
        self.now = now
    }

    /// Processes raw messages (JSON bytes); one result per message, in order.
    ///
    /// This is `decode` followed by `process(decoded:)`. A caller with a stream of batches (a
    /// broker consumer) gets more out of the machine by calling the two stages itself and
    /// decoding batch k+1 while batch k is applied: decoding runs on every core, applying on
    /// the store's single writer.
    public func process(_ messages: [Data]) async -> [MessageResult] {
        await process(decoded: await decode(messages))
    }

    /// Applies already decoded messages; one result per element, in order.
    public func process(decoded messages: [Result<IngestMessage, MessageError>]) async -> [MessageResult] {
        let started = ContinuousClock.now
        var results = [MessageResult?](repeating: nil, count: messages.count)
        var buckets: [String: [Int]] = [:]
        var keyOrder: [String] = []
        var seenIDs: Set<String> = []
        for (index, decoded) in messages.enumerated() {
            switch decoded {
            case .failure(let error):
                metrics.invalid(error)
                logger.info("invalid occurrence message", metadata: ["field": "\(error.field)", "error": "\(error.reason)"])
                results[index] = MessageResult(messageID: nil, outcome: .invalid(error))
            case .success(let message):
                guard seenIDs.insert(message.id).inserted else {
                    metrics.dropped(.duplicate, type: nil)
                    results[index] = MessageResult(messageID: message.id, outcome: .dropped(.duplicate))
                    continue
                }
                if buckets[message.groupKey] == nil { keyOrder.append(message.groupKey) }
                buckets[message.groupKey, default: []].append(index)
            }
        }

        var lanes = [[(Int, IngestMessage)]](repeating: [], count: min(configuration.lanes, max(keyOrder.count, 1)))
        for (position, key) in keyOrder.enumerated() {
            let indices = buckets[key]!
            let lastStatusChange = indices.last { index in
                if case .success(let message) = messages[index] { return message.isStatusChange }
                return false
            }
            for index in indices {
                guard case .success(let message) = messages[index] else { continue }
                if message.isStatusChange, index != lastStatusChange {
                    metrics.dropped(.pruned, type: nil)
                    results[index] = MessageResult(messageID: message.id, outcome: .dropped(.pruned))
                    continue
                }
                lanes[position % lanes.count].append((index, message))
            }
        }

        await withTaskGroup(of: [(Int, MessageResult)].self) { group in
            for lane in lanes where !lane.isEmpty {
                group.addTask { await self.apply(lane) }
            }
            for await laneResults in group {
                for (index, result) in laneResults { results[index] = result }
            }
        }
        metrics.batchSize.record(messages.count)
        let elapsed = (ContinuousClock.now - started).components
        metrics.batchDuration.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
        return results.map { $0! }
    }

    /// Decodes and validates messages in parallel chunks (parsing JSON is the CPU-heavy part of
    /// a batch); one result per message, in order.
    public func decode(_ messages: [Data]) async -> [Result<IngestMessage, MessageError>] {
        let decoder = self.decoder
        // Twice as many chunks as cores, so a core that finishes early picks up more work.
        let chunkCount = messages.count < 64 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount * 2, 16, messages.count / 32)
        let chunkSize = (messages.count + chunkCount - 1) / max(chunkCount, 1)
        guard chunkCount > 1 else { return messages.map { data in Result { () throws(MessageError) in try decoder.decode(data) } } }
        return await withTaskGroup(of: (Int, [Result<IngestMessage, MessageError>]).self) { group in
            for chunk in 0..<chunkCount {
                let range = (chunk * chunkSize)..<min((chunk + 1) * chunkSize, messages.count)
                guard !range.isEmpty else { continue }
                let slice = Array(messages[range])
                group.addTask { (chunk, slice.map { data in Result { () throws(MessageError) in try decoder.decode(data) } }) }
            }
            var parts = [[Result<IngestMessage, MessageError>]](repeating: [], count: chunkCount)
            for await (chunk, decoded) in group { parts[chunk] = decoded }
            return parts.flatMap { $0 }
        }
    }

    /// Applies one lane's messages in order, `maximumTransactionSize` per transaction.
    ///
    /// A chunk first runs as one plain transaction. Only if one of its messages fails is it rolled
    /// back and run again with a savepoint around each message, so the failure is confined to its
    /// message. (A savepoint per message on the fast path made SQLite copy every page a message
    /// touched into its statement journal: a gigabyte of writes per 20,000 occurrences.)
    private func apply(_ lane: [(Int, IngestMessage)]) async -> [(Int, MessageResult)] {
        var output: [(Int, MessageResult)] = []
        output.reserveCapacity(lane.count)
        var start = 0
        while start < lane.count {
            let chunk = Array(lane[start..<min(start + configuration.maximumTransactionSize, lane.count)])
            start += chunk.count
            do {
                do {
                    output += try await store.write { transaction in try self.apply(chunk, in: transaction, isolating: false) }
                } catch is IsolationNeeded {
                    output += try await store.write { transaction in try self.apply(chunk, in: transaction, isolating: true) }
                }
            } catch {
                // The transaction itself failed (disk full, database locked too long): none of the
                // chunk was stored, and every message says so.
                logger.error("ingest transaction failed", metadata: ["error": "\(error)", "messages": "\(chunk.count)"])
                for (index, message) in chunk {
                    metrics.failed.increment()
                    output.append((index, MessageResult(messageID: message.id, outcome: .failed("\(error)"))))
                }
            }
        }
        return output
    }

    /// Thrown out of a plain chunk transaction to have it rolled back and run with savepoints.
    private struct IsolationNeeded: Error {}

    private func apply(
        _ chunk: [(Int, IngestMessage)], in transaction: any StoreTransaction, isolating: Bool
    ) throws -> [(Int, MessageResult)] {
        let now = self.now()
        let since = now.addingTimeInterval(-Double(configuration.deduplicationWindow.components.seconds))
        try transaction.forgetProcessed(before: since)
        var projects: [Int64: Project] = [:]
        var output: [(Int, MessageResult)] = []
        output.reserveCapacity(chunk.count)
        for (index, message) in chunk {
            func body() throws -> MessageOutcome {
                if try transaction.isProcessed(messageID: message.id, since: since) { return .dropped(.duplicate) }
                let project = try projects[message.projectID] ?? lookUpProject(message.projectID, in: transaction)
                let outcome = try process(message, project: project, now: now, in: transaction)
                try transaction.markProcessed(messageID: message.id, at: now)
                projects[project.id] = project
                return outcome
            }
            let outcome: MessageOutcome
            do {
                outcome = isolating ? try transaction.isolated(body) : try body()
            } catch let error as MessageError where isolating {
                metrics.invalid(error)
                logger.info("occurrence message refused", metadata: ["id": "\(message.id)", "field": "\(error.field)", "error": "\(error.reason)"])
                outcome = .invalid(error)
            } catch where isolating {
                metrics.failed.increment()
                logger.error("occurrence message failed", metadata: ["id": "\(message.id)", "error": "\(error)"])
                outcome = .failed("\(error)")
            } catch {
                throw IsolationNeeded()
            }
            if case .dropped(.duplicate) = outcome { metrics.dropped(.duplicate, type: nil) }
            output.append((index, MessageResult(messageID: message.id, outcome: outcome)))
        }
        return output
    }

    private func lookUpProject(_ id: Int64, in transaction: any StoreTransaction) throws -> Project {
        guard let project = try transaction.project(id: id) else {
            throw MessageError(.unknownProject, field: "project_id", "no project with the id \(id)")
        }
        return project
    }

    private func process(_ message: IngestMessage, project: Project, now: Date, in transaction: any StoreTransaction) throws -> MessageOutcome {
        switch message.prepared {
        case .occurrence(let row, let event):
            metrics.messages.increment()
            let occurrence = row.occurrence
            let ingest = IssueIngest(registry: decoder.registry, logger: logger, metrics: metrics)
            switch try ingest.save(row, embeddedEvent: event, project: project, now: now, in: transaction) {
            case .dropped(let reason):
                return .dropped(reason)
            case .grouped(let info, let event):
                let signal = IssueSignal.occurrence(OccurrenceSignal(groupInfo: info, occurrence: occurrence, event: event, project: project))
                for handler in handlers { try handler.handle(signal, in: transaction) }
                return .grouped(info)
            }
        case .statusChange(let change):
            metrics.statusChangeMessages.increment()
            let processor = StatusChangeProcessor(logger: logger)
            switch try processor.apply(change, project: project, now: now, in: transaction) {
            case .dropped(let reason):
                metrics.dropped(reason, type: nil)
                return .dropped(reason)
            case .applied(let group, let signal):
                if let signal {
                    for handler in handlers { try handler.handle(.statusChange(signal), in: transaction) }
                }
                return .statusChanged(group, changed: signal != nil)
            }
        }
    }
}
