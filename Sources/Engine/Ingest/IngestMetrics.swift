internal import Metrics

/// The ingest stage's metrics, named after Sentry's so dashboards translate.
///
/// The factory is captured when the engine is built: the writer runs on GRDB's queue, where a
/// task-local factory (`withMetricsFactory`, used by tests) would not be seen.
struct IngestMetrics: Sendable {
    private let factory: any MetricsFactory
    let messages: Counter
    let statusChangeMessages: Counter
    let duplicates: Counter
    let failed: Counter
    let groupHashNotFound: Counter
    let prunedStatusChanges: Counter
    let regressions: Counter
    let batchDuration: Timer
    let batchSize: Recorder

    init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        messages = Counter(label: "occurrence_ingest.messages", factory: factory)
        statusChangeMessages = Counter(label: "occurrence_ingest.status_change.messages", factory: factory)
        duplicates = Counter(label: "occurrence_ingest.duplicate", factory: factory)
        failed = Counter(label: "occurrence_ingest.failed", factory: factory)
        groupHashNotFound = Counter(label: "occurrence_ingest.grouphash.not_found", factory: factory)
        prunedStatusChanges = Counter(label: "occurrence_consumer.dropped_status_changes", factory: factory)
        regressions = Counter(label: "group.regressed", factory: factory)
        batchDuration = Timer(label: "occurrence_consumer.batch_duration", factory: factory)
        batchSize = Recorder(label: "occurrence_consumer.batch_size", factory: factory)
    }

    private func count(_ label: String, _ dimensions: [(String, String)]) {
        Counter(label: label, dimensions: dimensions, factory: factory).increment()
    }

    func invalid(_ error: MessageError) {
        count("occurrence_ingest.invalid", [("code", error.code.description)])
    }

    func dropped(_ reason: DropReason, type: GroupType?) {
        let dimensions = [("group_type", type?.slug ?? "unknown")]
        switch reason {
        case .noiseReduction: count("issues.issue.dropped.noise_reduction", dimensions)
        case .rateLimited: count("issues.issue.dropped.rate_limiting", dimensions)
        case .categoryMismatch: count("issues.issue.dropped.category_mismatch", dimensions)
        case .duplicate: duplicates.increment()
        case .groupNotFound: groupHashNotFound.increment()
        case .pruned: prunedStatusChanges.increment()
        case .statusChangeRejected(let code): count("occurrence_ingest.status_change.rejected", [("reason", code)])
        }
    }

    func groupCreated(platform: String, type: GroupType) {
        count("group.created", [("platform", platform), ("type", String(type.id))])
    }
}
