import Foundation

extension Date {
    /// The date `duration` later (`Duration` has no `Date` arithmetic in Foundation).
    static func + (date: Date, duration: Duration) -> Date {
        let parts = duration.components
        return date.addingTimeInterval(Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
    }

    /// The date `duration` earlier.
    static func - (date: Date, duration: Duration) -> Date {
        date + (.zero - duration)
    }
}
