import Engine
import Foundation

/// Rules for benchmarks: a quarter for every project, a quarter for the bench project, half
/// for other projects; cycling through every trigger, several filters and every action.
enum SyntheticRules {
    static func make(count: Int, project: String) -> RuleSet {
        let triggerSets: [[RuleTrigger]] = [
            [.newIssue], [.everyEvent], [.regression], [.frequency(count: 500, interval: .seconds(3600))],
            [.uniqueUsers(count: 50, interval: .seconds(86_400))], [.newIssue, .everyEvent], [.newHighPriorityIssue], [.escalating],
        ]
        let filterSets: [[RuleFilter]] = [
            [], [.level(.gte, .error)], [.tag(key: "browser", .sw, value: "chrome")], [.attribute(name: "message", .co, value: "checkout")],
            [.issueCategory([.error])], [.occurrencesAtLeast(10)], [.level(.gte, .warning), .tag(key: "os", .eq, value: "linux")],
            [.attribute(name: "user.email", .ew, value: "@example.com"), .newerThan(.seconds(86_400))],
        ]
        let actionSets: [[RuleAction]] = [
            [.preview], [.email(to: ["team\(count % 7)@example.com"])],
            [.webhook(url: URL(string: "https://hooks.example.com/bench")!, secretEnv: "BENCH_SECRET")],
        ]
        let rules = (0..<count).map { index in
            Rule(
                id: "rule-\(index)", name: "Synthetic rule \(index)",
                projects: index % 4 == 0 ? nil : index % 4 == 1 ? [project] : ["other-\(index % 10)"],
                environment: index % 3 == 0 ? "production" : nil, match: index % 2 == 0 ? .all : .any,
                triggers: triggerSets[index % triggerSets.count], filterMatch: index % 5 == 0 ? .any : .all,
                filters: filterSets[(index / 2) % filterSets.count], actions: actionSets[index % actionSets.count],
                location: RuleLocation(file: "synthetic.yml", line: index + 1, column: 5))
        }
        return RuleSet(rules: rules, files: ["synthetic.yml"])
    }
}
