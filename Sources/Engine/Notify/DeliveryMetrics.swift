import Foundation
internal import Metrics

/// The dispatcher's metrics. Per channel (`notify.<channel>.…`): attempts delivered, retried
/// and dead, and an `attempt_duration` timer; for the outbox, the gauges `notify.outbox.depth`
/// (pending deliveries) and `notify.outbox.oldest_due_age_seconds` (how long the oldest due
/// delivery has been waiting: a dispatcher that falls behind shows here first).
///
/// The factory is captured when the dispatcher is built, like `IngestMetrics`, so a test's
/// task-local factory (`withMetricsFactory`) sees every metric.
struct DeliveryMetrics: Sendable {
    /// One channel's metrics.
    private struct Channel: Sendable {
        let delivered: Counter
        let retried: Counter
        let dead: Counter
        let attemptDuration: Timer
    }

    private let channels: [Delivery.Channel: Channel]
    private let outboxDepth: Gauge
    private let oldestDueAge: Gauge

    init(channels: some Sequence<Delivery.Channel>, factory: any MetricsFactory = MetricsSystem.factory) {
        var byChannel: [Delivery.Channel: Channel] = [:]
        for channel in channels {
            let prefix = "notify.\(channel.rawValue)"
            byChannel[channel] = Channel(
                delivered: Counter(label: "\(prefix).delivered", factory: factory),
                retried: Counter(label: "\(prefix).retried", factory: factory),
                dead: Counter(label: "\(prefix).dead", factory: factory),
                attemptDuration: Timer(label: "\(prefix).attempt_duration", factory: factory))
        }
        self.channels = byChannel
        outboxDepth = Gauge(label: "notify.outbox.depth", factory: factory)
        oldestDueAge = Gauge(label: "notify.outbox.oldest_due_age_seconds", factory: factory)
    }

    /// Counts an attempt through a channel the dispatcher was built with, and its duration.
    func attempt(_ channel: Delivery.Channel, outcome: DeliveryAttempt.Outcome, nanoseconds: Int64) {
        let metrics = channels[channel]!
        metrics.attemptDuration.recordNanoseconds(nanoseconds)
        switch outcome {
        case .delivered: metrics.delivered.increment()
        case .retry: metrics.retried.increment()
        case .dead: metrics.dead.increment()
        }
    }

    /// Records the outbox as one store query saw it.
    func outbox(pending: Int, oldestDue: Date?, now: Date) {
        outboxDepth.record(pending)
        oldestDueAge.record(oldestDue.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }
}
