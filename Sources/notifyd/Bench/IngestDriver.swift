import Engine
import Foundation

/// Feeds generated occurrences through an engine's consumer with a few batches in flight, as
/// concurrent producers would, and times it.
struct IngestDriver {
    let engine: Engine
    let generator: OccurrenceGenerator
    let batch: Int
    let inFlight: Int

    /// Ingests `events` occurrences; returns how many were grouped and the seconds it took.
    func run(events: Int) async -> (grouped: Int, seconds: Double) {
        let clock = ContinuousClock()
        let started = clock.now
        // Messages are generated per batch, so memory stays bounded to the batches in flight.
        let grouped = await withTaskGroup(of: Int.self) { group in
            var next = 0
            func submit() {
                guard next < events else { return }
                let range = next..<min(next + batch, events)
                next = range.upperBound
                group.addTask {
                    let results = await engine.ingest(batch: range.map(generator.message))
                    return results.filter { $0.groupInfo != nil }.count
                }
            }
            for _ in 0..<inFlight { submit() }
            var total = 0
            for await count in group {
                total += count
                submit()
            }
            return total
        }
        let elapsed = clock.now - started
        return (grouped, elapsed.inSeconds)
    }
}
