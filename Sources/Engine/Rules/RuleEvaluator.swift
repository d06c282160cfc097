public import Foundation
public import Logging
import Synchronization

/// Decides which rules fire on each ingest signal and writes their notifications to the outbox,
/// inside the ingest transaction (a `SignalHandler`), so a notification exists exactly when the
/// issue change that caused it committed.
///
/// Per signal: only unresolved issues alert; each rule is scoped by project and environment;
/// filters are checked, then triggers (with `all`/`any`/`none`); a rule fires at most once per
/// issue per `frequency`, decided atomically in the store. Rules that fire together are merged
/// per target: one email address or webhook URL gets one notification listing every rule.
public final class RuleEvaluator: SignalHandler {
    private let state: Mutex<RuleSet>
    private let registry: GroupTypeRegistry
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// Creates an evaluator for a rule set.
    public init(rules: RuleSet, registry: GroupTypeRegistry = .standard, logger: Logger = Logger(label: "notifyd.rules"),
                now: @escaping @Sendable () -> Date = Date.init) {
        self.state = Mutex(rules)
        self.registry = registry
        self.logger = logger
        self.now = now
    }

    /// The rules in force.
    public var rules: RuleSet { state.withLock { $0 } }

    /// Replaces the rules (a reload); signals already being handled finish with the old ones.
    public func replaceRules(_ rules: RuleSet) {
        state.withLock { $0 = rules }
    }

    public func handle(_ signal: IssueSignal, in transaction: any StoreTransaction) throws {
        // No rules for the project: nothing to read or decide (a status change's context reads the store).
        guard !rules.rules(forProject: signal.project.slug).isEmpty else { return }
        let context = try RuleContext(signal: signal, registry: registry, now: now(), transaction: transaction)
        var fired: [Rule] = []
        for decision in try evaluate(context, claimingIn: transaction) where decision.fires {
            fired.append(decision.rule)
        }
        guard !fired.isEmpty else { return }
        try enqueue(fired, context: context, in: transaction)
    }

    /// What every rule would decide for a signal, without firing or writing anything.
    public func explain(_ signal: IssueSignal, in reader: any StoreReader) throws -> [RuleDecision] {
        let context = try RuleContext(signal: signal, registry: registry, now: now(), transaction: reader)
        return try evaluate(context, claimingIn: nil)
    }

    // MARK: Evaluation

    /// Decides every rule of the project; with a transaction, claims the throttle of each rule
    /// that passes.
    private func evaluate(_ context: RuleContext, claimingIn transaction: (any StoreTransaction)?) throws -> [RuleDecision] {
        let rules = rules.rules(forProject: context.project.slug)
        guard context.group.status == .unresolved else {
            return rules.map { RuleDecision(rule: $0, verdict: .issueNotUnresolved(context.group.status)) }
        }
        var decisions: [RuleDecision] = []
        decisions.reserveCapacity(rules.count)
        var lastFired: [String: Date]?
        for rule in rules {
            var decision = try decide(rule, context)
            if decision.fires {
                // The throttle: a cheap look at the issue's firing times skips rules that fired
                // recently; the claim then decides atomically among concurrent signals.
                if lastFired == nil { lastFired = try context.lastFired() }
                let throttled = RuleDecision(rule: rule, verdict: .throttled(rule.frequency))
                if let last = lastFired?[rule.id], last > context.now - rule.frequency {
                    decision = throttled
                } else if let transaction,
                    try !transaction.claimRuleFire(ruleID: rule.id, groupID: context.group.id, now: context.now, frequency: rule.frequency)
                {
                    decision = throttled
                }
            }
            decisions.append(decision)
        }
        return decisions
    }

    private func decide(_ rule: Rule, _ context: RuleContext) throws -> RuleDecision {
        if let environment = rule.environment, environment != context.event?.environment {
            return RuleDecision(rule: rule, verdict: .otherEnvironment(event: context.event?.environment, rule: environment))
        }
        var failedFilter: RuleFilter?
        let filtersPass = try rule.filterMatch.combine(rule.filters) { filter in
            let passes = try self.passes(filter, context)
            if !passes, failedFilter == nil { failedFilter = filter }
            return passes
        }
        guard filtersPass else { return RuleDecision(rule: rule, verdict: .filterFailed(failedFilter, rule.filterMatch)) }
        // Cheap triggers first (in a first pass), so the counting ones only run when they can
        // still change the outcome.
        var failedTrigger: RuleTrigger?
        let triggersPass = try rule.match.combine(rule.triggers, costlyLast: { Self.isCostly($0) }) { trigger in
            let passes = try self.passes(trigger, rule, context)
            if !passes, failedTrigger == nil { failedTrigger = trigger }
            return passes
        }
        guard triggersPass else { return RuleDecision(rule: rule, verdict: .triggerFailed(failedTrigger, rule.match)) }
        return RuleDecision(rule: rule, verdict: .fires(noTriggers: rule.triggers.isEmpty))
    }

    private static func isCostly(_ trigger: RuleTrigger) -> Bool {
        switch trigger {
        case .frequency, .uniqueUsers: return true
        default: return false
        }
    }

    private func passes(_ trigger: RuleTrigger, _ rule: Rule, _ context: RuleContext) throws -> Bool {
        // In an environment-scoped rule, "new" means new in that environment.
        let isNew = rule.environment == nil ? context.isNew : context.isNewGroupEnvironment
        switch trigger {
        case .newIssue: return isNew
        case .regression: return context.isRegression
        case .escalating: return context.isEscalation
        case .newHighPriorityIssue: return isNew && context.group.priority == .high
        case .everyEvent: return context.isOccurrence
        case .frequency(let count, let interval):
            // The first event of an issue cannot exceed a threshold above 1 (Sentry's shortcut).
            guard context.isOccurrence, !(context.isNew && count > 1) else { return false }
            return try context.occurrences(within: interval, environment: rule.environment) > count
        case .uniqueUsers(let count, let interval):
            guard context.isOccurrence, !(context.isNew && count > 1) else { return false }
            return try context.uniqueUsers(within: interval, environment: rule.environment) > count
        }
    }

    private func passes(_ filter: RuleFilter, _ context: RuleContext) throws -> Bool {
        switch filter {
        case .level(let comparison, let level):
            let actual = (context.event?.level ?? context.group.level).numericValue
            switch comparison {
            case .eq: return actual == level.numericValue
            case .gte: return actual >= level.numericValue
            case .lte: return actual <= level.numericValue
            }
        case .tag(let key, let op, let value): return op.matchesLowercased(context.tagValues(key), value)
        case .attribute(let name, let op, let value): return op.matchesLowercased(context.attributeValues(name), value)
        case .issueCategory(let categories): return context.type.map { categories.contains($0.category) } ?? false
        case .issueType(let slugs): return context.type.map { slugs.contains($0.slug) } ?? false
        case .olderThan(let age): return context.group.firstSeen + age < context.now
        case .newerThan(let age): return context.group.firstSeen + age > context.now
        case .occurrencesAtLeast(let count): return context.group.timesSeen >= Int64(count)
        }
    }

    // MARK: Firing

    /// Writes fire history and one notification per target for the rules that fired.
    private func enqueue(_ fired: [Rule], context: RuleContext, in transaction: any StoreTransaction) throws {
        let notificationUUID = Self.newID()
        for rule in fired {
            try transaction.insertFiring(
                RuleFiring(ruleID: rule.id, groupID: context.group.id, eventID: context.event?.eventID, notificationUUID: notificationUUID, firedAt: context.now))
        }
        let kind: Delivery.Kind =
            context.isNew ? .issueCreated : context.isRegression ? .issueRegressed : context.isEscalation ? .issueEscalating : .eventAlert
        // Targets in the order their first rule names them; each lists every rule that sends to it.
        var targets: [(channel: Delivery.Channel, target: String, secretEnv: String?, rules: [Rule])] = []
        func add(_ channel: Delivery.Channel, _ target: String, _ secretEnv: String?, _ rule: Rule) {
            if let index = targets.firstIndex(where: { $0.channel == channel && $0.target == target && $0.secretEnv == secretEnv }) {
                if !targets[index].rules.contains(where: { $0.id == rule.id }) { targets[index].rules.append(rule) }
            } else {
                targets.append((channel, target, secretEnv, [rule]))
            }
        }
        for rule in fired {
            for action in rule.actions {
                switch action {
                case .email(let addresses): for address in addresses { add(.email, address.lowercased(), nil, rule) }
                case .webhook(let url, let secretEnv): add(.webhook, url.absoluteString, secretEnv, rule)
                case .preview: add(.preview, "preview", nil, rule)
                }
            }
        }
        for target in targets {
            try transaction.enqueue(
                Delivery(
                    id: Self.newID(), channel: target.channel, target: target.target, secretEnv: target.secretEnv, kind: kind,
                    ruleIDs: target.rules.map(\.id), ruleNames: target.rules.map(\.name), organizationID: context.project.organizationID,
                    projectID: context.project.id, groupID: context.group.id, eventID: context.isOccurrence ? context.event?.eventID : nil,
                    notificationUUID: notificationUUID, createdAt: context.now))
        }
        logger.debug(
            "rules fired",
            metadata: ["group_id": "\(context.group.id)", "rules": "\(fired.count)", "first_rule": "\(fired[0].id)", "deliveries": "\(targets.count)"])
    }

    static func newID() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }
}
