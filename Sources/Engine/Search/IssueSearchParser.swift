public import Foundation

/// Reads Sentry's issue search syntax (`is:unresolved issue.priority:[high, medium] timeout`)
/// into `IssueSearchTerm`s, which all must hold.
///
/// - Free text: `word`, `"a phrase"` or `message:…` is found in the title or message, ignoring
///   case; each bare word separately. `OR`/`AND` in any case are operators: quote them to search
///   for them.
/// - `is:unresolved`, `resolved`, `ignored`, `archived`, `muted` (both `ignored`), `reprocessing`:
///   the status. `status:` takes the same names, and lists.
/// - `is:new`, `ongoing`, `escalating`, `regressed`, `archived_until_escalating`,
///   `archived_until_condition_met`, `archived_forever`: the substatus, plus its status when the
///   query names no status. `substatus:` takes the same names, and lists.
/// - `is:assigned` / `is:unassigned`: whether the issue has an assignee (set at creation from the
///   occurrence's `assignee`). `is:linked` / `is:unlinked`: notifyd has no issue-tracker links,
///   so `linked` matches no issue and `unlinked` every one.
/// - `issue.priority:high`, `issue.category:feedback` (every type of the category in the
///   registry), `issue.type:<type slug>`, `level:error` (the issue's level, that of its latest
///   occurrence).
/// - `environment:prod`, `has:environment`: the environments the issue was seen in.
/// - `release:1.0`, `has:release`: releases of the issue's events; `firstRelease:1.0`
///   (`first_release`): the release the issue was first seen in.
/// - `firstSeen:` (`first_seen`, `age`), `lastSeen:` (`last_seen`): `>`, `>=`, `<`, `<=`, `=` and
///   an ISO date or date-time (UTC unless it has an offset); `-24h` = within the last 24 hours,
///   `+7d` = longer ago than 7 days (units s m h d w); a bare date = that day; a bare date-time =
///   five minutes either side.
/// - `timesSeen:` (`times_seen`): `>`, `>=`, `<`, `<=`, `=` or a bare number, with an optional
///   k/m/b suffix (`1.5k`).
/// - Any other `key:value` (or `tags[key]:value`), and `has:key`: a tag of the issue's events.
///
/// `!key:value` negates, `key:[a, b]` matches any of the values, `*` in release, environment and
/// tag values is a wildcard. Refused, with a message: `OR`/`AND` and grouping parentheses (as in
/// Sentry's issue search), aggregate filters (`count():>10`), keys about users and teams, which
/// notifyd does not have (`assigned:`, `assigned_or_suggested:`, `bookmarks:`, `subscribed:`),
/// `regressed_in_release:` (not recorded), event-time keys (`timestamp:`, `event.timestamp:`,
/// `date:`; issues are filtered by `firstSeen`/`lastSeen` and the request's date range),
/// `is:for_review` (notifyd has no review inbox), and negated dates and numbers (write the
/// opposite comparison).
public struct IssueSearchParser: Sendable {
    /// The issue types `issue.category` and `issue.type` resolve against.
    public var registry: GroupTypeRegistry
    /// The time relative dates (`-24h`) count back from.
    public var now: Date

    /// Creates a parser.
    public init(registry: GroupTypeRegistry = .standard, now: Date) {
        self.registry = registry
        self.now = now
    }

    /// The terms of a query; an empty query has none (matches every issue).
    ///
    /// - Throws: `IssueSearchError` with code `.invalidQuery` and Sentry's message where Sentry
    ///   has one (`Invalid priority value of 'urgent'`).
    public func parse(_ query: String) throws(IssueSearchError) -> [IssueSearchTerm] {
        var tokenizer = SearchTokenizer(query)
        var terms: [IssueSearchTerm] = []
        for (token, offset) in try tokenizer.tokens() {
            switch token {
            case .text(let text):
                terms.append(.text(text))
            case .filter(let key, let value, let negated, let raw):
                do {
                    terms += try filterTerms(key: key, value: value, negated: negated, raw: raw)
                } catch {
                    throw error.at(offset)
                }
            }
        }
        return Self.addingImpliedStatus(terms)
    }

    /// Sentry adds the status of a substatus filter when the query names no status, so that
    /// `is:new` finds only unresolved issues. Unlike Sentry, a negated substatus adds nothing:
    /// Sentry's `!is:escalating` becomes "not unresolved", hiding every unresolved issue.
    private static func addingImpliedStatus(_ terms: [IssueSearchTerm]) -> [IssueSearchTerm] {
        var substatuses: Set<GroupSubstatus>?
        for term in terms {
            switch term {
            case .status: return terms
            case .substatus(let values, negated: false) where substatuses == nil: substatuses = values
            default: break
            }
        }
        guard let substatuses else { return terms }
        return terms + [.status(Set(substatuses.map(\.status)))]
    }

    private func filterTerms(
        key: String, value: SearchTokenizer.Value, negated: Bool, raw: String
    ) throws(IssueSearchError) -> [IssueSearchTerm] {
        switch key {
        case "is":
            return [try isTerm(value, negated: negated)]
        case "has":
            return [try hasTerm(value, negated: negated)]
        case "status":
            return [.status(Set(try Self.values(value).map(Self.status)), negated: negated)]
        case "substatus":
            return [.substatus(Set(try Self.values(value).map(Self.substatus)), negated: negated)]
        case "issue.priority":
            return [.priority(Set(try Self.values(value).map(Self.priority)), negated: negated)]
        case "issue.category":
            return [.types(try typeIDs(categories: Self.values(value)), negated: negated)]
        case "issue.type":
            return [.types(try typeIDs(slugs: Self.values(value)), negated: negated)]
        case "level":
            return [.level(Set(try Self.values(value).map(Self.level)), negated: negated)]
        case "environment":
            return [.environment(Self.values(value), negated: negated)]
        case "release":
            return [.release(Self.values(value), negated: negated)]
        case "firstRelease", "first_release":
            return [.firstRelease(Self.values(value), negated: negated)]
        case "message":
            return [.text(try Self.single(value, key: key), negated: negated)]
        default:
            if let field = Self.dateKeys[key] {
                return try dateTerms(field, value: value, negated: negated, raw: raw)
            }
            if Self.timesSeenKeys.contains(key) {
                return [try timesSeenTerm(value, negated: negated, raw: raw)]
            }
            if let reason = Self.unsupportedKeys[key] {
                throw IssueSearchError.query("Unsupported search key \"\(key)\": \(reason).")
            }
            if key.contains("(") {
                throw IssueSearchError.query("Aggregate filters (\(key)) are not supported in issue searches.")
            }
            return [.tag(Self.tagName(key), Self.values(value), negated: negated)]
        }
    }

    // MARK: is and has

    /// What each `is:` value means, negated or not; `for_review` has its own refusal.
    private static let isValues: [String: @Sendable (_ negated: Bool) -> IssueSearchTerm] = {
        var values: [String: @Sendable (Bool) -> IssueSearchTerm] = [
            "assigned": { .assigned(!$0) }, "unassigned": { .assigned($0) }, "linked": { .linked(!$0) }, "unlinked": { .linked($0) },
        ]
        for (name, status) in statusNames { values[name] = { .status([status], negated: $0) } }
        for substatus in GroupSubstatus.allCases { values[substatus.name] = { .substatus([substatus], negated: $0) } }
        return values
    }()

    private func isTerm(_ value: SearchTokenizer.Value, negated: Bool) throws(IssueSearchError) -> IssueSearchTerm {
        guard case .single(let name) = value else { throw IssueSearchError.query("\"in\" syntax invalid for \"is\" search") }
        if name.lowercased() == "for_review" {
            throw IssueSearchError.query("\"is:for_review\" is not supported: notifyd has no review inbox.")
        }
        guard let term = Self.isValues[name.lowercased()] else {
            let valid = Self.isValues.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw IssueSearchError.query("Invalid value for \"is\" search, valid values are [\(valid)]")
        }
        return term(negated)
    }

    private func hasTerm(_ value: SearchTokenizer.Value, negated: Bool) throws(IssueSearchError) -> IssueSearchTerm {
        guard case .single(let key) = value else { throw IssueSearchError.query("\"in\" syntax invalid for \"has\" search") }
        switch key {
        case "environment": return .hasEnvironment(negated: negated)
        case "release": return .hasRelease(negated: negated)
        default:
            if Self.fieldKeys.contains(key) || Self.dateKeys[key] != nil || Self.timesSeenKeys.contains(key)
                || Self.unsupportedKeys[key] != nil || key.contains("(")
            {
                throw IssueSearchError.query(
                    "Invalid \"has\" search: \"\(key)\" is not a tag; \"has\" takes a tag, \"release\" or \"environment\".")
            }
            return .hasTag(Self.tagName(key), negated: negated)
        }
    }

    // MARK: Keys

    /// Sentry's `STATUS_QUERY_CHOICES`.
    private static let statusNames: [String: GroupStatus] = [
        "resolved": .resolved, "unresolved": .unresolved, "ignored": .ignored, "archived": .ignored, "muted": .ignored,
        "reprocessing": .reprocessing,
    ]

    /// The keys `filterTerms` reads as issue fields rather than tags, apart from dates, counts
    /// and the unsupported ones (`has:level` is refused, not a tag named "level").
    private static let fieldKeys: Set<String> = [
        "is", "has", "status", "substatus", "issue.priority", "issue.category", "issue.type", "level", "environment", "release",
        "firstRelease", "first_release", "message",
    ]

    private static let dateKeys: [String: IssueSearchTerm.DateField] = [
        "firstSeen": .firstSeen, "first_seen": .firstSeen, "age": .firstSeen, "lastSeen": .lastSeen, "last_seen": .lastSeen,
    ]

    private static let timesSeenKeys: Set<String> = ["timesSeen", "times_seen"]

    /// Sentry keys notifyd cannot search by, with why; any other unknown key is a tag.
    private static let unsupportedKeys: [String: String] = {
        let noUsers = "notifyd has no users or teams"
        let eventTime = "filter issues by firstSeen, lastSeen or the date range"
        return [
            "assigned": "\(noUsers) (is:assigned and is:unassigned work)", "assigned_or_suggested": noUsers,
            "bookmarks": noUsers, "bookmarked_by": noUsers, "subscribed": noUsers, "subscribed_by": noUsers,
            "regressed_in_release": "notifyd does not record the release an issue regressed in",
            "timestamp": eventTime, "event.timestamp": eventTime, "date": eventTime,
        ]
    }()

    /// `tags[browser]` names the tag `browser`.
    private static func tagName(_ key: String) -> String {
        guard key.hasPrefix("tags["), key.hasSuffix("]"), key.count > 6 else { return key }
        return String(key.dropFirst(5).dropLast())
    }

    private static func values(_ value: SearchTokenizer.Value) -> [String] {
        switch value {
        case .single(let text): return [text]
        case .list(let items): return items
        }
    }

    static func single(_ value: SearchTokenizer.Value, key: String) throws(IssueSearchError) -> String {
        guard case .single(let text) = value else { throw IssueSearchError.query("\"in\" syntax invalid for \"\(key)\" search") }
        return text
    }

    private static func status(_ name: String) throws(IssueSearchError) -> GroupStatus {
        guard let status = statusNames[name.lowercased()] else { throw IssueSearchError.query("invalid status value of '\(name)'") }
        return status
    }

    private static func substatus(_ name: String) throws(IssueSearchError) -> GroupSubstatus {
        guard let substatus = GroupSubstatus.allCases.first(where: { $0.name == name.lowercased() }) else {
            throw IssueSearchError.query("invalid substatus value of '\(name)'")
        }
        return substatus
    }

    private static func priority(_ name: String) throws(IssueSearchError) -> PriorityLevel {
        guard let priority = PriorityLevel(name: name) else { throw IssueSearchError.query("Invalid priority value of '\(name)'") }
        return priority
    }

    private static func level(_ name: String) throws(IssueSearchError) -> Level {
        guard let level = Level(name: name) else { throw IssueSearchError.query("Invalid level value of '\(name)'") }
        return level
    }

    private func typeIDs(categories names: [String]) throws(IssueSearchError) -> Set<Int> {
        var ids: Set<Int> = []
        for name in names {
            guard let category = GroupCategory(name: name) else { throw IssueSearchError.query("Invalid category value of '\(name)'") }
            ids.formUnion(registry.typeIDs(in: category))
        }
        return ids
    }

    private func typeIDs(slugs: [String]) throws(IssueSearchError) -> Set<Int> {
        var ids: Set<Int> = []
        for slug in slugs {
            guard let type = registry.type(slug: slug) else { throw IssueSearchError.query("Invalid type value of '\(slug)'") }
            ids.insert(type.id)
        }
        return ids
    }
}
