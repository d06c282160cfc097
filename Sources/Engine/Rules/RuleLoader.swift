public import Foundation
internal import Yams

/// Reads and validates a folder of rule files (`*.yml`, `*.yaml`).
///
/// Every problem in every file is reported, each as `file:line:column: message`; a folder with
/// any problem yields no rules at all, so a daemon never runs on half a folder.
public struct RuleLoader: Sendable {
    /// Environment variables, for checking that webhook secrets (`secret_env`) are set.
    public var environment: [String: String]

    /// Creates a loader.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads every rule file in `directory` (not recursive), in name order.
    public func load(directory: String) throws(RuleFolderError) -> RuleSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
        } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
            let reason = !exists ? "no such folder" : !isDirectory.boolValue ? "not a folder" : "cannot read the folder"
            throw RuleFolderError(errors: [RuleError(RuleLocation(file: directory, line: 1, column: 1), "cannot read the rule folder: \(reason)")])
        }
        var files: [(String, String)] = []
        var errors: [RuleError] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                errors.append(RuleError(RuleLocation(file: path, line: 1, column: 1), "cannot read the file as UTF-8"))
                continue
            }
            files.append((path, text))
        }
        do throws(RuleFolderError) {
            let rules = try load(files: files)
            guard errors.isEmpty else { throw RuleFolderError(errors: errors) }
            return rules
        } catch {
            throw RuleFolderError(errors: errors.isEmpty ? error.errors : Array(Set(errors + error.errors)))
        }
    }

    /// Loads rule files given as (name, text) pairs.
    public func load(files: [(name: String, text: String)]) throws(RuleFolderError) -> RuleSet {
        var errors: [RuleError] = []
        var rules: [Rule] = []
        var firstDefinition: [String: RuleLocation] = [:]
        for (name, text) in files {
            var parser = RuleFileParser(file: name, environment: environment)
            for rule in parser.parse(text) {
                if let first = firstDefinition[rule.id] {
                    errors.append(RuleError(rule.location, "duplicate rule id '\(rule.id)' (first defined at \(first))"))
                } else {
                    firstDefinition[rule.id] = rule.location
                    rules.append(rule)
                }
            }
            errors += parser.errors
        }
        guard errors.isEmpty else { throw RuleFolderError(errors: errors) }
        return RuleSet(rules: rules, files: files.map(\.name))
    }
}
