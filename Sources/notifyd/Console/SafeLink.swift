import Foundation
import Templates

/// A URL someone sent (a request URL, a feedback page): always shown as text, and a link only
/// when it is `http` or `https`, so `javascript:` and `data:` URLs can never run.
enum SafeLink {
    /// `{text, href}` where `href` is `false` unless the URL is http(s).
    static func value(_ text: String) -> PageValue {
        ["text": .text(text), "href": isWeb(text) ? .text(text) : false]
    }

    static func isWeb(_ text: String) -> Bool {
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https", components.host?.isEmpty == false
        else { return false }
        return true
    }
}
