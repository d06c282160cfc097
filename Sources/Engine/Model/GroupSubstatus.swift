/// The finer state inside a status (Sentry's `GroupSubStatus`; integer values are Sentry's).
///
/// Unresolved issues are `new`, `ongoing`, `escalating` or `regressed`; ignored ("archived")
/// issues are `untilEscalating`, `untilConditionMet` or `forever`; resolved issues have none.
public enum GroupSubstatus: Int, Sendable, Codable, CaseIterable {
    case untilEscalating = 1
    case escalating = 2
    case ongoing = 3
    case untilConditionMet = 4
    case forever = 5
    case regressed = 6
    case new = 7

    /// The substatuses an unresolved issue may have.
    public static let unresolvedChoices: Set<GroupSubstatus> = [.ongoing, .escalating, .regressed, .new]
    /// The substatuses an ignored issue may have.
    public static let ignoredChoices: Set<GroupSubstatus> = [.untilEscalating, .forever, .untilConditionMet]

    /// The name used in search (`is:regressed`) and API responses.
    public var name: String {
        switch self {
        case .untilEscalating: return "archived_until_escalating"
        case .escalating: return "escalating"
        case .ongoing: return "ongoing"
        case .untilConditionMet: return "archived_until_condition_met"
        case .forever: return "archived_forever"
        case .regressed: return "regressed"
        case .new: return "new"
        }
    }

    /// The status this substatus belongs to.
    public var status: GroupStatus {
        Self.unresolvedChoices.contains(self) ? .unresolved : .ignored
    }
}
