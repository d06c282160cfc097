/// What an API token may do, with Sentry's scope names: reading issues, changing their status,
/// deleting them. Each scope includes the ones before it, as Sentry's endpoints accept
/// `event:write` or `event:admin` wherever `event:read` is enough.
enum Scope: String, Sendable, Hashable, CaseIterable, Comparable {
    case read = "event:read"
    case write = "event:write"
    case admin = "event:admin"

    private var rank: Int {
        switch self {
        case .read: return 0
        case .write: return 1
        case .admin: return 2
        }
    }

    static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rank < rhs.rank }
}
