import Foundation
import Synchronization

/// A clock tests move by hand, to cross noise-gate, quota and deduplication windows.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// The closure `Engine.Configuration.now` takes.
    var function: @Sendable () -> Date { { self.now } }
}
