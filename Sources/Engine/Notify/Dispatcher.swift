public import Foundation
public import Logging
internal import Metrics

/// Drains the outbox: claims due deliveries under a lease, delivers them through their
/// channel with bounded concurrency, and records every attempt; failures are retried on the
/// `RetryPolicy` schedule, then dead.
///
/// A lease makes a crash safe: deliveries claimed by a process that died become due again
/// when the lease runs out, so each is delivered at least once (receivers deduplicate by the
/// delivery id). Stopping gives the leases back at once.
public struct Dispatcher: Sendable {
    /// Tuning.
    public struct Configuration: Sendable {
        /// Deliveries claimed per round.
        public var batchSize: Int
        /// Deliveries in flight at once.
        public var concurrency: Int
        /// How long a claim holds; longer than the slowest attempt.
        public var lease: Duration
        /// The pause when nothing is due.
        public var pollInterval: Duration
        /// The retry schedule.
        public var retry: RetryPolicy

        /// Creates a configuration.
        public init(
            batchSize: Int = 100, concurrency: Int = 16, lease: Duration = .seconds(120), pollInterval: Duration = .milliseconds(500),
            retry: RetryPolicy = .standard
        ) {
            self.batchSize = max(1, batchSize)
            self.concurrency = max(1, concurrency)
            self.lease = lease
            self.pollInterval = pollInterval
            self.retry = retry
        }
    }

    let store: any Store
    let channels: [Delivery.Channel: any DeliveryChannel]
    let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double
    /// This dispatcher's identity in leases.
    public let owner: String

    /// Creates a dispatcher for the channels given (deliveries of other channels wait).
    public init(
        store: any Store, channels: [Delivery.Channel: any DeliveryChannel], configuration: Configuration = .init(),
        logger: Logger = Logger(label: "notifyd.dispatcher"), now: @escaping @Sendable () -> Date = Date.init,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.store = store
        self.channels = channels
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.random = random
        self.owner = "dispatcher-" + UUID().uuidString.lowercased()
    }

    /// One round: claims what is due and delivers it. Returns how many deliveries were attempted.
    @discardableResult
    public func runOnce() async throws -> Int {
        let started = now()
        let (owner, limit, lease, channels) = (self.owner, configuration.batchSize, configuration.lease, Set(self.channels.keys))
        let claimed = try await store.write { try $0.claimDueDeliveries(now: started, limit: limit, owner: owner, lease: lease, channels: channels) }
        guard !claimed.isEmpty else { return 0 }
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for delivery in claimed {
                if inFlight == configuration.concurrency {
                    await group.next()
                    inFlight -= 1
                }
                group.addTask { await self.attempt(delivery) }
                inFlight += 1
            }
        }
        return claimed.count
    }

    /// Runs rounds until the task is cancelled, then gives back its leases.
    public func run() async {
        while !Task.isCancelled {
            do {
                if try await runOnce() == 0 {
                    try await Task.sleep(for: configuration.pollInterval)
                }
            } catch is CancellationError {
                break
            } catch {
                logger.error("dispatcher round failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: configuration.pollInterval)
            }
        }
        let owner = self.owner
        let released = (try? await store.write { try $0.releaseLeases(owner: owner) }) ?? 0
        logger.info("dispatcher stopped", metadata: ["released_leases": "\(released)"])
    }

    private func attempt(_ delivery: Delivery) async {
        let channelName = delivery.channel.rawValue
        let started = now()
        let clock = ContinuousClock()
        let timer = clock.now
        let outcome = await channels[delivery.channel]!.deliver(delivery, store: store)
        let elapsed = (clock.now - timer).components
        let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        Timer(label: "notify.\(channelName).attempt_duration").recordNanoseconds(Int64(milliseconds * 1e6))

        let attempt: DeliveryAttempt
        var next: Date?
        switch outcome {
        case .delivered(let status):
            attempt = DeliveryAttempt(
                deliveryID: delivery.id, attemptedAt: started, durationMilliseconds: milliseconds, statusCode: status, error: nil, outcome: .delivered)
            Counter(label: "notify.\(channelName).delivered").increment()
        case .retry(let status, let error, let retryAfter):
            if let delay = configuration.retry.delay(afterFailedAttempts: delivery.attempts + 1, retryAfter: retryAfter, random: random()) {
                next = now() + delay
                attempt = DeliveryAttempt(
                    deliveryID: delivery.id, attemptedAt: started, durationMilliseconds: milliseconds, statusCode: status, error: error, outcome: .retry)
                Counter(label: "notify.\(channelName).retried").increment()
            } else {
                attempt = DeliveryAttempt(
                    deliveryID: delivery.id, attemptedAt: started, durationMilliseconds: milliseconds, statusCode: status, error: error, outcome: .dead)
                Counter(label: "notify.\(channelName).dead").increment()
            }
        case .failed(let status, let error):
            attempt = DeliveryAttempt(
                deliveryID: delivery.id, attemptedAt: started, durationMilliseconds: milliseconds, statusCode: status, error: error, outcome: .dead)
            Counter(label: "notify.\(channelName).dead").increment()
        }
        let (owner, nextAttemptAt) = (self.owner, next)
        let recorded = try? await store.write {
            try $0.completeDelivery(id: delivery.id, owner: owner, attempt: attempt, nextAttemptAt: nextAttemptAt)
        }
        if recorded != true {
            logger.warning("delivery outcome not recorded (lease lost)", metadata: ["delivery": "\(delivery.id)"])
        }
        if attempt.outcome == .dead {
            logger.error("delivery is dead", metadata: ["delivery": "\(delivery.id)", "channel": "\(channelName)", "error": "\(attempt.error ?? "")"])
        }
    }
}
