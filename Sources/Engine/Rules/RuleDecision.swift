/// What evaluating one rule on one signal decided, and why: `notifyd rules test` prints these.
public struct RuleDecision: Sendable, Hashable {
    /// The rule.
    public var rule: Rule
    /// Whether it fires.
    public var fires: Bool
    /// Why not (the first scope check, filter or trigger that failed), or why it fires.
    public var reason: String

    /// Creates a decision.
    public init(rule: Rule, fires: Bool, reason: String) {
        self.rule = rule
        self.fires = fires
        self.reason = reason
    }
}
