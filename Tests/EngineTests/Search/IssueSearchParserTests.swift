import Engine
import Foundation
import Testing

/// Sentry's issue search syntax → terms, and the exact messages of refused queries.
struct IssueSearchParserTests {
    /// 2025-06-15T15:06:40Z, the test clock's start.
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    /// 2025-06-01T00:00:00Z.
    static let june1 = Date(timeIntervalSince1970: 1_748_736_000)
    static let day: TimeInterval = 86_400

    static let parser = IssueSearchParser(now: now)

    static let parsed: [(String, [IssueSearchTerm])] = [
        ("", []),
        ("   ", []),
        // is: statuses, substatuses and the status a substatus implies
        ("is:unresolved", [.status([.unresolved])]),
        ("is:archived", [.status([.ignored])]),
        ("is:muted", [.status([.ignored])]),
        ("is:Resolved", [.status([.resolved])]),
        ("!is:resolved", [.status([.resolved], negated: true)]),
        ("is:new", [.substatus([.new]), .status([.unresolved])]),
        ("is:archived_forever", [.substatus([.forever]), .status([.ignored])]),
        ("is:archived_until_escalating", [.substatus([.untilEscalating]), .status([.ignored])]),
        ("is:regressed is:unresolved", [.substatus([.regressed]), .status([.unresolved])]),
        ("!is:escalating", [.substatus([.escalating], negated: true)]),
        ("status:[resolved, ignored]", [.status([.resolved, .ignored])]),
        ("substatus:ongoing", [.substatus([.ongoing]), .status([.unresolved])]),
        ("is:assigned", [.assigned(true)]),
        ("!is:assigned", [.assigned(false)]),
        ("is:unassigned", [.assigned(false)]),
        ("is:linked", [.linked(true)]),
        ("!is:unlinked", [.linked(true)]),
        // issue fields
        ("is:unresolved issue.priority:[high, medium]", [.status([.unresolved]), .priority([.high, .medium])]),
        ("issue.priority:HIGH", [.priority([.high])]),
        ("!issue.priority:[low]", [.priority([.low], negated: true)]),
        ("issue.category:feedback", [.types([6001])]),
        ("issue.category:cron", [.types([4001, 4002, 4003])]),
        ("issue.category:[replay, uptime]", [.types([5001, 5002, 5003, 7001])]),
        ("issue.type:error", [.types([1])]),
        ("!issue.type:[feedback, profile_file_io_main_thread]", [.types([6001, 2001], negated: true)]),
        ("level:error", [.level([.error])]),
        ("level:[warn, fatal]", [.level([.warning, .fatal])]),
        // environments, releases, tags
        ("environment:prod", [.environment(["prod"])]),
        ("!environment:[staging, \"qa 2\"]", [.environment(["staging", "qa 2"], negated: true)]),
        ("has:environment", [.hasEnvironment()]),
        ("!has:release", [.hasRelease(negated: true)]),
        ("release:1.0", [.release(["1.0"])]),
        ("release:[1.*, 2.0]", [.release(["1.*", "2.0"])]),
        ("firstRelease:2.0 first_release:3.0", [.firstRelease(["2.0"]), .firstRelease(["3.0"])]),
        ("browser:Firefox", [.tag("browser", ["Firefox"])]),
        ("tags[browser]:\"Mobile Safari\"", [.tag("browser", ["Mobile Safari"])]),
        ("!os:[linux,mac]", [.tag("os", ["linux", "mac"], negated: true)]),
        ("has:browser !has:tags[os]", [.hasTag("browser"), .hasTag("os", negated: true)]),
        (#"url:"say \"hi\"""#, [.tag("url", [#"say "hi""#])]),
        (#"url:["a, b", "c \"d\""]"#, [.tag("url", ["a, b", #"c "d""#])]),
        ("function:(anonymous)", [.tag("function", ["(anonymous)"])]),
        // free text
        ("timeout", [.text("timeout")]),
        ("connection reset", [.text("connection"), .text("reset")]),
        ("\"connection reset\"", [.text("connection reset")]),
        ("message:\"a b\" !message:boom", [.text("a b"), .text("boom", negated: true)]),
        ("function(app/utils)", [.text("function(app/utils)")]),
        ("!important", [.text("!important")]),
        ("\"OR\"", [.text("OR")]),
        // dates
        ("firstSeen:-24h", [.date(.firstSeen, .greaterOrEqual, now - day)]),
        ("age:+7d", [.date(.firstSeen, .lessOrEqual, now - 7 * day)]),
        ("lastSeen:-30m", [.date(.lastSeen, .greaterOrEqual, now - 1800)]),
        ("last_seen:-2w", [.date(.lastSeen, .greaterOrEqual, now - 14 * day)]),
        ("first_seen:+10s", [.date(.firstSeen, .lessOrEqual, now - 10)]),
        ("firstSeen:>2025-06-01", [.date(.firstSeen, .greater, june1)]),
        ("lastSeen:<=2025-06-01T12:00:00Z", [.date(.lastSeen, .lessOrEqual, june1 + 43_200)]),
        ("lastSeen:>=2025-06-01T12:00:00+02:00", [.date(.lastSeen, .greaterOrEqual, june1 + 36_000)]),
        ("firstSeen:<2025-06-01T12:00:00.5", [.date(.firstSeen, .less, june1 + 43_200.5)]),
        ("firstSeen:2025-06-01", [.date(.firstSeen, .greaterOrEqual, june1), .date(.firstSeen, .less, june1 + day)]),
        (
            "firstSeen:2025-06-01T12:00:00",
            [.date(.firstSeen, .greaterOrEqual, june1 + 43_200 - 300), .date(.firstSeen, .less, june1 + 43_200 + 360)]
        ),
        // times seen
        ("timesSeen:>100", [.timesSeen(.greater, 100)]),
        ("times_seen:<=5", [.timesSeen(.lessOrEqual, 5)]),
        ("timesSeen:10", [.timesSeen(.equal, 10)]),
        ("timesSeen:=10", [.timesSeen(.equal, 10)]),
        ("timesSeen:>=1.5k", [.timesSeen(.greaterOrEqual, 1500)]),
        ("timesSeen:<2m", [.timesSeen(.less, 2_000_000)]),
        // several terms, any spacing
        (
            "  is:unresolved   timeout release:1.0 ",
            [.status([.unresolved]), .text("timeout"), .release(["1.0"])]
        ),
    ]

    @Test(arguments: parsed)
    func parses(query: String, terms: [IssueSearchTerm]) throws {
        #expect(try Self.parser.parse(query) == terms)
    }

    static let validIsValues = """
        ['archived', 'archived_forever', 'archived_until_condition_met', 'archived_until_escalating', 'assigned', \
        'escalating', 'ignored', 'linked', 'muted', 'new', 'ongoing', 'regressed', 'reprocessing', 'resolved', \
        'unassigned', 'unlinked', 'unresolved']
        """
    static let boolean = "Boolean statements containing \"OR\" or \"AND\" are not supported in this search"
    static let parentheses =
        "Parentheses are not supported in this search: every term is combined with AND (quote text that contains parentheses)."

    static let refused: [(String, String)] = [
        ("is:unresolved OR is:resolved", boolean),
        ("timeout AND crash", boolean),
        ("save and load", boolean),
        ("(is:new is:regressed)", parentheses),
        ("(timeout)", parentheses),
        ("is:new)", parentheses),
        ("timeout )", parentheses),
        ("is:wrong", "Invalid value for \"is\" search, valid values are \(validIsValues)"),
        ("is:[new, ongoing]", "\"in\" syntax invalid for \"is\" search"),
        ("is:for_review", "\"is:for_review\" is not supported: notifyd has no review inbox."),
        ("status:open", "invalid status value of 'open'"),
        ("substatus:[new, later]", "invalid substatus value of 'later'"),
        ("issue.priority:urgent", "Invalid priority value of 'urgent'"),
        ("issue.priority:[high, x]", "Invalid priority value of 'x'"),
        ("issue.category:errors", "Invalid category value of 'errors'"),
        ("issue.type:nope", "Invalid type value of 'nope'"),
        ("level:loud", "Invalid level value of 'loud'"),
        ("count():>10", "Aggregate filters (count()) are not supported in issue searches."),
        ("count_unique(user):>1", "Aggregate filters (count_unique(user)) are not supported in issue searches."),
        (
            "firstSeen:yesterday",
            "first_seen: Invalid date: yesterday. Expected +/-duration (e.g. +1h) or ISO 8601-like (e.g. 2025-06-15T15:06:40)."
        ),
        (
            "firstSeen:>-7d",
            "first_seen: Invalid date: >-7d. Expected +/-duration (e.g. +1h) or ISO 8601-like (e.g. 2025-06-15T15:06:40)."
        ),
        (
            "lastSeen:-24y",
            "last_seen: Invalid date: -24y. Expected +/-duration (e.g. +1h) or ISO 8601-like (e.g. 2025-06-15T15:06:40)."
        ),
        (
            "lastSeen:2025-13-01",
            "last_seen: Invalid date: 2025-13-01. Expected +/-duration (e.g. +1h) or ISO 8601-like (e.g. 2025-06-15T15:06:40)."
        ),
        ("firstSeen:[-1h, -2h]", "\"in\" syntax invalid for \"first_seen\" search"),
        ("!firstSeen:-24h", "Negation is not supported for \"first_seen\": use the opposite comparison instead."),
        ("timesSeen:>1t", "times_seen: Invalid number: >1t. Expected number then optional k, m, or b suffix (e.g. 500k)."),
        ("timesSeen:inf", "times_seen: Invalid number: inf. Expected number then optional k, m, or b suffix (e.g. 500k)."),
        ("!timesSeen:>5", "Negation is not supported for \"times_seen\": use the opposite comparison instead."),
        ("message:[a, b]", "\"in\" syntax invalid for \"message\" search"),
        ("has:[browser, os]", "\"in\" syntax invalid for \"has\" search"),
        ("has:level", "Invalid \"has\" search: \"level\" is not a tag; \"has\" takes a tag, \"release\" or \"environment\"."),
        ("assigned:me", "Unsupported search key \"assigned\": notifyd has no users or teams (is:assigned and is:unassigned work)."),
        ("bookmarks:me", "Unsupported search key \"bookmarks\": notifyd has no users or teams."),
        (
            "regressed_in_release:1.0",
            "Unsupported search key \"regressed_in_release\": notifyd does not record the release an issue regressed in."
        ),
        ("timestamp:-1h", "Unsupported search key \"timestamp\": filter issues by firstSeen, lastSeen or the date range."),
        ("release:", "Missing value for \"release:\"."),
        ("release: 1.0", "Missing value for \"release:\"."),
        ("\"unterminated", "Invalid quote at '\"unterminated': quotes must enclose text or be escaped."),
        ("foo\"bar", "Invalid quote at 'foo\"bar': quotes must enclose text or be escaped."),
        ("release:\"1.0\"x", "Invalid quote at 'release:\"1.0\"x': quotes must enclose text or be escaped."),
        ("release:[1.0, 2.0", "Invalid list release:[1.0, 2.0: missing the closing ']'."),
        ("release:[1.0,,2.0]", "Invalid list release:[1.0,,2.0]: every item needs a value."),
        ("release:[]", "Invalid list release:[]: every item needs a value."),
        ("release:[1.0]x", "Invalid list release:[1.0]x: the list must end the term."),
    ]

    @Test(arguments: refused)
    func refuses(query: String, message: String) {
        #expect(throws: IssueSearchError(.invalidQuery, message)) { try Self.parser.parse(query) }
    }

    /// The error names where the term at fault starts (the console puts a caret under it).
    @Test(arguments: [
        ("is:unresolved issue.priority:urgent", 14), ("level:error   release:[1.0", 14), ("\"open", 0), ("a b OR c", 4),
        ("!is:nope", 0),
    ])
    func refusalsNameTheTermsPosition(query: String, position: Int) {
        do {
            _ = try Self.parser.parse(query)
            Issue.record("\(query) parsed")
        } catch {
            #expect(error.position == position, "\(query): \(error.message)")
        }
    }

    @Test func categoriesFollowTheRegistry() throws {
        let custom = GroupType(id: 9001, slug: "canary_failure", description: "Canary failed", category: .uptime)
        let registry = try GroupTypeRegistry([.error, .feedback, custom])
        let parser = IssueSearchParser(registry: registry, now: Self.now)
        #expect(try parser.parse("issue.category:uptime") == [.types([9001])])
        #expect(try parser.parse("issue.type:canary_failure") == [.types([9001])])
        // A category without types in the registry matches no type.
        #expect(try parser.parse("issue.category:cron") == [.types([])])
    }
}
