import Foundation

/// The orders an issue search can return (Sentry's `sort` parameter); ties are broken by the
/// newest issue id first, so the order is total and pages can be cut by position.
public enum IssueSort: String, Sendable, Hashable, CaseIterable {
    /// Most recently seen first (`last_seen`); Sentry's default.
    case date
    /// Most recently created first (`first_seen`).
    case new
    /// Most often seen first (`times_seen`).
    case freq

    /// The issue's value in this order, as a cursor carries it.
    func value(of group: Group) -> Double {
        switch self {
        case .date: return group.lastSeen.timeIntervalSince1970
        case .new: return group.firstSeen.timeIntervalSince1970
        case .freq: return Double(group.timesSeen)
        }
    }
}
