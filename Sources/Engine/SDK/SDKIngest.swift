public import Foundation
public import Logging

/// The Sentry SDK side of ingest: envelopes (`POST /api/<project_id>/envelope/`) and single
/// events (`POST /api/<project_id>/store/`), turned into occurrences that go through the
/// producer and consumer like any other, so grouping, rules and delivery apply unchanged.
///
/// | item type | becomes |
/// |---|---|
/// | `event` | an occurrence of type `error`, grouped and named by `SDKGrouping` |
/// | `feedback` | a user-feedback issue from `contexts.feedback`, each report its own issue |
/// | `user_report` | a user-feedback issue about `event_id`, linked to that event's issue when notifyd has it |
/// | anything else | counted and ignored (`transaction`, `session`, `sessions`, `client_report`, `attachment`, …) |
///
/// An error event's occurrence takes the event id as its own id, so an SDK that resends an
/// envelope (after a timeout) within the consumer's deduplication window is answered
/// `dropped(.duplicate)` instead of counting the error twice, and a user report can find the
/// issue of the event it is about.
public struct SDKIngest: Sendable {
    /// Limits on what an SDK may send.
    public struct Configuration: Sendable {
        /// The largest envelope accepted, in (decompressed) bytes; Bugsink's 100 MiB.
        public var maximumEnvelopeSize: Int
        /// The largest `event`, `feedback` or `user_report` payload (and store-endpoint body), in
        /// bytes; Bugsink's and Relay's 1 MiB.
        public var maximumEventSize: Int
        /// How deeply payload JSON may nest, at most 120: the consumer reads the event two levels
        /// down in the occurrence message, with its own limit of 128.
        public var maximumDepth: Int

        /// Creates a configuration.
        public init(maximumEnvelopeSize: Int = 100 << 20, maximumEventSize: Int = 1 << 20, maximumDepth: Int = 64) {
            self.maximumEnvelopeSize = maximumEnvelopeSize
            self.maximumEventSize = maximumEventSize
            self.maximumDepth = min(max(1, maximumDepth), 120)
        }
    }

    /// Where occurrences go.
    public let producer: Producer
    /// Where events a user report is about are looked up.
    public let store: any Store
    /// The limits.
    public let configuration: Configuration
    let logger: Logger
    let metrics: SDKMetrics
    let now: @Sendable () -> Date

    /// Creates the SDK ingest stage.
    public init(
        producer: Producer, store: any Store, configuration: Configuration = .init(), logger: Logger = Logger(label: "notifyd.sdk"),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.producer = producer
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.metrics = SDKMetrics()
        self.now = now
    }

    /// Ingests an envelope for a project, item by item, in order (so a user report finds the
    /// event sent before it in the same envelope).
    ///
    /// - Parameters:
    ///   - data: the envelope, decompressed.
    ///   - projectID: the project the request was authenticated for; the header's `dsn` is not
    ///     consulted.
    /// - Throws: `EnvelopeError` when the envelope is too large or its header is unusable;
    ///   problems with single items are in their results instead.
    public func ingestEnvelope(_ data: Data, projectID: Int64) async throws(EnvelopeError) -> EnvelopeResult {
        guard data.count <= configuration.maximumEnvelopeSize else {
            metrics.envelope(EnvelopeError.Code.tooLarge.description)
            throw EnvelopeError(.tooLarge, "\(data.count) bytes is more than the \(configuration.maximumEnvelopeSize)-byte limit for envelopes")
        }
        let envelope: Envelope
        do {
            envelope = try Envelope(parsing: data, maximumDepth: configuration.maximumDepth)
        } catch {
            metrics.envelope(error.code.description)
            logger.info("envelope refused", metadata: ["project_id": "\(projectID)", "error": "\(error)"])
            throw error
        }
        metrics.envelope("accepted")
        let received = now()
        var results: [SDKItemResult] = []
        // The header's id stands in for the first event or feedback without an id of its own;
        // given to two, their events would overwrite each other.
        var fallbackEventID = envelope.header.eventID
        for item in envelope.items {
            let result: SDKItemResult
            switch item {
            case .success(let item):
                result = await process(item, fallbackEventID: fallbackEventID, projectID: projectID, received: received)
                if result.eventID != nil, result.eventID == fallbackEventID { fallbackEventID = nil }
            case .failure(let error):
                result = SDKItemResult(index: error.index, type: error.type, outcome: .failed(error))
            }
            record(result, projectID: projectID)
            results.append(result)
        }
        let answered = results.first { ($0.type == "event" || $0.type == "feedback") && $0.eventID != nil }
        return EnvelopeResult(header: envelope.header, eventID: envelope.header.eventID ?? answered?.eventID, items: results)
    }

    /// Ingests the body of the legacy store endpoint: one event payload, handled as an `event` item.
    public func ingestStoreEvent(_ data: Data, projectID: Int64) async -> SDKItemResult {
        let item = EnvelopeItem(index: 0, type: "event", headers: ["type": "event"], payload: data)
        let result = await process(item, fallbackEventID: nil, projectID: projectID, received: now())
        record(result, projectID: projectID)
        return result
    }

    private func record(_ result: SDKItemResult, projectID: Int64) {
        metrics.item(result)
        if let error = result.error {
            logger.info("envelope item not processed", metadata: ["project_id": "\(projectID)", "error": "\(error)"])
        }
    }
}
