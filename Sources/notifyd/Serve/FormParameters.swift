import Foundation

/// A query string read as HTML forms and Sentry (Django) read it: `+` is a space, then
/// percent-escapes are decoded — so `?query=is%3Aunresolved+level%3Aerror`, as Python's
/// `requests` sends it, means `is:unresolved level:error`.
struct FormParameters {
    /// The name–value pairs, in order.
    let pairs: [(name: String, value: String)]

    init(_ query: String?) {
        pairs = (query ?? "").split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// Parameters from pairs already decoded.
    init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// The first value of `name`.
    subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value of a repeated `name`.
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// The pairs but `excluded`, encoded back so they read the same (`+` in a value as `%2B`).
    func encoded(excluding excluded: String, adding extra: (String, String)) -> String {
        var components = URLComponents()
        components.queryItems = (pairs.filter { $0.name != excluded } + [extra]).map { URLQueryItem(name: $0.0, value: $0.1) }
        return (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
