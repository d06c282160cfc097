import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import notifyd

/// A signed-in console session, as a browser holds it: the session cookie and the token its
/// forms carry.
struct ConsoleLogin: Sendable {
    var cookie: String
    var csrf: String
}

extension TestClientProtocol {
    /// Signs in through the sign-in form, as a browser would: GET the form (its cookie and
    /// hidden token), POST the token, keep the session cookie, read the session's form token.
    func signIn(_ token: String, root: String = "") async throws -> ConsoleLogin {
        let form = try await execute(uri: "\(root)/login", method: .get, headers: [:], body: nil)
        #expect(form.status == .ok)
        let loginCookie = try #require(form.cookie(ConsoleSessions.loginCookieName))
        let formToken = try #require(form.text.hiddenValue("csrf"))
        let response = try await postForm(
            "\(root)/login", cookie: "\(ConsoleSessions.loginCookieName)=\(loginCookie)", fields: [("csrf", formToken), ("token", token), ("next", "")])
        #expect(response.status == .seeOther, "\(response.text)")
        let session = try #require(response.cookie(ConsoleSessions.cookieName), "no session cookie: \(response.headers)")
        let page = try await execute(uri: "\(root)/settings/account/notifications/alerts/", method: .get, headers: [.cookie: "\(ConsoleSessions.cookieName)=\(session)"], body: nil)
        return ConsoleLogin(cookie: "\(ConsoleSessions.cookieName)=\(session)", csrf: try #require(page.text.hiddenValue("csrf")))
    }

    /// A page, with the session's cookie.
    func page(_ uri: String, _ login: ConsoleLogin?) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: login.map { [.cookie: $0.cookie] } ?? [:], body: nil)
    }

    /// A form POST with the session's cookie and token (unless `csrf` says otherwise), from this
    /// site's origin by default.
    func post(_ uri: String, _ login: ConsoleLogin, fields: [(String, String)], csrf: String? = nil, origin: String? = "https://notifyd.test") async throws -> TestResponse {
        try await postForm(uri, cookie: login.cookie, fields: [("csrf", csrf ?? login.csrf)] + fields, origin: origin)
    }

    func postForm(_ uri: String, cookie: String?, fields: [(String, String)], origin: String? = "https://notifyd.test") async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        if let origin { headers[.origin] = origin }
        let body = ConsoleLinks.query(fields)
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

extension TestResponse {
    /// The value a `Set-Cookie` of the answer gives `name`.
    func cookie(_ name: String) -> String? {
        for field in headers[values: .setCookie] {
            let pair = field.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0] == name { return String(pair[1]) }
        }
        return nil
    }

    /// The whole `Set-Cookie` line for `name`.
    func setCookie(_ name: String) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix("\(name)=") }
    }
}

extension String {
    /// The value of the first hidden input named `name`.
    func hiddenValue(_ name: String) -> String? {
        guard let range = range(of: #"<input type="hidden" name="\#(name)" value=""#) else { return nil }
        let rest = self[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
