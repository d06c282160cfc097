import Testing
@testable import notifyd

/// The token bucket behind 429 answers, driven with explicit instants.
struct RateLimiterTests {
    private let start = ContinuousClock.now

    @Test func aBurstIsAllowedThenTheWaitIsGiven() {
        let limiter = RateLimiter(rate: 1, burst: 3)
        for _ in 0..<3 { #expect(limiter.acquire("key", now: start) == nil) }
        #expect(limiter.acquire("key", now: start) == 1)
        // Refused requests take nothing.
        #expect(limiter.acquire("key", now: start) == 1)
    }

    @Test func tokensComeBackAtTheRate() {
        let limiter = RateLimiter(rate: 2, burst: 2)
        #expect(limiter.acquire("key", now: start) == nil)
        #expect(limiter.acquire("key", now: start) == nil)
        #expect(limiter.acquire("key", now: start) != nil)
        #expect(limiter.acquire("key", now: start + .milliseconds(500)) == nil)
        #expect(limiter.acquire("key", now: start + .milliseconds(500)) != nil)
        // A long pause refills up to the burst, not beyond.
        let later = start + .seconds(60)
        #expect(limiter.acquire("key", now: later) == nil)
        #expect(limiter.acquire("key", now: later) == nil)
        #expect(limiter.acquire("key", now: later) != nil)
    }

    @Test func theWaitIsRoundedUpToWholeSeconds() {
        let limiter = RateLimiter(rate: 0.1, burst: 1)
        #expect(limiter.acquire("key", now: start) == nil)
        #expect(limiter.acquire("key", now: start) == 10)
        #expect(limiter.acquire("key", now: start + .milliseconds(2500)) == 8)
        #expect(limiter.acquire("key", now: start + .seconds(10)) == nil)
    }

    @Test func eachKeyHasItsOwnBucket() {
        let limiter = RateLimiter(rate: 1, burst: 1)
        #expect(limiter.acquire("a", now: start) == nil)
        #expect(limiter.acquire("a", now: start) != nil)
        #expect(limiter.acquire("b", now: start) == nil)
    }

    @Test func aBurstBelowOneStillAllowsOneRequest() {
        let limiter = RateLimiter(rate: 1, burst: 0)
        #expect(limiter.acquire("key", now: start) == nil)
        #expect(limiter.acquire("key", now: start) == 1)
    }
}
