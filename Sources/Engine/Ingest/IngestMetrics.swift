internal import Metrics

/// The ingest stage's metrics, named after Sentry's so dashboards translate. Hot counters are
/// made once; the rarely used, dimensioned ones on demand.
struct IngestMetrics: Sendable {
    let messages = Counter(label: "occurrence_ingest.messages")
    let statusChangeMessages = Counter(label: "occurrence_ingest.status_change.messages")
    let duplicates = Counter(label: "occurrence_ingest.duplicate")
    let failed = Counter(label: "occurrence_ingest.failed")
    let groupHashNotFound = Counter(label: "occurrence_ingest.grouphash.not_found")
    let prunedStatusChanges = Counter(label: "occurrence_consumer.dropped_status_changes")
    let regressions = Counter(label: "group.regressed")
    let batchDuration = Timer(label: "occurrence_consumer.batch_duration")
    let batchSize = Recorder(label: "occurrence_consumer.batch_size")

    func invalid(_ error: MessageError) {
        Counter(label: "occurrence_ingest.invalid", dimensions: [("code", error.code.description)]).increment()
    }

    func dropped(_ reason: DropReason, type: GroupType?) {
        let dimensions = [("group_type", type?.slug ?? "unknown")]
        switch reason {
        case .noiseReduction: Counter(label: "issues.issue.dropped.noise_reduction", dimensions: dimensions).increment()
        case .rateLimited: Counter(label: "issues.issue.dropped.rate_limiting", dimensions: dimensions).increment()
        case .categoryMismatch: Counter(label: "issues.issue.dropped.category_mismatch", dimensions: dimensions).increment()
        case .duplicate: duplicates.increment()
        case .groupNotFound: groupHashNotFound.increment()
        case .pruned: prunedStatusChanges.increment()
        case .statusChangeRejected(let code):
            Counter(label: "occurrence_ingest.status_change.rejected", dimensions: [("reason", code)]).increment()
        }
    }

    func groupCreated(platform: String, type: GroupType) {
        Counter(label: "group.created", dimensions: [("platform", platform), ("type", String(type.id))]).increment()
    }
}
