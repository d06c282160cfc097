import Foundation

/// The WHERE clause of an `IssueFilter` over `issue_group g`, with its values in placeholder
/// order. Every value from a query is bound; the SQL text itself holds only fixed fragments
/// and as many `?` as there are values.
struct IssueFilterSQL {
    private(set) var sql = ""
    private(set) var values: [any SQLiteValue] = []

    /// - Parameters:
    ///   - isRare: whether few issues carry one of these values of a tag; the store answers it
    ///     from the tag index (see `condition`).
    ///   - isRareText: whether few issues' title or message hold this text; the store answers it
    ///     from its text index, for texts that index can look up.
    init(
        _ filter: IssueFilter, isRare: (_ key: String, _ values: [String]) throws -> Bool = { _, _ in false },
        isRareText: (String) throws -> Bool = { _ in false }
    ) rethrows {
        let (scope, scopeValues) = Self.projectScope(filter)
        append("g.project_id \(scope)", scopeValues)
        var eventConditions: [String] = []
        var eventValues: [any SQLiteValue] = []
        for term in filter.terms {
            var (condition, values) = Self.condition(term)
            if case .tag(let key, let tagValues, negated: false) = term, try isRare(key, tagValues) {
                (condition, values) = Self.rareTagCondition(key, tagValues)
            }
            if case .text(let text, negated: false) = term, let query = Self.textIndexQuery(text), try isRareText(query) {
                // The index narrows to the issues that may match; the exact test stays.
                condition = "g.id IN (SELECT rowid FROM issue_text WHERE issue_text MATCH ?) AND \(condition)"
                values = [query] + values
            }
            if term.readsEvents {
                if term.isNegatedEventTerm {
                    append("g.id NOT IN (\(Self.eventGroups(scope: scope)) AND \(condition))", scopeValues + values)
                } else {
                    eventConditions.append(condition)
                    eventValues += values
                }
            } else {
                append(condition, values)
            }
        }
        // Positive event terms hold for one and the same event (see `IssueSearchTerm`).
        if !eventConditions.isEmpty {
            append("g.id IN (\(Self.eventGroups(scope: scope)) AND \(eventConditions.joined(separator: " AND ")))", scopeValues + eventValues)
        }
    }

    private mutating func append(_ condition: String, _ conditionValues: [any SQLiteValue]) {
        sql += sql.isEmpty ? condition : " AND \(condition)"
        values += conditionValues
    }

    /// `IN (…)` naming the projects searched: the organization's, or those of the listed ones
    /// that are the organization's.
    private static func projectScope(_ filter: IssueFilter) -> (String, [any SQLiteValue]) {
        guard !filter.projectIDs.isEmpty else { return ("IN (SELECT id FROM project WHERE organization_id = ?)", [filter.organizationID]) }
        return (
            "IN (SELECT id FROM project WHERE organization_id = ? AND id IN (\(placeholders(filter.projectIDs.count))))",
            [filter.organizationID] + filter.projectIDs.map { $0 as any SQLiteValue }
        )
    }

    /// The issues of the searched projects' events, to be narrowed by event conditions on `e`.
    /// Issue-less occurrences are left out: one NULL would make `NOT IN` match nothing.
    private static func eventGroups(scope: String) -> String {
        """
        SELECT o.group_id FROM event e JOIN occurrence o ON o.event_id = e.event_id AND o.project_id = e.project_id \
        WHERE e.project_id \(scope) AND o.group_id IS NOT NULL
        """
    }

    /// A term's condition: on the issue `g`, or, for an event term, on an event `e` whatever
    /// the term's negation (the caller chooses between IN and NOT IN).
    private static func condition(_ term: IssueSearchTerm) -> (String, [any SQLiteValue]) {
        switch term {
        case .text(let text, let negated):
            // SQLite's lower() folds ASCII only; GRDB registers Swift's lowercased() on every
            // connection as swiftLowercaseString, which folds the needle the same way.
            let folded = text.lowercased()
            let match = "(instr(swiftLowercaseString(g.title), ?) > 0 OR instr(swiftLowercaseString(g.message), ?) > 0)"
            return (negated ? "NOT \(match)" : match, [folded, folded])
        case .status(let statuses, let negated):
            return membership("g.status", statuses.map(\.rawValue).sorted(), negated: negated)
        case .substatus(let substatuses, let negated):
            return membership("g.substatus", substatuses.map(\.rawValue).sorted(), negated: negated, nullable: true)
        case .assigned(let assigned):
            return (assigned ? "g.assignee IS NOT NULL" : "g.assignee IS NULL", [])
        case .linked(let linked):
            // notifyd has no issue-tracker links.
            return (linked ? "0" : "1", [])
        case .priority(let priorities, let negated):
            return membership("g.priority", priorities.map(\.rawValue).sorted(), negated: negated)
        case .types(let types, let negated):
            return membership("g.type", types.sorted(), negated: negated)
        case .level(let levels, let negated):
            return membership("g.level", levels.map(\.rawValue).sorted(), negated: negated)
        case .environment(let names, let negated):
            let (match, values) = textMatch("en.name", names)
            let seen = """
                EXISTS (SELECT 1 FROM group_environment ge JOIN environment en ON en.id = ge.environment_id \
                WHERE ge.group_id = g.id AND \(match))
                """
            return (negated ? "NOT \(seen)" : seen, values)
        case .hasEnvironment(let negated):
            let seen = "EXISTS (SELECT 1 FROM group_environment ge WHERE ge.group_id = g.id)"
            return (negated ? "NOT \(seen)" : seen, [])
        case .firstRelease(let versions, let negated):
            let (match, values) = textMatch("r.version", versions)
            let releases = "(SELECT r.id FROM release r WHERE \(match))"
            return (negated ? "(g.first_release_id IS NULL OR g.first_release_id NOT IN \(releases))" : "g.first_release_id IN \(releases)", values)
        case .date(let field, let comparison, let date):
            // `+` keeps SQLite from reading the first-seen index for the range every search
            // has (first seen before its end): walking the last-seen index in the stream's order
            // stops after one page, where a range scan on first seen read and sorted every issue.
            let column = field == .firstSeen ? "+g.first_seen" : "g.\(field.rawValue)"
            return ("\(column) \(comparison.rawValue) ?", [date.timeIntervalSince1970])
        case .timesSeen(let comparison, let count):
            return ("g.times_seen \(comparison.rawValue) ?", [count])
        case .release(let versions, _):
            return textMatch("e.release", versions)
        case .hasRelease:
            return ("e.release IS NOT NULL", [])
        case .tag(let key, let tagValues, let negated):
            // The per-issue tag index, by key and value: no event is read. Probed per issue, so
            // a page of a common value stops after one page (see `rareTagCondition`).
            let (match, values) = textMatch("t.value", tagValues)
            let probe = "EXISTS (SELECT 1 FROM group_tag_value t WHERE t.key = ? AND \(match) AND t.group_id = g.id)"
            return (negated ? "NOT \(probe)" : probe, [key] + values)
        case .hasTag(let key, let negated):
            let probe = "EXISTS (SELECT 1 FROM group_tag_value t WHERE t.key = ? AND t.group_id = g.id)"
            return (negated ? "NOT \(probe)" : probe, [key])
        }
    }

    /// The text index's query for a free text: the text as one quoted phrase, which the trigram
    /// index matches anywhere in a title or message, ignoring ASCII case. `nil` where the index
    /// cannot answer for the search: texts under three characters (no trigram) and texts with
    /// other than ASCII characters (whose case the index folds differently from the search).
    static func textIndexQuery(_ text: String) -> String? {
        guard text.unicodeScalars.count >= 3, text.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A tag filter few issues match: the list of those issues, read once from the tag index,
    /// instead of a probe for every issue the search walks past.
    private static func rareTagCondition(_ key: String, _ tagValues: [String]) -> (String, [any SQLiteValue]) {
        let (match, values) = textMatch("t.value", tagValues)
        return ("g.id IN (SELECT t.group_id FROM group_tag_value t WHERE t.key = ? AND \(match))", [key] + values)
    }

    /// `column IN (…)`, or `NOT IN`; a nullable column's NULL counts as "not in".
    private static func membership(
        _ column: String, _ members: [some SQLiteValue], negated: Bool, nullable: Bool = false
    ) -> (String, [any SQLiteValue]) {
        let values = members.map { $0 as any SQLiteValue }
        guard !members.isEmpty else { return (negated ? "1" : "0", []) }
        let list = "(\(placeholders(members.count)))"
        guard negated else { return ("\(column) IN \(list)", values) }
        return (nullable ? "(\(column) IS NULL OR \(column) NOT IN \(list))" : "\(column) NOT IN \(list)", values)
    }

    /// The column equals one of the texts; a text with `*` is a wildcard pattern (GLOB, which
    /// is case-sensitive like an exact match; its own `?` and `[` are escaped).
    private static func textMatch(_ column: String, _ texts: [String]) -> (String, [any SQLiteValue]) {
        let exact = texts.filter { !$0.contains("*") }
        let patterns = texts.filter { $0.contains("*") }.map { pattern in
            pattern.replacingOccurrences(of: "[", with: "[[]").replacingOccurrences(of: "?", with: "[?]")
        }
        var alternatives: [String] = []
        if !exact.isEmpty { alternatives.append("\(column) IN (\(placeholders(exact.count)))") }
        alternatives += patterns.map { _ in "\(column) GLOB ?" }
        guard !alternatives.isEmpty else { return ("0", []) }
        return ("(\(alternatives.joined(separator: " OR ")))", (exact + patterns).map { $0 as any SQLiteValue })
    }

    /// `?, ?, ?` for `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
