import Engine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Templates

/// The frame every console page shares — the layout's values (path prefix, organization,
/// assets, who is signed in, which tab is current, a message after an action) — and the
/// response that carries a page with its security headers.
struct ConsolePage {
    /// Which top-level section a page belongs to.
    enum Section: String {
        case issues, feedback, rules, deliveries, mail
    }

    /// The messages a page may show after an action (Post/Redirect/Get passes the key, never text).
    static let notices: [String: (kind: String, text: String)] = [
        "resolved": ("ok", "Resolved."), "resolved_next_release": ("ok", "Resolved in the next release."),
        "ignored": ("ok", "Ignored."), "unresolved": ("ok", "Unresolved."), "deleted": ("ok", "Deleted."),
        "redelivered": ("ok", "Queued for delivery again."), "rejected": ("error", "That change does not apply to this issue."),
        "none": ("error", "Select at least one issue first."), "signed_out": ("ok", "Signed out."),
    ]

    let templates: ConsoleTemplates
    let links: ConsoleLinks
    var organization: Organization?
    var user: ConsoleUser?
    var section: Section?
    var notice: String?
    /// For a bulk action: how many issues it changed.
    var noticeCount: Int?

    /// The page `template` with `values` over the shared frame.
    func render(_ template: String, title: String, _ values: [String: PageValue], status: HTTPResponse.Status = .ok) -> Response {
        var context = values
        context["title"] = .text(title)
        context["root"] = .text(links.root)
        context["org"] = .text(organization?.slug ?? "")
        context["assets"] = [
            "css": .text(templates.asset("console.css")?.version ?? ""), "js": .text(templates.asset("console.js")?.version ?? ""),
            "icon": .text(templates.asset("icon.svg")?.version ?? ""),
        ]
        if let user {
            context["session"] = ["name": .text(user.tokenName), "scope": .text(user.highestScope.rawValue), "csrf": .text(user.csrfToken)]
            context["csrf"] = .text(user.csrfToken)
            context["canWrite"] = .flag(user.may(.write))
            context["canAdmin"] = .flag(user.may(.admin))
        } else {
            context["session"] = false
        }
        if let section { context["nav"] = .object([section.rawValue: true]) }
        if let notice, let message = Self.notices[notice] {
            var text = message.text
            if let count = noticeCount {
                text = "\(count) issue\(count == 1 ? "" : "s") \(text.lowercased())"
            }
            context["flash"] = ["kind": .text(message.kind), "message": .text(text)]
        }
        return Self.html(templates.render(template, .object(context)), status: status)
    }

    /// An HTML answer with the console's security headers: a policy that allows no inline
    /// script or style and nothing from another origin, no framing, no referrer to other sites,
    /// no type sniffing, and no caching of pages that show private data.
    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        secure(&headers)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Adds the security headers every console answer carries.
    static func secure(_ headers: inout HTTPFields, framing: String = "'none'", styles: String = "'self'") {
        headers[.contentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; style-src \(styles); img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-src 'self'; frame-ancestors \(framing); base-uri 'none'"
        headers[HTTPField.Name("X-Frame-Options")!] = framing == "'none'" ? "DENY" : "SAMEORIGIN"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[.xContentTypeOptions] = "nosniff"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }

    /// A 303 to `location` (Post/Redirect/Get), with extra headers such as cookies.
    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        secure(&headers)
        return Response(status: .seeOther, headers: headers)
    }
}
