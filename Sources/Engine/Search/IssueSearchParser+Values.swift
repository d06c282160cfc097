import Foundation

extension IssueSearchParser {
    /// `firstSeen:>2024-06-01`, `firstSeen:-24h`, `firstSeen:2024-06-01` (that day) or
    /// `firstSeen:2024-06-01T12:00:00` (Sentry's few minutes either side: −5 min to +6 min).
    func dateTerms(
        _ field: IssueSearchTerm.DateField, value: SearchTokenizer.Value, negated: Bool, raw: String
    ) throws(IssueSearchError) -> [IssueSearchTerm] {
        guard !negated else { throw Self.negation(field.rawValue) }
        let text = try Self.single(value, key: field.rawValue)
        let example = Timestamp.format(now).prefix(19)
        let invalid = IssueSearchError.query(
            "\(field.rawValue): Invalid date: \(raw). Expected +/-duration (e.g. +1h) or ISO 8601-like (e.g. \(example)).")
        let (comparison, operand) = Self.splitComparison(text)
        if let comparison {
            guard let date = Timestamp.parse(operand) else { throw invalid }
            return [.date(field, comparison, date)]
        }
        if let sign = operand.first, sign == "-" || sign == "+" {
            guard let seconds = Self.relativeSeconds(operand.dropFirst()) else { throw invalid }
            let date = now.addingTimeInterval(-seconds)
            // -24h: since 24 hours ago; +7d: before 7 days ago.
            return [.date(field, sign == "-" ? .greaterOrEqual : .lessOrEqual, date)]
        }
        guard let date = Timestamp.parse(operand) else { throw invalid }
        let dateOnly = operand.count == 10
        let from = dateOnly ? date : date.addingTimeInterval(-5 * 60)
        let to = dateOnly ? date.addingTimeInterval(86_400) : date.addingTimeInterval(6 * 60)
        return [.date(field, .greaterOrEqual, from), .date(field, .less, to)]
    }

    /// `timesSeen:>100`, `timesSeen:10`, `timesSeen:>=1.5k`.
    func timesSeenTerm(_ value: SearchTokenizer.Value, negated: Bool, raw: String) throws(IssueSearchError) -> IssueSearchTerm {
        guard !negated else { throw Self.negation("times_seen") }
        let text = try Self.single(value, key: "times_seen")
        let (comparison, operand) = Self.splitComparison(text)
        guard let number = Self.number(operand) else {
            throw IssueSearchError.query(
                "times_seen: Invalid number: \(raw). Expected number then optional k, m, or b suffix (e.g. 500k).")
        }
        return .timesSeen(comparison ?? .equal, number)
    }

    private static func negation(_ key: String) -> IssueSearchError {
        IssueSearchError.query("Negation is not supported for \"\(key)\": use the opposite comparison instead.")
    }

    /// The leading comparison operator, if any, and the rest.
    private static func splitComparison(_ text: String) -> (IssueSearchTerm.Comparison?, String) {
        // Longest first, so that `>=` is not read as `>` followed by `=…`.
        for comparison in [IssueSearchTerm.Comparison.greaterOrEqual, .lessOrEqual, .greater, .less, .equal]
        where text.hasPrefix(comparison.rawValue) {
            return (comparison, String(text.dropFirst(comparison.rawValue.count)))
        }
        return (nil, text)
    }

    /// `24h` → 86,400 seconds; units s, m, h, d, w.
    private static func relativeSeconds(_ text: Substring) -> TimeInterval? {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let digits = text.dropLast()
        guard let unit = text.last.flatMap({ units[$0] }), !digits.isEmpty, digits.count <= 9,
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits)
        else { return nil }
        return TimeInterval(count) * unit
    }

    /// `500`, `1.5k`, `2m`, `1b`.
    private static func number(_ text: String) -> Double? {
        let multipliers: [Character: Double] = ["k": 1e3, "m": 1e6, "b": 1e9]
        var digits = Substring(text)
        var multiplier = 1.0
        if let last = digits.last?.lowercased().first, let factor = multipliers[last] {
            multiplier = factor
            digits = digits.dropLast()
        }
        // Only plain decimal notation: Double("inf") and Double("1e3") parse too.
        let body = digits.hasPrefix("-") ? digits.dropFirst() : digits
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(digits) else {
            return nil
        }
        return value * multiplier
    }
}
