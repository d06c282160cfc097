/// What evaluating one rule on one signal decided, and why: `notifyd rules test` prints these.
public struct RuleDecision: Sendable, Hashable {
    /// The decision; the text of `reason` is only built when asked for.
    public enum Verdict: Sendable, Hashable {
        /// The rule fires (`noTriggers`: it has none, so passing the filters is enough).
        case fires(noTriggers: Bool)
        /// Only unresolved issues alert.
        case issueNotUnresolved(GroupStatus)
        /// The rule is scoped to another environment.
        case otherEnvironment(event: String?, rule: String)
        /// A filter failed (the first one, when it is known).
        case filterFailed(RuleFilter?, RuleMatch)
        /// A trigger failed (the first one, when it is known).
        case triggerFailed(RuleTrigger?, RuleMatch)
        /// The rule fired for this issue within its frequency.
        case throttled(Duration)
    }

    /// The rule.
    public var rule: Rule
    /// The decision.
    public var verdict: Verdict

    /// Creates a decision.
    public init(rule: Rule, verdict: Verdict) {
        self.rule = rule
        self.verdict = verdict
    }

    /// Whether the rule fires.
    public var fires: Bool {
        if case .fires = verdict { return true }
        return false
    }

    /// Why it fires or not, for people.
    public var reason: String {
        switch verdict {
        case .fires(let noTriggers): return noTriggers ? "filters passed (no triggers)" : "fired"
        case .issueNotUnresolved(let status): return "the issue is \(status.name)"
        case .otherEnvironment(let event, let rule): return "environment is \(event ?? "none"), not \(rule)"
        case .filterFailed(let filter?, _): return "filter \(filter.name) did not pass"
        case .filterFailed(nil, let match): return "filters did not pass under filter_match: \(match.rawValue)"
        case .triggerFailed(let trigger?, _): return "trigger \(trigger.name) did not pass"
        case .triggerFailed(nil, let match): return "triggers did not pass under match: \(match.rawValue)"
        case .throttled(let frequency): return "throttled: fired for this issue within \(RuleDuration.format(frequency))"
        }
    }
}
