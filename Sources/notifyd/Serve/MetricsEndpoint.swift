import Metrics
import Prometheus

/// The Prometheus registry every swift-metrics metric of the process goes to, and its text
/// rendering for `GET /metrics`.
struct MetricsEndpoint: Sendable {
    let registry: PrometheusCollectorRegistry

    /// A factory writing into `registry`, with swift-metrics labels (`notify.webhook.delivered`)
    /// turned into Prometheus names (`notify_webhook_delivered`).
    func factory() -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (Self.sanitize(name), labels.map { (Self.sanitize($0.0), $0.1) })
        }
        return factory
    }

    /// The Prometheus text exposition of every metric.
    func render() -> String {
        registry.emitToString()
    }

    static func sanitize(_ name: String) -> String {
        String(
            name.unicodeScalars.map { scalar -> Character in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "_", ":": return Character(scalar)
                default: return "_"
                }
            })
    }
}
