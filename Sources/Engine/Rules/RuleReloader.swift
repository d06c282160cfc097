import Foundation
public import Logging
import Synchronization

/// Reloads a rule folder into a running `RuleEvaluator`: on demand (the daemon calls `reload()`
/// on SIGHUP) and whenever a file changes (`watch`). A folder with errors is rejected, its
/// errors logged, and the rules in force are kept.
public struct RuleReloader: Sendable {
    /// The folder.
    public let directory: String
    /// The evaluator whose rules are replaced.
    public let evaluator: RuleEvaluator
    /// The loader (and so the environment secrets are checked against).
    public let loader: RuleLoader
    let logger: Logger
    private let lastFailure = LastFailure()

    /// Creates a reloader.
    public init(directory: String, evaluator: RuleEvaluator, loader: RuleLoader = RuleLoader(), logger: Logger = Logger(label: "notifyd.rules")) {
        self.directory = directory
        self.evaluator = evaluator
        self.loader = loader
        self.logger = logger
    }

    /// Loads the folder now; on success the evaluator runs the new rules.
    @discardableResult
    public func reload() -> Result<RuleSet, RuleFolderError> {
        do {
            let rules = try loader.load(directory: directory)
            evaluator.replaceRules(rules)
            lastFailure.set(nil)
            logger.info("rules loaded", metadata: ["directory": "\(directory)", "rules": "\(rules.rules.count)"])
            return .success(rules)
        } catch {
            lastFailure.set(error)
            for problem in error.errors {
                logger.error("rule file error, keeping the previous rules", metadata: ["error": "\(problem)"])
            }
            return .failure(error)
        }
    }

    /// Loads the folder, then polls it every `interval` and reloads when a rule file was added,
    /// removed or changed; returns when the task is cancelled. (Loading first means a change made
    /// before the watch started is never missed.)
    public func watch(every interval: Duration = .seconds(2)) async {
        var last = snapshot()
        reload()
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let current = snapshot()
            if current != last {
                last = current
                reload()
            }
        }
    }

    /// The rule files' names and contents (small files; comparing contents avoids trusting
    /// modification times that may not change within a second).
    func snapshot() -> [String: Data] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var files: [String: Data] = [:]
        for name in names where name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
            files[name] = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)) ?? Data()
        }
        return files
    }

    /// The errors of the last reload, while the folder still has them (the rules in force are
    /// then the ones before); `nil` once a reload succeeds.
    public var currentErrors: RuleFolderError? { lastFailure.value }
}

/// The outcome of the last reload, shared by the copies of a reloader.
private final class LastFailure: Sendable {
    private let state = Mutex<RuleFolderError?>(nil)

    var value: RuleFolderError? { state.withLock { $0 } }

    func set(_ error: RuleFolderError?) { state.withLock { $0 = error } }
}
