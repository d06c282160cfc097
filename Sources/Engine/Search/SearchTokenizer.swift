/// Splits a search query into free text and `[!]key:value` filters, before any key is
/// interpreted: the syntax half of `IssueSearchParser`.
///
/// Terms are separated by spaces. A value may be quoted (`key:"a b"`; `\"` inside stands for a
/// quote) or a list (`key:[a, "b c"]`, which may hold spaces). `OR`, `AND` and parentheses that
/// group terms are refused: Sentry's issue search combines every term with AND.
struct SearchTokenizer {
    /// One piece of a query.
    enum Token: Equatable {
        /// A bare word or a quoted string.
        case text(String)
        /// `[!]key:value`; `raw` is the value as written, for error messages.
        case filter(key: String, value: Value, negated: Bool, raw: String)
    }

    /// A filter's value.
    enum Value: Equatable {
        case single(String)
        case list([String])
    }

    private let characters: [Character]
    private var index = 0

    init(_ query: String) {
        characters = Array(query)
    }

    /// Every token of the query, in order, with the offset (in characters, from 0) it starts
    /// at. An error names the offset of the token it was found in.
    mutating func tokens() throws(IssueSearchError) -> [(token: Token, offset: Int)] {
        var tokens: [(token: Token, offset: Int)] = []
        while true {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            guard index < characters.count else { return tokens }
            let start = index
            do {
                tokens.append((try token(), start))
            } catch {
                throw error.at(start)
            }
        }
    }

    private var current: Character? { index < characters.count ? characters[index] : nil }

    private var atEndOfToken: Bool { current.map(\.isWhitespace) ?? true }

    private mutating func token() throws(IssueSearchError) -> Token {
        let start = index
        if current == "\"" {
            return .text(try quoted(tokenStart: start))
        }
        while let character = current, !character.isWhitespace, character != ":", character != "\"" { index += 1 }
        let head = String(characters[start..<index])
        let negated = head.hasPrefix("!")
        let key = negated ? String(head.dropFirst()) : head
        guard current == ":", !key.isEmpty else {
            index = start
            return .text(try word())
        }
        if key.first == "(" { throw Self.parentheses }
        index += 1
        let valueStart = index
        let value: Value
        switch current {
        case "\""?:
            value = .single(try quoted(tokenStart: start))
        case "["?:
            value = .list(try list(tokenStart: start))
        default:
            let text = try run()
            guard !text.isEmpty else { throw IssueSearchError.query("Missing value for \"\(key):\".") }
            // `is:new)` closes a group; `function:(anonymous)` is just a value.
            if Self.closesGroup(text) { throw Self.parentheses }
            value = .single(text)
        }
        return .filter(key: key, value: value, negated: negated, raw: String(characters[valueStart..<index]))
    }

    /// Free text: a run that is neither a boolean operator nor a parenthesis grouping terms.
    private mutating func word() throws(IssueSearchError) -> String {
        let word = try run()
        if ["OR", "AND"].contains(word.uppercased()) {
            throw IssueSearchError.query("Boolean statements containing \"OR\" or \"AND\" are not supported in this search")
        }
        let unnegated = word.hasPrefix("!") ? word.dropFirst() : Substring(word)
        if unnegated.first == "(" || Self.closesGroup(word) { throw Self.parentheses }
        return word
    }

    /// The characters up to the next space; a quote among them is an error.
    private mutating func run() throws(IssueSearchError) -> String {
        let start = index
        while !atEndOfToken { index += 1 }
        let text = String(characters[start..<index])
        if text.contains("\"") { throw Self.invalidQuote(text) }
        return text
    }

    /// A quoted string starting at the current quote; it must end the token.
    private mutating func quoted(tokenStart: Int) throws(IssueSearchError) -> String {
        guard let (text, end) = Self.unquote(characters[index...]) else { throw Self.invalidQuote(restOfToken(from: tokenStart)) }
        index = end
        guard atEndOfToken else { throw Self.invalidQuote(restOfToken(from: tokenStart)) }
        return text
    }

    /// A bracketed list starting at the current `[`: items separated by commas, each plain or
    /// quoted. It must end the token.
    private mutating func list(tokenStart: Int) throws(IssueSearchError) -> [String] {
        var close = index + 1
        var inQuote = false
        while close < characters.count, inQuote || characters[close] != "]" {
            if inQuote, characters[close] == "\\", close + 1 < characters.count, characters[close + 1] == "\"" {
                close += 2
                continue
            }
            if characters[close] == "\"" { inQuote.toggle() }
            close += 1
        }
        guard close < characters.count else {
            throw IssueSearchError.query("Invalid list \(String(characters[tokenStart...])): missing the closing ']'.")
        }
        let body = characters[(index + 1)..<close]
        index = close + 1
        let text = restOfToken(from: tokenStart)
        guard atEndOfToken else { throw IssueSearchError.query("Invalid list \(text): the list must end the term.") }

        var items: [String] = []
        var itemStart = body.startIndex
        var position = body.startIndex
        inQuote = false
        while position < body.endIndex {
            if inQuote, body[position] == "\\", position + 1 < body.endIndex, body[position + 1] == "\"" {
                position += 2
                continue
            }
            if body[position] == "\"" {
                inQuote.toggle()
            } else if body[position] == ",", !inQuote {
                items.append(try Self.listItem(body[itemStart..<position], list: text))
                itemStart = position + 1
            }
            position += 1
        }
        items.append(try Self.listItem(body[itemStart...], list: text))
        return items
    }

    /// One list item, trimmed; a quoted item must be quoted whole.
    private static func listItem(_ item: ArraySlice<Character>, list: String) throws(IssueSearchError) -> String {
        var (start, end) = (item.startIndex, item.endIndex)
        while start < end, item[start].isWhitespace { start += 1 }
        while end > start, item[end - 1].isWhitespace { end -= 1 }
        let characters = item[start..<end]
        guard let first = characters.first else { throw IssueSearchError.query("Invalid list \(list): every item needs a value.") }
        guard first == "\"" else {
            if characters.contains("\"") { throw invalidQuote(list) }
            return String(characters)
        }
        guard let (text, end) = unquote(characters), end == characters.endIndex else { throw invalidQuote(list) }
        return text
    }

    /// The text of the quoted string that starts `characters` and the index after its closing
    /// quote; `nil` if the quote is never closed.
    private static func unquote(_ characters: ArraySlice<Character>) -> (String, Int)? {
        var text = ""
        var position = characters.startIndex + 1
        while position < characters.endIndex, characters[position] != "\"" {
            if characters[position] == "\\", position + 1 < characters.endIndex, characters[position + 1] == "\"" {
                position += 1
            }
            text.append(characters[position])
            position += 1
        }
        guard position < characters.endIndex else { return nil }
        return (text, position + 1)
    }

    /// The token from `start` to the next space, for messages.
    private func restOfToken(from start: Int) -> String {
        var end = index
        while end < characters.count, !characters[end].isWhitespace { end += 1 }
        return String(characters[start..<end])
    }

    private static func invalidQuote(_ text: String) -> IssueSearchError {
        IssueSearchError.query("Invalid quote at '\(text)': quotes must enclose text or be escaped.")
    }

    private static let parentheses = IssueSearchError.query(
        "Parentheses are not supported in this search: every term is combined with AND (quote text that contains parentheses).")

    /// `… is:new)`: a closing parenthesis with no opening one before it in the same word
    /// (`foo()` and `count()` are words, not groups).
    private static func closesGroup(_ text: some StringProtocol) -> Bool {
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" {
                depth -= 1
                if depth < 0 { return true }
            }
        }
        return false
    }
}
