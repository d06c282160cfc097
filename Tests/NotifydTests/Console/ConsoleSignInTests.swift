import Crypto
import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Templates
import Testing
@testable import notifyd

/// Signing in to the console with an API token: sessions stored hashed, cookie attributes,
/// redirects to and back from the sign-in page, no open redirect, sign-out, the limit on
/// failed attempts, and the headers every page carries.
struct ConsoleSignInTests {
    @Test func aPageWithoutASessionSendsToTheSignInPageAndBack() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let response = try await client.page("/organizations/acme/issues/?query=is%3Aresolved", nil)
                #expect(response.status == .seeOther)
                let location = try #require(response.headers[.location])
                #expect(location == "/login?next=%2Forganizations%2Facme%2Fissues%2F%3Fquery%3Dis%253Aresolved")

                let form = try await client.page(location, nil)
                let next = try #require(form.text.hiddenValue("next"))
                #expect(next == "/organizations/acme/issues/?query=is%3Aresolved")
                let cookie = try #require(form.cookie(ConsoleSessions.loginCookieName))
                let signedIn = try await client.postForm(
                    "/login", cookie: "\(ConsoleSessions.loginCookieName)=\(cookie)",
                    fields: [("csrf", try #require(form.text.hiddenValue("csrf"))), ("token", TestDaemon.readToken), ("next", next)])
                #expect(signedIn.status == .seeOther)
                #expect(signedIn.headers[.location] == next)
            }
        }
    }

    @Test func theSessionIsARandomIdStoredOnlyAsItsDigestInAHardenedCookie() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let form = try await client.page("/login", nil)
                let cookie = try #require(form.cookie(ConsoleSessions.loginCookieName))
                let response = try await client.postForm(
                    "/login", cookie: "\(ConsoleSessions.loginCookieName)=\(cookie)",
                    fields: [("csrf", try #require(form.text.hiddenValue("csrf"))), ("token", TestDaemon.adminToken)])
                let line = try #require(response.setCookie(ConsoleSessions.cookieName))
                #expect(line.contains("HttpOnly"))
                #expect(line.contains("SameSite=Lax"))
                #expect(line.contains("Secure"), "the test daemon's base URL is https")
                #expect(line.contains("Path=/"))
                let id = try #require(response.cookie(ConsoleSessions.cookieName))
                #expect(id.count == 64)
                let digest = SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined()
                let stored = try await test.daemon.engine.store.read { try $0.consoleSession(idDigest: digest) }
                #expect(stored?.tokenName == "admin")
                let counts = try await test.daemon.engine.store.read { try $0.rowCounts() }
                #expect(counts["console_session"] == 1)
                #expect(try await test.daemon.engine.store.read { try $0.consoleSession(idDigest: id) } == nil)
            }
        }
    }

    @Test func aPlainHTTPBaseURLGivesACookieWithoutSecure() async throws {
        try await withTestDaemon(configure: { $0.baseURL = "http://127.0.0.1:8080" }) { test in
            try await test.withClient { client in
                let form = try await client.page("/login", nil)
                let cookie = try #require(form.cookie(ConsoleSessions.loginCookieName))
                let response = try await client.postForm(
                    "/login", cookie: "\(ConsoleSessions.loginCookieName)=\(cookie)",
                    fields: [("csrf", try #require(form.text.hiddenValue("csrf"))), ("token", TestDaemon.readToken)], origin: "http://127.0.0.1:8080")
                let line = try #require(response.setCookie(ConsoleSessions.cookieName))
                #expect(!line.contains("Secure"))
            }
        }
    }

    @Test(arguments: ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "http:/x"])
    func aNextOutsideTheConsoleIsIgnored(_ next: String) async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let form = try await client.page("/login?" + ConsoleLinks.query([("next", next)]), nil)
                #expect(form.text.hiddenValue("next") == "")
                let cookie = try #require(form.cookie(ConsoleSessions.loginCookieName))
                let response = try await client.postForm(
                    "/login", cookie: "\(ConsoleSessions.loginCookieName)=\(cookie)",
                    fields: [("csrf", try #require(form.text.hiddenValue("csrf"))), ("token", TestDaemon.readToken), ("next", next)])
                #expect(response.headers[.location] == "/")
            }
        }
    }

    @Test func aWrongTokenIsRefusedAndFailuresAreLimitedPerAddress() async throws {
        try await withTestDaemon { test in
            // The daemon's burst, but no refill while the test runs, however slow the machine.
            var daemon = test.daemon
            daemon.loginLimiter = RateLimiter(rate: 1e-6, burst: 10)
            try await Application(router: daemon.router()).test(.router) { client in
                let form = try await client.page("/login", nil)
                let cookie = "\(ConsoleSessions.loginCookieName)=\(try #require(form.cookie(ConsoleSessions.loginCookieName)))"
                let csrf = try #require(form.text.hiddenValue("csrf"))
                let wrong = try await client.postForm("/login", cookie: cookie, fields: [("csrf", csrf), ("token", "not-a-token")])
                #expect(wrong.status == .unauthorized)
                #expect(wrong.text.contains("not one of this daemon&#39;s API tokens"))
                #expect(wrong.cookie(ConsoleSessions.cookieName) == nil)
                for _ in 0..<10 { _ = try await client.postForm("/login", cookie: cookie, fields: [("csrf", csrf), ("token", "guess")]) }
                // Over the limit even the right token waits.
                let limited = try await client.postForm("/login", cookie: cookie, fields: [("csrf", csrf), ("token", TestDaemon.readToken)])
                #expect(limited.status == .tooManyRequests)
                #expect(limited.cookie(ConsoleSessions.cookieName) == nil)
            }
        }
    }

    @Test func theSignInFormNeedsItsOwnTokenAndThisSitesOrigin() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let form = try await client.page("/login", nil)
                let cookie = "\(ConsoleSessions.loginCookieName)=\(try #require(form.cookie(ConsoleSessions.loginCookieName)))"
                let csrf = try #require(form.text.hiddenValue("csrf"))
                let noToken = try await client.postForm("/login", cookie: cookie, fields: [("token", TestDaemon.readToken)])
                #expect(noToken.status == .forbidden)
                let otherSite = try await client.postForm(
                    "/login", cookie: cookie, fields: [("csrf", csrf), ("token", TestDaemon.readToken)], origin: "https://evil.example")
                #expect(otherSite.status == .forbidden)
                #expect(otherSite.cookie(ConsoleSessions.cookieName) == nil)
            }
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                #expect(try await client.page("/organizations/acme/issues/", login).status == .ok)
                let out = try await client.post("/logout", login, fields: [])
                #expect(out.status == .seeOther)
                #expect(out.setCookie(ConsoleSessions.cookieName)?.contains("Max-Age=0") == true)
                #expect(try await client.page("/organizations/acme/issues/", login).status == .seeOther)
                let counts = try await test.daemon.engine.store.read { try $0.rowCounts() }
                #expect(counts["console_session"] == 0)
            }
        }
    }

    @Test func aSessionOfATokenNoLongerConfiguredEnds() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-console-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("data/notifyd.sqlite").path
        let login = try await withTestDaemon(configure: { $0.database = database }) { test in
            try await test.withClient { client in try await client.signIn(TestDaemon.writeToken) }
        }
        try await withTestDaemon(configure: { configuration in
            configuration.database = database
            configuration.tokens.removeAll { $0.name == "writer" }
        }) { test in
            try await test.withClient { client in
                let response = try await client.page("/organizations/acme/issues/", login)
                #expect(response.status == .seeOther)
            }
        }
    }

    @Test(arguments: [(ConsoleSessions.idleTimeout + 60, 0.0), (60.0, ConsoleSessions.lifetime + 60)])
    func aSessionEndsWhenIdleTooLongOrTooOld(_ idle: TimeInterval, _ age: TimeInterval) async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let digest = ConsoleSessions.digest(String(login.cookie.dropFirst(ConsoleSessions.cookieName.count + 1)))
                let now = Date()
                let session = ConsoleSession(
                    idDigest: digest, tokenName: "reader", csrfToken: login.csrf, createdAt: now.addingTimeInterval(-max(age, idle)),
                    lastSeenAt: now.addingTimeInterval(-idle))
                try await test.daemon.engine.store.write { transaction in
                    try transaction.deleteConsoleSession(idDigest: digest)
                    try transaction.insertConsoleSession(session)
                }
                let response = try await client.page("/organizations/acme/issues/", login)
                #expect(response.status == .seeOther)
            }
        }
    }

    @Test(arguments: ["/login", "/organizations/acme/issues/", "/organizations/acme/alerts/rules/", "/organizations/acme/deliveries/"])
    func everyPageCarriesTheSecurityHeaders(_ path: String) async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let response = try await client.page(path, path == "/login" ? nil : login)
                #expect(response.status == .ok)
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.contains("script-src 'self'"))
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(!response.text.contains("<script>"), "no inline script")
                #expect(!response.text.contains(" style=\""), "no inline style")
            }
        }
    }

    @Test func assetsAreServedWithTheirDigestForGood() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let css = try #require(test.daemon.consoleTemplates.asset("console.css"))
                let response = try await client.page("/_console/console.css?v=\(css.version)", nil)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
                #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable")
                #expect(Array(response.body.readableBytesView) == css.bytes)
                #expect(try await client.page("/_console/nothing.css", nil).status == .notFound)
            }
        }
    }
}
