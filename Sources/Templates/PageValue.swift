/// What a console page shows, as a tree of display-ready values: `Templates` renders it with
/// the page's Mustache template and knows nothing of where it came from (the daemon's console
/// builds it from issues, events, rules and deliveries).
///
/// Every text is HTML-escaped when a template writes it with `{{name}}`; the built-in templates
/// never use the unescaped `{{{name}}}`, so nothing a user sent can become markup.
public indirect enum PageValue: Sendable, Hashable {
    /// A text, escaped where it is written.
    case text(String)
    /// A condition for `{{#name}}…{{/name}}` and `{{^name}}…{{/name}}`.
    case flag(Bool)
    /// A list a section repeats over.
    case list([PageValue])
    /// Named values: a section over an object makes its names visible inside.
    case object([String: PageValue])

    /// A text, or `false` (the section is skipped) when there is none.
    public init(_ text: String?) {
        self = text.map(PageValue.text) ?? .flag(false)
    }

    /// What swift-mustache renders: strings, booleans, arrays and dictionaries.
    var mustacheValue: Any {
        switch self {
        case .text(let text): return text
        case .flag(let flag): return flag
        case .list(let values): return values.map(\.mustacheValue)
        case .object(let members): return members.mapValues(\.mustacheValue)
        }
    }
}

extension PageValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    /// A literal text.
    public init(stringLiteral value: String) { self = .text(value) }
}

extension PageValue: ExpressibleByBooleanLiteral {
    /// A literal condition.
    public init(booleanLiteral value: Bool) { self = .flag(value) }
}

extension PageValue: ExpressibleByArrayLiteral {
    /// A literal list.
    public init(arrayLiteral elements: PageValue...) { self = .list(elements) }
}

extension PageValue: ExpressibleByDictionaryLiteral {
    /// A literal object.
    public init(dictionaryLiteral elements: (String, PageValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
