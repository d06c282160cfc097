internal import Metrics

/// The SDK stage's metrics: `sdk_ingest.envelopes{outcome}` (`accepted` or the envelope error's
/// code) and `sdk_ingest.items{type, outcome}`, with item types outside the known set counted
/// as `other` so a misbehaving client cannot grow the label set.
struct SDKMetrics: Sendable {
    private let factory: any MetricsFactory

    /// Item types an SDK sends today; the label set of `sdk_ingest.items`.
    private static let knownTypes: Set<String> = [
        "event", "feedback", "user_report", "transaction", "session", "sessions", "client_report", "attachment", "check_in",
        "profile", "profile_chunk", "replay_event", "replay_recording", "replay_video", "span", "log", "otel_log", "statsd",
        "metric_buckets", "trace_metric", "unknown",
    ]

    init(factory: any MetricsFactory = MetricsSystem.factory) { self.factory = factory }

    func envelope(_ outcome: String) {
        Counter(label: "sdk_ingest.envelopes", dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    func item(_ result: SDKItemResult) {
        let outcome: String
        switch result.outcome {
        case .issue: outcome = "issue"
        case .queued: outcome = "queued"
        case .dropped(let reason): outcome = "dropped_\(reason)"
        case .ignored: outcome = "ignored"
        case .failed(let error): outcome = "failed_\(error.code)"
        }
        let type = Self.knownTypes.contains(result.type) ? result.type : "other"
        Counter(label: "sdk_ingest.items", dimensions: [("type", type), ("outcome", outcome)], factory: factory).increment()
    }
}
