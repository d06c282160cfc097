import Engine
import Foundation
import Templates

/// A time as the console shows it: relative ("3 hours ago"), with the exact time in the
/// configured zone on hover and the ISO form for `<time datetime>`.
struct DisplayTime {
    var now: Date
    var builder: MailContextBuilder

    func value(_ date: Date) -> PageValue {
        ["relative": .text(relative(date)), "exact": .text(builder.format(date)), "iso": .text(Timestamp.format(date))]
    }

    func value(_ date: Date?) -> PageValue {
        date.map { value($0) } ?? false
    }

    /// "just now", "5 minutes ago", "in 3 hours", "2 days ago", "4 months ago".
    func relative(_ date: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        let magnitude = abs(seconds)
        guard magnitude >= 45 else { return "just now" }
        let units: [(TimeInterval, String)] = [
            (365 * 86_400, "year"), (30 * 86_400, "month"), (7 * 86_400, "week"), (86_400, "day"), (3600, "hour"), (60, "minute"),
        ]
        let (size, name) = units.first { magnitude >= $0.0 } ?? (60, "minute")
        let count = max(1, Int((magnitude / size).rounded(.down)))
        let text = "\(count) \(name)\(count == 1 ? "" : "s")"
        return seconds >= 0 ? "\(text) ago" : "in \(text)"
    }
}
