/// A bench's measurements (milliseconds), sorted once, with nearest-rank percentiles.
struct Samples {
    let sorted: [Double]

    init(_ values: [Double]) {
        sorted = values.sorted()
    }

    /// The `p` (0…1) percentile, nearest rank, rounded to hundredths; 0 without samples.
    func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))
        return (sorted[rank] * 100).rounded() / 100
    }
}
