public import Foundation
public import Logging
public import ServiceLifecycle

/// Drains the outbox: claims due deliveries under a lease, delivers them through their channel
/// — at most `concurrency` at once and `concurrencyPerHost` to one destination host — and
/// records every attempt; failures are retried on the `RetryPolicy` schedule, then dead.
///
/// A lease makes a crash safe: deliveries claimed by a process that died become due again
/// when the lease runs out, so each is delivered at least once (receivers deduplicate by the
/// delivery id).
///
/// As a `Service`, `run()` claims whenever a slot frees and every `pollInterval`. On graceful
/// shutdown it stops claiming, lets the attempts in flight finish (for at most one lease) and
/// records them, then gives back any lease it still holds, so nothing waits for a lease to run
/// out. Cancellation cuts the attempts short instead: one cut short is not recorded (it is no
/// answer from the receiver) and its delivery is due again at once. `runOnce()` is one round,
/// for tests and the CLI.
///
/// ```swift
/// let dispatcher = Dispatcher(store: engine.store, channels: [.email: email, .webhook: webhooks])
/// let group = ServiceGroup(services: [dispatcher], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public struct Dispatcher: Service {
    /// Tuning.
    public struct Configuration: Sendable {
        /// Deliveries claimed per round of `runOnce()`, and per claim.
        public var batchSize: Int
        /// Deliveries in flight at once.
        public var concurrency: Int
        /// Deliveries in flight at once to one destination host (a webhook URL's host; the SMTP
        /// server for every email). Due deliveries over it stay unclaimed until the host has a
        /// free slot, while other hosts' go ahead.
        public var concurrencyPerHost: Int
        /// How long a claim holds; longer than the slowest attempt.
        public var lease: Duration
        /// The pause when nothing is due.
        public var pollInterval: Duration
        /// The retry schedule.
        public var retry: RetryPolicy

        /// Creates a configuration.
        public init(
            batchSize: Int = 100, concurrency: Int = 16, concurrencyPerHost: Int = 4, lease: Duration = .seconds(120),
            pollInterval: Duration = .milliseconds(500), retry: RetryPolicy = .standard
        ) {
            self.batchSize = max(1, batchSize)
            self.concurrency = max(1, concurrency)
            self.concurrencyPerHost = max(1, concurrencyPerHost)
            self.lease = lease
            self.pollInterval = pollInterval
            self.retry = retry
        }
    }

    let store: any Store
    let channels: [Delivery.Channel: any DeliveryChannel]
    let waiting: [Delivery.Channel: String]
    let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double
    private let metrics: DeliveryMetrics
    private let doorbell = Doorbell()
    /// This dispatcher's identity in leases.
    public let owner: String

    /// Creates a dispatcher for the channels given. Deliveries of other channels wait, without
    /// counting attempts; `waiting` says why for some of them (email: no SMTP server is
    /// configured), recorded as their last error so that listings show it.
    public init(
        store: any Store, channels: [Delivery.Channel: any DeliveryChannel], waiting: [Delivery.Channel: String] = [:],
        configuration: Configuration = .init(), logger: Logger = Logger(label: "notifyd.dispatcher"),
        now: @escaping @Sendable () -> Date = Date.init, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.store = store
        self.channels = channels
        self.waiting = waiting.filter { channels[$0.key] == nil }
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.random = random
        self.metrics = DeliveryMetrics(channels: channels.keys)
        self.owner = "dispatcher-" + UUID().uuidString.lowercased()
    }

    /// One round: claims up to `batchSize` due deliveries, each as soon as both limits leave it
    /// room, and attempts them. Returns how many deliveries were attempted.
    @discardableResult
    public func runOnce() async throws -> Int {
        let round = await dispatch(budget: configuration.batchSize)
        if round.unsettled > 0 {
            await releaseLeases()
        }
        if let failure = round.failure {
            throw failure
        }
        return round.attempted
    }

    /// Tells a running dispatcher that deliveries may have been enqueued, so it claims now
    /// instead of at the next poll: call it after an ingest that may have fired rules. Without
    /// it a new delivery waits up to `pollInterval`.
    public func wake() {
        doorbell.ring()
    }

    /// Runs until graceful shutdown or cancellation (see the type's documentation), then gives
    /// back its leases.
    public func run() async {
        let round = await dispatch(budget: nil)
        logger.info("dispatcher stopping", metadata: ["attempted": "\(round.attempted)"])
        await releaseLeases()
    }

    // MARK: The loop

    /// What a child task of the loop reports.
    private enum Event: Sendable {
        /// An attempt ended; `settled` is false when its lease may still be ours (the outcome
        /// was not recorded).
        case finished(host: String, settled: Bool)
        /// The poll interval passed, or graceful shutdown began.
        case tick
        /// `wake()` was called: deliveries may be due.
        case wake
        /// Graceful shutdown has waited a whole lease for the attempts in flight.
        case leaseOver
    }

    /// What the loop did.
    private struct Round {
        var attempted = 0
        var unsettled = 0
        var failure: (any Error)?
    }

    /// Deliveries one claim leased, with their hosts, and the hosts whose due deliveries it
    /// passed over for want of a free slot.
    private struct Claim: Sendable {
        var deliveries: [(delivery: Delivery, host: String)]
        var passedOver: Set<String>
    }

    /// Claims and attempts deliveries within both limits: until `budget` deliveries were
    /// claimed and attempted (`runOnce`), or with no budget until graceful shutdown or
    /// cancellation (`run`). A claim is made at the start, whenever a slot frees that a claim
    /// could use (the last one was cut short by the limit, or passed over that host), and on
    /// every tick.
    private func dispatch(budget: Int?) async -> Round {
        let serving = budget == nil
        var round = Round()
        var slots = DispatchSlots(total: configuration.concurrency, perHost: configuration.concurrencyPerHost)
        var claimNow = true
        // The outbox gauges are refreshed with the first claim of a round, and on every tick.
        var measure = true
        // What the last claim says about the next one: more may be due when it filled its
        // limit, and a host it passed over has more as soon as one of its slots frees.
        var lastClaimFull = false
        var passedOver = Set<String>()
        // At most one tick pending; the lease deadline once graceful shutdown has begun.
        var ticking = false
        var leaseDeadline = false
        await withTaskGroup(of: Event.self) { group in
            while true {
                let remaining = budget.map { $0 - round.attempted } ?? .max
                let shuttingDown = Task.isShuttingDownGracefully
                let stopping = shuttingDown || Task.isCancelled || round.failure != nil || remaining <= 0
                if claimNow && !stopping && slots.free > 0 {
                    claimNow = false
                    if measure {
                        measure = false
                        await measureOutbox()
                        await markWaiting()
                    }
                    let limit = min(slots.free, remaining, configuration.batchSize)
                    do {
                        let claim = try await self.claim(limit: limit, slots: slots)
                        for (delivery, host) in claim.deliveries {
                            slots.take(host)
                            group.addTask { .finished(host: host, settled: await self.attempt(delivery)) }
                        }
                        round.attempted += claim.deliveries.count
                        (lastClaimFull, passedOver) = (claim.deliveries.count == limit, claim.passedOver)
                    } catch {
                        // In service the next tick tries again; a round reports it.
                        if serving {
                            logger.error("claiming deliveries failed", metadata: ["error": "\(error)"])
                        } else {
                            round.failure = error
                        }
                        (lastClaimFull, passedOver) = (false, [])
                    }
                }
                if slots.inFlight == 0 && (stopping || !serving) {
                    break
                }
                if serving && !stopping && !ticking {
                    ticking = true
                    group.addTask { await self.pause() }
                }
                if shuttingDown && !leaseDeadline {
                    leaseDeadline = true
                    group.addTask { [lease = configuration.lease] in
                        try? await Task.sleep(for: lease)
                        return .leaseOver
                    }
                }
                switch await group.next() {
                case .finished(let host, let settled):
                    slots.release(host)
                    round.unsettled += settled ? 0 : 1
                    claimNow = claimNow || lastClaimFull || passedOver.contains(host)
                case .tick:
                    (ticking, claimNow, measure) = (false, true, true)
                case .wake:
                    // Claim, but leave the gauges to the ticks: wakes can come hundreds a second.
                    (ticking, claimNow) = (false, true)
                case .leaseOver:
                    logger.warning(
                        "attempts still in flight a lease after graceful shutdown began; cancelling them",
                        metadata: ["in_flight": "\(slots.inFlight)"])
                    group.cancelAll()
                case nil:
                    return
                }
            }
            // Only a tick or the lease deadline can be left.
            group.cancelAll()
        }
        return round
    }

    /// Waits `pollInterval`, or less when woken, when graceful shutdown begins or when the task
    /// is cancelled.
    private func pause() async -> Event {
        let woken = await cancelWhenGracefulShutdown { [interval = configuration.pollInterval, doorbell] in
            await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try? await Task.sleep(for: interval)
                    return false
                }
                group.addTask {
                    await doorbell.wait()
                    return !Task.isCancelled
                }
                let woken = await group.next() ?? false
                group.cancelAll()
                return woken
            }
        }
        return woken ? .wake : .tick
    }

    /// Leases up to `limit` due deliveries that `slots` leave room for, oldest first.
    private func claim(limit: Int, slots: DispatchSlots) async throws -> Claim {
        let (now, owner, lease, channels) = (self.now(), self.owner, configuration.lease, self.channels)
        return try await store.write { transaction in
            var slots = slots
            var passedOver = Set<String>()
            let claimed = try transaction.claimDueDeliveries(now: now, limit: limit, owner: owner, lease: lease, channels: Set(channels.keys)) {
                channel, target in
                let host = channels[channel]!.destinationHost(target: target)
                guard slots.hasRoom(for: host) else {
                    passedOver.insert(host)
                    return false
                }
                slots.take(host)
                return true
            }
            return Claim(deliveries: claimed.map { ($0, channels[$0.channel]!.destinationHost(target: $0.target)) }, passedOver: passedOver)
        }
    }

    /// Refreshes the outbox gauges from one store query.
    private func measureOutbox() async {
        let now = self.now()
        do {
            let depth = try await store.read { try $0.outboxDepth(now: now) }
            metrics.outbox(pending: depth.pending, oldestDue: depth.oldestDue, now: now)
        } catch {
            logger.warning("measuring the outbox failed", metadata: ["error": "\(error)"])
        }
    }

    /// Records why deliveries of the channels in `waiting` are not attempted.
    private func markWaiting() async {
        for (channel, reason) in waiting.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            do {
                let marked = try await store.write { try $0.markWaiting(channel: channel, reason: reason) }
                if marked > 0 {
                    logger.notice("deliveries wait", metadata: ["channel": "\(channel.rawValue)", "deliveries": "\(marked)", "reason": "\(reason)"])
                }
            } catch {
                logger.warning("recording why deliveries wait failed", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: Attempts

    /// Attempts one delivery and records the outcome. Returns whether the delivery is settled:
    /// `false` when its lease may still be ours (the outcome was not recorded).
    private func attempt(_ delivery: Delivery) async -> Bool {
        let started = now()
        let clock = ContinuousClock()
        let timer = clock.now
        let outcome = await channels[delivery.channel]!.deliver(delivery, store: store)
        let elapsed = (clock.now - timer).components
        let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15

        let result: DeliveryAttempt.Outcome
        let (status, error, next): (Int?, String?, Date?)
        switch outcome {
        case .delivered(let code):
            (result, status, error, next) = (.delivered, code, nil, nil)
        case .retry(let code, let text, let retryAfter):
            if Task.isCancelled {
                // Cut short by our own cancellation, not answered by the receiver: no attempt.
                // The lease is given back when the dispatcher stops, so it is due again at once.
                return false
            }
            let delay = configuration.retry.delay(afterFailedAttempts: delivery.attempts + 1, retryAfter: retryAfter, random: random())
            (result, status, error, next) = (delay == nil ? .dead : .retry, code, text, delay.map { now() + $0 })
        case .failed(let code, let text):
            (result, status, error, next) = (.dead, code, text, nil)
        }
        metrics.attempt(delivery.channel, outcome: result, nanoseconds: Int64(milliseconds * 1e6))
        let attempt = DeliveryAttempt(
            deliveryID: delivery.id, attemptedAt: started, durationMilliseconds: milliseconds, statusCode: status, error: error, outcome: result)
        let owner = self.owner
        if result == .dead {
            logger.error(
                "delivery is dead", metadata: ["delivery": "\(delivery.id)", "channel": "\(delivery.channel.rawValue)", "error": "\(error ?? "")"])
        }
        do {
            let recorded = try await writeEvenIfCancelled {
                try $0.completeDelivery(id: delivery.id, owner: owner, attempt: attempt, nextAttemptAt: next)
            }
            if !recorded {
                logger.warning("delivery outcome not recorded: its lease ran out and was taken over", metadata: ["delivery": "\(delivery.id)"])
            }
            return true
        } catch {
            logger.error("delivery outcome not recorded", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
            return false
        }
    }

    /// Gives back every lease this dispatcher holds, so its deliveries are due again at once.
    private func releaseLeases() async {
        let owner = self.owner
        do {
            let released = try await writeEvenIfCancelled { try $0.releaseLeases(owner: owner) }
            logger.info("leases given back", metadata: ["released_leases": "\(released)"])
        } catch {
            logger.error("giving back leases failed; they run out by themselves", metadata: ["error": "\(error)"])
        }
    }

    /// A store write that must happen even while the dispatcher is being cancelled (recording
    /// an outcome, giving leases back). GRDB abandons the writes of a cancelled task, so this
    /// one runs in a task of its own — awaited at once, so nothing outlives the dispatcher.
    private func writeEvenIfCancelled<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        let store = self.store
        return try await Task { try await store.write(body) }.value
    }
}
