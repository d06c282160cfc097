extension Engine {
    // MARK: Tag distribution

    /// The tag distribution of an issue's latest `sampleSize` events (Sentry's tag summary on
    /// the issue page): for each tag, how many of those events carry it and its `topValues` most
    /// common values, tags sorted by key.
    ///
    /// The sample keeps the page's cost bounded however many events an issue has; the shares it
    /// shows are those of the recent events, which is what a reader deciding about an alert
    /// wants to see.
    public func tagSummaries(groupID: Int64, sampleSize: Int = 1000, topValues: Int = 4) async throws -> [TagSummary] {
        let events = try await store.read { try $0.recentEventTags(groupID: groupID, limit: sampleSize) }
        var counts: [String: [String: Int]] = [:]
        for tags in events {
            // An event with a tag twice counts once for it.
            var seen = Set<String>()
            for tag in tags where seen.insert(tag.key + "\u{0}" + tag.value).inserted {
                counts[tag.key, default: [:]][tag.value, default: 0] += 1
            }
        }
        return counts.keys.sorted().map { key in
            let values = counts[key] ?? [:]
            let top = values.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(topValues)
            return TagSummary(
                key: key, total: values.values.reduce(0, +), topValues: top.map { TagSummary.Value(value: $0.key, count: $0.value) },
                distinctValues: values.count)
        }
    }
}
