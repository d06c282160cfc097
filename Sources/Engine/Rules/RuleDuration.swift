/// Durations in rule files: `30s`, `5m`, `1h`, `1d`, `1w` (a whole number and a unit).
public enum RuleDuration {
    /// The intervals frequency and unique-user triggers accept (Sentry's standard intervals).
    static let triggerIntervals = ["1m", "5m", "15m", "1h", "1d", "1w", "30d"]

    /// The seconds in `text`, or `nil` if it is not `<number><s|m|h|d|w>`.
    static func parse(_ text: String) -> Duration? {
        guard let unit = text.last, let number = Int64(text.dropLast()), number > 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86_400
        case "w": seconds = 604_800
        default: return nil
        }
        let (total, overflow) = number.multipliedReportingOverflow(by: seconds)
        return overflow ? nil : .seconds(total)
    }

    /// `30m`, `1h`… for explanations (the largest unit that divides evenly).
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        for (unit, size) in [("w", Int64(604_800)), ("d", 86_400), ("h", 3600), ("m", 60)] where seconds % size == 0 && seconds >= size {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
