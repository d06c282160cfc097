public import Foundation

/// One filter of an issue search, as `IssueSearchParser` reads it from Sentry's search syntax.
///
/// A search is a list of terms that must all hold (Sentry's issue search has no OR). Values are
/// already resolved: names to enum cases, `issue.category` to type ids, relative dates to dates.
/// In the string values of `release`, `firstRelease`, `environment` and `tag`, `*` matches any
/// run of characters (Sentry's wildcard); everything else matches exactly.
///
/// The positive release terms (`release`, `hasRelease`) must hold for one and the same event,
/// as in Sentry, where they are conditions on the events an issue's matches are aggregated
/// from. Tag terms (`tag`, `hasTag`) are answered from the tag values each issue's events ever
/// carried (the store's per-issue tag index, like Sentry's tagstore), so each holds for some
/// event of the issue, not necessarily the one a release term matched: `browser:Firefox
/// release:1.0` finds an issue seen in Firefox and seen in 1.0. That keeps a tag filter from
/// reading every event. A negated term excludes the issue when any of its events matches
/// (`!release:1.0` = never seen in 1.0, `!browser:Firefox` = never seen in Firefox).
public enum IssueSearchTerm: Sendable, Hashable {
    /// Free text (`timeout`, `"connection reset"`, `message:…`): the issue's title or message
    /// contains it, ignoring case.
    case text(String, negated: Bool = false)
    /// `is:resolved`, `status:[resolved, ignored]`.
    case status(Set<GroupStatus>, negated: Bool = false)
    /// `is:regressed`, `substatus:…`.
    case substatus(Set<GroupSubstatus>, negated: Bool = false)
    /// `is:assigned` (`true`) or `is:unassigned` (`false`): whether the issue has an assignee.
    case assigned(Bool)
    /// `is:linked` (`true`) or `is:unlinked` (`false`): whether the issue is linked to an issue
    /// tracker. notifyd has no such integrations, so no issue is linked.
    case linked(Bool)
    /// `issue.priority:[high, medium]`.
    case priority(Set<PriorityLevel>, negated: Bool = false)
    /// `issue.category:…` and `issue.type:…`: the issue's `GroupType` id is one of these.
    case types(Set<Int>, negated: Bool = false)
    /// `level:error`: the issue's level (the level of its latest occurrence).
    case level(Set<Level>, negated: Bool = false)
    /// `environment:prod`: the issue was seen in one of these environments.
    case environment([String], negated: Bool = false)
    /// `has:environment`: the issue was seen in some environment.
    case hasEnvironment(negated: Bool = false)
    /// `firstRelease:1.0`: the issue was first seen in one of these releases.
    case firstRelease([String], negated: Bool = false)
    /// `release:1.0`: one of the issue's events is in one of these releases.
    case release([String], negated: Bool = false)
    /// `has:release`: one of the issue's events names a release.
    case hasRelease(negated: Bool = false)
    /// `browser:Firefox`, `tags[browser]:Firefox`: one of the issue's events has the tag with
    /// one of these values.
    case tag(String, [String], negated: Bool = false)
    /// `has:browser`: one of the issue's events has the tag.
    case hasTag(String, negated: Bool = false)
    /// `firstSeen:>2024-06-01`, `lastSeen:-24h`.
    case date(DateField, Comparison, Date)
    /// `timesSeen:>100`.
    case timesSeen(Comparison, Double)

    /// The issue dates a search compares.
    public enum DateField: String, Sendable, Hashable {
        /// When the issue was first seen (`firstSeen`, `first_seen`, `age`).
        case firstSeen = "first_seen"
        /// When the issue was last seen (`lastSeen`, `last_seen`).
        case lastSeen = "last_seen"
    }

    /// How a date or number is compared; the raw value is the operator as written.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        /// `=` (or no operator, for numbers).
        case equal = "="
        /// `>`: after, or more than.
        case greater = ">"
        /// `>=`: at or after, or at least.
        case greaterOrEqual = ">="
        /// `<`: before, or fewer than.
        case less = "<"
        /// `<=`: at or before, or at most.
        case lessOrEqual = "<="
    }

    /// Whether the term reads the issue's events (`release`) rather than the issue row or its
    /// tag index.
    var readsEvents: Bool {
        switch self {
        case .release, .hasRelease: return true
        default: return false
        }
    }

    /// Whether an event term is negated (`false` for every other term).
    var isNegatedEventTerm: Bool {
        switch self {
        case .release(_, let negated), .hasRelease(let negated): return negated
        default: return false
        }
    }
}
