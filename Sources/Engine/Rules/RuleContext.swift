import Foundation

/// The facts one signal is judged on: the issue, its event, the signal's flags, and the
/// store for the counting triggers. Counts are memoized, as many rules ask the same ones.
final class RuleContext {
    let group: Group
    let event: Event?
    let project: Project
    let type: GroupType?
    let isNew: Bool
    let isRegression: Bool
    let isNewGroupEnvironment: Bool
    let isEscalation: Bool
    /// An occurrence signal (with its own event), as opposed to a status change.
    let isOccurrence: Bool
    let now: Date
    private let transaction: any StoreReader
    private var counts: [String: Int] = [:]
    private var lowercasedTags: [String: [String]] = [:]
    private var lowercasedAttributes: [String: [String]] = [:]

    init(signal: IssueSignal, registry: GroupTypeRegistry, now: Date, transaction: any StoreReader) throws {
        self.now = now
        self.transaction = transaction
        switch signal {
        case .occurrence(let occurrence):
            group = occurrence.groupInfo.group
            event = occurrence.event
            project = occurrence.project
            isNew = occurrence.groupInfo.isNew
            isRegression = occurrence.groupInfo.isRegression
            isNewGroupEnvironment = occurrence.groupInfo.isNewGroupEnvironment
            isEscalation = false
            isOccurrence = true
        case .statusChange(let change):
            group = change.group
            // A status change has no event of its own; filters look at the issue's latest one.
            event = try transaction.latestEvent(groupID: change.group.id)
            project = change.project
            isNew = false
            isRegression = false
            isNewGroupEnvironment = false
            isEscalation = change.isEscalation
            isOccurrence = false
        }
        type = registry.type(id: group.type)
    }

    /// When each rule last fired for this issue (one query for all rules).
    func lastFired() throws -> [String: Date] {
        try transaction.rulesLastFired(groupID: group.id)
    }

    func occurrences(within interval: Duration, environment: String?) throws -> Int {
        try count("o", interval, environment) {
            try transaction.countOccurrences(groupID: group.id, since: now - interval, environment: environment)
        }
    }

    func uniqueUsers(within interval: Duration, environment: String?) throws -> Int {
        try count("u", interval, environment) {
            try transaction.countUniqueUsers(groupID: group.id, since: now - interval, environment: environment)
        }
    }

    private func count(_ kind: String, _ interval: Duration, _ environment: String?, _ query: () throws -> Int) throws -> Int {
        let key = "\(kind)|\(interval.components.seconds)|\(environment ?? "")"
        if let cached = counts[key] { return cached }
        let value = try query()
        counts[key] = value
        return value
    }

    // MARK: Event values

    /// The lower-cased values of a tag (memoized for the signal).
    func tagValues(_ key: String) -> [String] {
        if let cached = lowercasedTags[key] { return cached }
        let values = rawTagValues(key).map { $0.lowercased() }
        lowercasedTags[key] = values
        return values
    }

    /// The lower-cased values of an attribute (memoized for the signal).
    func attributeValues(_ name: String) -> [String] {
        if let cached = lowercasedAttributes[name] { return cached }
        let values = rawAttributeValues(name).map { $0.lowercased() }
        lowercasedAttributes[name] = values
        return values
    }

    /// The values of a tag, case-insensitive on the key; `level`, `environment` and `release`
    /// are tags of every event, and `sentry:release`-style keys match their short form.
    private func rawTagValues(_ key: String) -> [String] {
        var values: [String] = []
        if let event {
            for tag in event.tags {
                let name = tag.key.lowercased()
                if name == key || (name.hasPrefix("sentry:") && String(name.dropFirst(7)) == key) { values.append(tag.value) }
            }
            if values.isEmpty {
                switch key {
                case "level": values = [event.level.rawValue]
                case "environment": values = event.environment.map { [$0] } ?? []
                case "release": values = event.release.map { [$0] } ?? []
                default: break
                }
            }
        }
        return values
    }

    /// The values of an event attribute (see the rule format for the names).
    private func rawAttributeValues(_ name: String) -> [String] {
        if name.hasPrefix("tags.") { return rawTagValues(String(name.dropFirst(5)).lowercased()) }
        switch name {
        case "message": return [event?.message, group.message].compactMap { $0 }
        case "platform": return event.map { [$0.platform] } ?? [group.platform]
        case "environment": return event?.environment.map { [$0] } ?? []
        case "type": return [event?.data["type"]?.stringValue ?? (type?.category == .error ? "error" : "default")]
        case "level": return [(event?.level ?? group.level).rawValue]
        case "culprit": return [group.culprit]
        case "title": return [group.title]
        case "release": return event?.release.map { [$0] } ?? []
        default:
            guard name.hasPrefix("user."), let user = event?.user, let value = user[String(name.dropFirst(5))], value.isTruthy else { return [] }
            return [value.stringValue ?? value.serializedString()]
        }
    }
}
