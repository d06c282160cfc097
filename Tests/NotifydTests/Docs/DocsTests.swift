import ArgumentParser
import Engine
import Foundation
import Testing
import Yams

@testable import notifyd

/// Every example in README.md, docs/*.md and notifyd.example.yml, checked by its kind, so the
/// docs cannot drift from the code. A fenced block's info string says what it is:
///
/// - ` ```yaml rules ` — a whole rule file; loads with `RuleLoader` (what `notifyd rules check`
///   uses) without errors. Variables named by `secret_env` are set.
/// - ` ```yaml config ` — a configuration file or a part of one; loads with the daemon's
///   `ConfigurationLoader`. Variables named by `*_env` keys are set.
/// - ` ```json message ` — an `ingest-occurrences` message; decodes with `MessageDecoder`.
///   ` ```json invalid field: reason ` — fails to decode with exactly that error.
/// - ` ```swift ` — `import` lines, then code that is, verbatim, a region of a test between
///   `// docs: begin` and `// docs: end` (indentation of the marker removed), so it is compiled
///   and run. Every such region is shown in some page.
/// - ` ```sh ` (every line) and ` ```console ` (lines after `$ `) — each command of the line
///   (split at `|`, `&&`, `;`; leading `NAME=value` words dropped) that runs `notifyd`
///   (`notifyd`, `.build/…/notifyd`, or `scripts/run` with arguments) parses with the
///   argument parser; a `scripts/…` program exists. A line ending in `\` continues. Inline
///   code that starts with `.build/release/notifyd ` (the benchmark tables) is parsed too.
/// - ` ```yaml ` without a kind is refused (say what it is); ` ```text `, ` ```json `,
///   ` ```http `, ` ```python ` and others are samples and are not checked.
///
/// Besides the blocks: every relative link resolves to a file and its `#anchor` to a heading;
/// the configuration keys the loader knows, the keys in the table of docs/configuration.md and
/// the keys in notifyd.example.yml (commented-out `# key: value` lines included) are the same set.
struct DocsTests {
    let pages: DocsPages

    init() throws {
        pages = try DocsPages()
    }

    // MARK: Blocks

    @Test func everyBlockSaysWhatItIs() {
        for block in pages.blocks {
            #expect(!block.language.isEmpty, "\(block.place): a fenced block needs a language (text for output)")
            if block.language == "yaml" {
                #expect(["rules", "config"].contains(block.kind), "\(block.place): yaml blocks are `yaml rules` or `yaml config`")
            }
            if block.language == "json" && !block.kind.isEmpty {
                #expect(block.kind == "message" || block.kind.hasPrefix("invalid "), "\(block.place): unknown json kind '\(block.kind)'")
            }
        }
    }

    @Test func ruleFilesLoad() throws {
        let blocks = pages.blocks("yaml rules")
        #expect(!blocks.isEmpty)
        for block in blocks {
            let environment = Self.variables(named: "secret_env", in: block.text, value: "whsec_" + Data(repeating: 7, count: 24).base64EncodedString())
            do {
                _ = try RuleLoader(environment: environment).load(files: [(name: block.place, text: block.text)])
            } catch {
                Issue.record("\(block.place): the rule file does not load:\n\(error)")
            }
        }
    }

    @Test func configurationsLoad() throws {
        let blocks = pages.blocks("yaml config")
        #expect(!blocks.isEmpty)
        for block in blocks {
            #expect(throws: Never.self, "\(block.place)") { try Self.loadConfiguration(block.text) }
        }
    }

    @Test func theExampleConfigurationLoadsWithAndWithoutItsCommentedKeys() throws {
        let example = try DocsPages.read("notifyd.example.yml")
        #expect(throws: Never.self) { try Self.loadConfiguration(example) }
        #expect(throws: Never.self) { try Self.loadConfiguration(Self.uncommented(example)) }
    }

    @Test func messagesDecode() throws {
        let blocks = pages.blocks("json message")
        #expect(!blocks.isEmpty)
        for block in blocks {
            #expect(throws: Never.self, "\(block.place)") { try MessageDecoder().decode(Data(block.text.utf8)) }
        }
    }

    @Test func invalidMessagesFailAsTheTextSays() throws {
        let blocks = pages.blocks("json invalid")
        #expect(!blocks.isEmpty)
        for block in blocks {
            let expected = String(block.kind.dropFirst("invalid ".count))
            do {
                _ = try MessageDecoder().decode(Data(block.text.utf8))
                Issue.record("\(block.place): decodes, but the docs say it fails with \(expected)")
            } catch {
                #expect(String(describing: error) == expected, "\(block.place)")
            }
        }
    }

    @Test func swiftSnippetsAreCompiledTests() throws {
        let regions = try Self.testRegions()
        let blocks = pages.blocks("swift")
        #expect(!blocks.isEmpty)
        var shown: Set<String> = []
        for block in blocks {
            let lines = block.text.split(separator: "\n", omittingEmptySubsequences: false)
            let code = lines.drop { $0.hasPrefix("import ") || $0.isEmpty }.joined(separator: "\n")
            if regions.contains(code) {
                shown.insert(code)
            } else {
                Issue.record("\(block.place): this Swift is not a region of a test between `// docs: begin` and `// docs: end`")
            }
        }
        for region in regions.subtracting(shown) {
            Issue.record("a test region marked `// docs: begin` is in no page:\n\(region.prefix(200))")
        }
    }

    @Test func commandLinesParse() throws {
        var parsed = 0
        for block in pages.blocks("sh") + pages.blocks("console") {
            var lines = block.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if block.language == "console" {
                lines = lines.filter { $0.hasPrefix("$ ") }.map { String($0.dropFirst(2)) }
            }
            for line in Self.joinedContinuations(lines) {
                for command in Self.commands(in: DocsPages.shellWords(line)) {
                    parsed += Self.check(command, at: block.place) ? 1 : 0
                }
            }
        }
        // The benchmark tables name their commands in inline code.
        for (page, text) in pages.texts {
            for (line, content) in DocsPages.linesOutsideFences(text) {
                let spans = content.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { !$0.offset.isMultiple(of: 2) }
                for span in spans.map(\.element) where span.hasPrefix(".build/release/notifyd ") {
                    parsed += Self.check(DocsPages.shellWords(String(span)), at: "\(page):\(line)") ? 1 : 0
                }
            }
        }
        #expect(parsed > 0)
    }

    // MARK: Links

    @Test func relativeLinksResolve() throws {
        let links = pages.links()
        #expect(!links.isEmpty)
        for link in links {
            let parts = link.target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let base = URL(fileURLWithPath: link.page).deletingLastPathComponent().relativePath
            let file = parts[0].isEmpty ? link.page : ((base == "." ? "" : base + "/") + parts[0])
            let path = DocsPages.root.appendingPathComponent(file).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: path) else {
                Issue.record("\(link.page):\(link.line): \(link.target): no such file")
                continue
            }
            if parts.count == 2, file.hasSuffix(".md") {
                let anchors = DocsPages.anchors(in: try String(contentsOfFile: path, encoding: .utf8))
                #expect(anchors.contains(parts[1]), "\(link.page):\(link.line): \(link.target): no such heading")
            }
        }
    }

    // MARK: Configuration keys

    @Test func theConfigurationKeysAreDocumentedExactly() throws {
        let known = Set(ConfigurationLoader.keys)
        let documented = try Self.documentedKeys()
        let example = try Self.keys(in: Self.uncommented(try DocsPages.read("notifyd.example.yml")))
        #expect(known.subtracting(documented).isEmpty, "keys the loader reads but docs/configuration.md does not document")
        #expect(documented.subtracting(known).isEmpty, "keys docs/configuration.md documents but the loader does not read")
        #expect(known.subtracting(example).isEmpty, "keys the loader reads but notifyd.example.yml does not show")
        #expect(example.subtracting(known).isEmpty, "keys notifyd.example.yml shows but the loader does not read")
    }

    // MARK: Helpers

    /// The values `name: VARIABLE` pairs name, each set to `value`.
    static func variables(named suffix: String, in text: String, value: String) -> [String: String] {
        var result: [String: String] = [:]
        let words = text.split(whereSeparator: { " \n\t{},[]\"'".contains($0) }).map(String.init)
        for (index, word) in words.enumerated() where word.hasSuffix(suffix + ":") && index + 1 < words.count {
            result[words[index + 1]] = value
        }
        return result
    }

    static func loadConfiguration(_ yaml: String) throws {
        let environment = variables(named: "_env", in: yaml, value: "docs-value-0123456789abcdef")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-docs-\(UUID().uuidString).yml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try ConfigurationLoader(environment: environment).load(path: path)
    }

    /// The text with every commented-out key (`# key: value`, at any indentation) made live.
    static func uncommented(_ yaml: String) -> String {
        yaml.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let indent = line.prefix { $0 == " " }
            let rest = line.dropFirst(indent.count)
            guard rest.hasPrefix("# "), let colon = rest.firstIndex(of: ":"),
                rest[rest.index(rest.startIndex, offsetBy: 2)..<colon].allSatisfy({ $0.isLowercase || $0 == "_" }),
                rest[colon...].hasPrefix(": ")
            else { return String(line) }
            return String(indent + rest.dropFirst(2))
        }.joined(separator: "\n")
    }

    /// The dotted key paths of a YAML document (`smtp.url`, `tokens[].name`).
    static func keys(in yaml: String) throws -> Set<String> {
        func walk(_ node: Node, _ prefix: String) -> Set<String> {
            switch node {
            case .mapping(let mapping):
                return mapping.reduce(into: Set<String>()) { keys, pair in
                    let key = prefix.isEmpty ? (pair.key.string ?? "") : prefix + "." + (pair.key.string ?? "")
                    let below = walk(pair.value, key)
                    if below.isEmpty { keys.insert(key) } else { keys.formUnion(below) }
                }
            case .sequence(let items):
                return items.reduce(into: Set<String>()) { keys, item in
                    if case .mapping = item { keys.formUnion(walk(item, prefix + "[]")) }
                }
            default:
                return []
            }
        }
        return try Yams.compose(yaml: yaml).map { walk($0, "") } ?? []
    }

    /// The first column of the key tables in docs/configuration.md: rows starting `` | `key` ``.
    static func documentedKeys() throws -> Set<String> {
        let text = try DocsPages.read("docs/configuration.md")
        return Set(
            DocsPages.linesOutsideFences(text).compactMap { entry -> String? in
                guard entry.text.hasPrefix("| `") else { return nil }
                return entry.text.dropFirst(3).split(separator: "`").first.map(String.init)
            })
    }

    /// Every region between `// docs: begin` and `// docs: end` in Tests/, without the marker's indentation.
    static func testRegions() throws -> Set<String> {
        let tests = DocsPages.root.appendingPathComponent("Tests")
        var regions: Set<String> = []
        let files = FileManager.default.enumerator(atPath: tests.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        for file in files {
            let lines = try String(contentsOf: tests.appendingPathComponent(file), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            var current: (indent: Int, lines: [String])?
            for line in lines {
                let indent = line.prefix { $0 == " " }.count
                let trimmed = line.dropFirst(indent)
                if trimmed == "// docs: begin" {
                    current = (indent, [])
                } else if trimmed == "// docs: end", let region = current {
                    regions.insert(region.lines.joined(separator: "\n"))
                    current = nil
                } else if current != nil {
                    current!.lines.append(String(line.dropFirst(min(indent, current!.indent))))
                }
            }
        }
        return regions
    }

    static func joinedContinuations(_ lines: [String]) -> [String] {
        var result: [String] = []
        var pending = ""
        for line in lines {
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
            } else {
                result.append(pending + line)
                pending = ""
            }
        }
        return result
    }

    /// The commands of a line: split at `|`, `&&`, `||`, `;`, without `NAME=value` prefixes and redirections.
    static func commands(in words: [String]) -> [[String]] {
        var result: [[String]] = [[]]
        var skipNext = false
        for word in words {
            if skipNext {
                skipNext = false
            } else if ["|", "&&", "||", ";"].contains(word) {
                result.append([])
            } else if ["<", ">", ">>", "2>"].contains(word) {
                skipNext = true
            } else if word.hasPrefix(">") || word.hasPrefix("2>") || word.hasPrefix("<") || word == "&" {
                continue
            } else if result[result.count - 1].isEmpty, word.contains("="), word.first?.isUppercase == true {
                continue
            } else {
                result[result.count - 1].append(word)
            }
        }
        return result.filter { !$0.isEmpty }
    }

    /// Parses a `notifyd` command line; checks that a `scripts/…` program exists. True when parsed.
    static func check(_ command: [String], at place: String) -> Bool {
        let program = command[0]
        var arguments: [String]?
        if program == "notifyd" || program.hasSuffix("/notifyd") {
            arguments = Array(command.dropFirst())
        } else if program.hasPrefix("scripts/") {
            #expect(FileManager.default.fileExists(atPath: DocsPages.root.appendingPathComponent(program).path), "\(place): no \(program)")
            if program == "scripts/run" && command.count > 1 { arguments = Array(command.dropFirst()) }
        }
        guard let arguments else { return false }
        #expect(!arguments.contains { $0.contains("…") }, "\(place): a placeholder in a command line: \(command.joined(separator: " "))")
        do {
            _ = try Notifyd.parseAsRoot(arguments)
        } catch {
            Issue.record("\(place): notifyd \(arguments.joined(separator: " ")): \(Notifyd.message(for: error))")
        }
        return true
    }
}
