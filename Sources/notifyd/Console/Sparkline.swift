import Templates

/// An issue's event counts as the bars of an inline SVG, made on the server: every value in it
/// is a number the template writes as an attribute, so the picture needs no script and no style.
struct Sparkline {
    /// Bar width and gap, in the SVG's units; the viewBox is as wide as the bars need.
    static let barWidth = 4
    static let gap = 1
    static let height = 28

    /// The bars for `counts` (oldest first), each with a tooltip; `labels` names each bucket.
    /// Empty buckets draw nothing over the baseline, which keeps a page of 25 issues small.
    static func value(_ counts: [Int], labels: [String], summary: String) -> PageValue {
        let peak = max(1, counts.max() ?? 0)
        let bars: [PageValue] = counts.enumerated().compactMap { index, count in
            guard count > 0 else { return nil }
            // A bucket with events shows at least two units, so a single event is visible.
            let height = max(2, Int((Double(count) / Double(peak) * Double(Self.height - 2)).rounded()))
            return [
                "x": .text(String(index * (barWidth + gap))), "y": .text(String(Self.height - height)), "w": .text(String(barWidth)),
                "h": .text(String(height)), "hot": .flag(count > 0 && count == peak && index == counts.count - 1),
                "tip": .text("\(labels.indices.contains(index) ? labels[index] : ""): \(count) event\(count == 1 ? "" : "s")"),
            ]
        }
        return ["width": .text(String(max(1, counts.count * (barWidth + gap) - gap))), "label": .text(summary), "bars": .list(bars)]
    }
}
