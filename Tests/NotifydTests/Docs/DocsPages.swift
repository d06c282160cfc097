import Foundation

/// README.md, docs/*.md and notifyd.example.yml, read once, with their fenced blocks, headings
/// and links (what `DocsTests` checks; the conventions are described there).
struct DocsPages {
    /// A fenced block: its page, the line of its opening fence, its info string and its text.
    struct Block {
        var page: String
        var line: Int
        var info: String
        var text: String

        /// The first word of the info string (`yaml`, `json`, `swift`, `sh`…).
        var language: String { String(info.prefix { $0 != " " }) }
        /// The rest of the info string (`rules`, `config`, `message`, `invalid "…"`).
        var kind: String { String(info.drop { $0 != " " }.drop { $0 == " " }) }
        /// `docs/rules.md:42`, for failure messages.
        var place: String { "\(page):\(line)" }
    }

    /// A relative link or image: its page, line and target (`api.md#issue-search`).
    struct Link {
        var page: String
        var line: Int
        var target: String
    }

    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// README.md and every docs/*.md, by path relative to the root.
    let texts: [String: String]

    init() throws {
        let docs = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        var texts: [String: String] = [:]
        for page in ["README.md"] + docs {
            texts[page] = try String(contentsOf: Self.root.appendingPathComponent(page), encoding: .utf8)
        }
        self.texts = texts
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every fenced block of every page, in page and line order.
    var blocks: [Block] {
        texts.keys.sorted().flatMap { page in Self.blocks(in: texts[page]!, page: page) }
    }

    /// The blocks whose info string is exactly `info`, or starts with `info` and a space.
    func blocks(_ info: String) -> [Block] {
        blocks.filter { $0.info == info || $0.info.hasPrefix(info + " ") }
    }

    /// Fences are three backticks, indented or not (inside a list item); the block's lines lose
    /// the fence's indentation.
    static func blocks(in text: String, page: String) -> [Block] {
        var result: [Block] = []
        var open: (line: Int, indent: Int, info: String, lines: [String])?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indent = line.prefix { $0 == " " }.count
            let trimmed = line.dropFirst(indent)
            if var current = open {
                if trimmed.hasPrefix("```") && trimmed.allSatisfy({ $0 == "`" }) {
                    result.append(Block(page: page, line: current.line, info: current.info, text: current.lines.joined(separator: "\n")))
                    open = nil
                } else {
                    current.lines.append(String(line.dropFirst(min(indent, current.indent))))
                    open = current
                }
            } else if trimmed.hasPrefix("```") {
                open = (line: index + 1, indent: indent, info: trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces), lines: [])
            }
        }
        return result
    }

    /// The page's lines outside fenced blocks, numbered.
    static func linesOutsideFences(_ text: String) -> [(line: Int, text: String)] {
        var result: [(line: Int, text: String)] = []
        var inFence = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inFence.toggle()
            } else if !inFence {
                result.append((line: index + 1, text: String(line)))
            }
        }
        return result
    }

    /// The page's text outside fenced blocks and inline code, line by line.
    static func prose(_ text: String) -> [(line: Int, text: String)] {
        linesOutsideFences(text).map { entry -> (line: Int, text: String) in
            let parts = entry.text.split(separator: "`", omittingEmptySubsequences: false)
            return (line: entry.line, text: parts.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element).joined())
        }
    }

    /// Relative links and images (`[text](target)`), outside code.
    func links() -> [Link] {
        var result: [Link] = []
        for (page, text) in texts {
            for (line, prose) in Self.prose(text) {
                var rest = Substring(prose)
                while let open = rest.range(of: "](") {
                    let after = rest[open.upperBound...]
                    guard let close = after.firstIndex(of: ")") else { break }
                    let target = String(after[..<close])
                    if !target.contains("://") && !target.hasPrefix("mailto:") {
                        result.append(Link(page: page, line: line, target: target))
                    }
                    rest = after[close...]
                }
            }
        }
        return result
    }

    /// The anchors of a page's headings, by GitHub's rules: lower case, punctuation other than
    /// `-` and `_` dropped, spaces to `-`, repeats numbered `-1`, `-2`.
    static func anchors(in text: String) -> Set<String> {
        var seen: [String: Int] = [:]
        var result: Set<String> = []
        for (_, line) in linesOutsideFences(text) where line.hasPrefix("#") {
            let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            var slug = ""
            for character in title.lowercased() {
                if character.isLetter || character.isNumber || character == "-" || character == "_" {
                    slug.append(character)
                } else if character == " " {
                    slug.append("-")
                }
            }
            let count = seen[slug, default: 0]
            seen[slug] = count + 1
            result.insert(count == 0 ? slug : "\(slug)-\(count)")
        }
        return result
    }

    /// Splits a command line the way a shell would for simple lines: words separated by spaces,
    /// single and double quotes grouping, `\` escaping one character, `#` starting a comment.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var word: String?
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                word = (word ?? "") + String(character)
                escaped = false
            } else if let open = quote {
                if character == open { quote = nil } else { word = (word ?? "") + String(character) }
            } else if character == "\\" {
                escaped = true
            } else if character == "'" || character == "\"" {
                quote = character
                word = word ?? ""
            } else if character == " " || character == "\t" {
                if let done = word { words.append(done) }
                word = nil
            } else if character == "#" && word == nil {
                break
            } else {
                word = (word ?? "") + String(character)
            }
        }
        if let done = word { words.append(done) }
        return words
    }
}
