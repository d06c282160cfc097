import Foundation
import Synchronization

/// A token bucket per key: `rate` requests a second sustained, `burst` at once. Over the limit,
/// `acquire` says how long until a request would be allowed (the `Retry-After` answer).
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let rate: Double
    private let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(1, burst)
    }

    /// Takes one request's token for `key`; `nil` when allowed, else the seconds to wait.
    func acquire(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = elapsed.inSeconds
            bucket.tokens = min(burst, bucket.tokens + seconds * rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
    }

    /// Whether `key` has no request left now, without using one (the console's sign-in counts
    /// only failures, but refuses every attempt while they are over the limit).
    func isLimited(_ key: String, now: ContinuousClock.Instant = .now) -> Bool {
        buckets.withLock { buckets in
            guard let bucket = buckets[key] else { return false }
            return min(burst, bucket.tokens + (now - bucket.updated).inSeconds * rate) < 1
        }
    }
}
