import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Templates

/// The console: server-rendered pages at the paths notifyd's emails and webhooks link to (the
/// issue stream and page, rules, the outbox, the replay link of feedback), with sign-in by API
/// token. Pages read through the same engine calls as the API, and actions go through the same
/// status path, so activities, webhooks and metrics behave the same whichever was used.
///
/// Every page and action works without JavaScript; `console.js` only adds shortcuts.
struct ConsoleRoutes {
    let daemon: Daemon

    var links: ConsoleLinks { daemon.consoleLinks }
    var sessions: ConsoleSessions { daemon.consoleSessions }

    func register(on router: Router<DaemonRequestContext>) {
        router.get("/") { request, _ -> Response in try await home(request) }
        router.get("/_console/{asset}") { request, context -> Response in try asset(request, context) }
        router.get("/login") { request, _ -> Response in try await loginPage(request) }
        router.post("/login") { request, context -> Response in try await login(request, context) }
        router.post("/logout") { request, _ -> Response in try await logout(request) }

        router.get("/organizations/{organization}/issues") { request, context -> Response in
            try await page(request, context) { try await stream($0, $1, $2) }
        }
        router.post("/organizations/{organization}/issues") { request, context -> Response in
            try await action(request, context) { try await bulkAction($0, $1, $2, $3) }
        }
        router.get("/organizations/{organization}/issues/{issue}") { request, context -> Response in
            try await page(request, context) { try await issuePage($0, $1, $2, context) }
        }
        router.post("/organizations/{organization}/issues/{issue}") { request, context -> Response in
            try await action(request, context) { try await issueAction($0, $1, $2, $3, context) }
        }
        router.get("/organizations/{organization}/issues/{issue}/events") { request, context -> Response in
            try await page(request, context) { try await eventsPage($0, $1, $2, context) }
        }
        router.get("/organizations/{organization}/issues/{issue}/events/{event}/json") { request, context -> Response in
            try await page(request, context) { try await eventJSON($0, $1, $2, context) }
        }
        router.get("/organizations/{organization}/alerts/rules") { request, context -> Response in
            try await page(request, context) { try await rulesPage($0, $1, $2) }
        }
        router.get("/organizations/{organization}/alerts/rules/{project}/{rule}/details") { request, context -> Response in
            try await page(request, context) { try await rulePage($0, $1, $2, context) }
        }
        router.get("/organizations/{organization}/deliveries") { request, context -> Response in
            try await page(request, context) { try await deliveriesPage($0, $1, $2) }
        }
        router.post("/organizations/{organization}/deliveries/redeliver-dead") { request, context -> Response in
            try await action(request, context, scope: .admin) { try await redeliverDead($0, $1, $2, $3) }
        }
        router.get("/organizations/{organization}/deliveries/{delivery}") { request, context -> Response in
            try await page(request, context) { try await deliveryPage($0, $1, $2, context) }
        }
        router.post("/organizations/{organization}/deliveries/{delivery}/redeliver") { request, context -> Response in
            try await action(request, context, scope: .admin) { try await redeliver($0, $1, $2, $3, context) }
        }
        router.get("/organizations/{organization}/replays/{replay}") { request, context -> Response in
            try await page(request, context) { try await replayPage($0, $1, $2, context) }
        }
        router.get("/settings/account/notifications/alerts") { request, context -> Response in
            try await signedIn(request) { user in try await settingsPage(request, user) }
        }
    }

    // MARK: Access

    /// Runs a page of an organization for a signed-in user with `event:read`; without a session
    /// the answer is a redirect to the sign-in page, which comes back here afterwards.
    func page(
        _ request: Request, _ context: DaemonRequestContext,
        _ body: (Request, ConsoleUser, Organization) async throws -> Response
    ) async throws -> Response {
        try await signedIn(request) { user in
            let organization = try await organization(context)
            return try await body(request, user, organization)
        }
    }

    /// Runs `body` for the signed-in user, rendering errors as pages.
    func signedIn(_ request: Request, _ body: (ConsoleUser) async throws -> Response) async throws -> Response {
        guard let user = try await sessions.user(request) else {
            return ConsolePage.redirect(links.login(next: links.root + request.uri.description))
        }
        do {
            return try await body(user)
        } catch let error as APIError {
            return errorPage(error, user: user)
        }
    }

    /// Runs a POST form: a signed-in session with `scope`, the session's anti-forgery token and
    /// a same-site origin; 403 otherwise, whatever the page showed.
    func action(
        _ request: Request, _ context: DaemonRequestContext, scope: Scope = .write,
        _ body: (Request, ConsoleUser, Organization, FormParameters) async throws -> Response
    ) async throws -> Response {
        var request = request
        guard let user = try await sessions.user(request) else {
            return errorPage(APIError(.forbidden, "Sign in first: your session has ended."), user: nil)
        }
        let form = try await Self.form(&request)
        guard sessions.isGenuine(request, form: form, expected: user.csrfToken) else {
            return errorPage(APIError(.forbidden, "This form was not sent from a page of this console (or your session changed). Go back, reload and try again."), user: user)
        }
        guard user.may(scope) else {
            return errorPage(APIError.forbidden(scope), user: user)
        }
        do {
            let organization = try await organization(context)
            return try await body(request, user, organization, form)
        } catch let error as APIError {
            return errorPage(error, user: user)
        }
    }

    /// The form fields of a POST body (at most 64 KiB).
    static func form(_ request: inout Request) async throws -> FormParameters {
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        return FormParameters(String(buffer: buffer))
    }

    func organization(_ context: DaemonRequestContext) async throws -> Organization {
        let slug = try context.parameters.require("organization")
        guard let organization = try await daemon.engine.store.read({ try $0.organization(slug: slug) }) else {
            throw APIError.notFound("There is no organization '\(slug)'.")
        }
        return organization
    }

    func frame(_ user: ConsoleUser?, _ organization: Organization?, _ section: ConsolePage.Section?, request: Request? = nil) -> ConsolePage {
        let parameters = FormParameters(request?.uri.query)
        return ConsolePage(
            templates: daemon.consoleTemplates, links: links, organization: organization, user: user, section: section,
            notice: parameters["done"], noticeCount: parameters["count"].flatMap(Int.init))
    }

    func errorPage(_ error: APIError, user: ConsoleUser?) -> Response {
        let titles: [Int: String] = [400: "That did not work", 403: "Not allowed", 404: "Not found", 429: "Slow down"]
        let title = titles[error.status.code] ?? "Something went wrong"
        var links: [PageValue] = []
        if user != nil { links.append(["url": .text(self.links.root + "/"), "label": "Back to the issues"]) }
        return frame(user, nil, nil).render(
            "message", title: title, ["heading": .text(title), "paragraphs": [.text(error.detail)], "links": .list(links)], status: error.status)
    }

    // MARK: Home, assets, sign-in

    /// `/`: the first organization's issue stream.
    func home(_ request: Request) async throws -> Response {
        let first = try await daemon.engine.store.read { try $0.organizations().first }
        guard let first else { return ConsolePage.redirect(links.login(next: nil)) }
        return ConsolePage.redirect(links.issues(first.slug))
    }

    func asset(_ request: Request, _ context: DaemonRequestContext) throws -> Response {
        let name = try context.parameters.require("asset")
        guard let asset = daemon.consoleTemplates.asset(name) else { throw APIError.notFound("No asset named \(name)") }
        var headers: HTTPFields = [.contentType: asset.contentType]
        // Links carry the content's digest, so a cached copy is never stale.
        headers[.cacheControl] = request.uri.queryParameters["v"].map { _ in "public, max-age=31536000, immutable" } ?? "no-cache"
        ConsolePage.secure(&headers)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    func loginPage(_ request: Request, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let next = links.safeNext(FormParameters(request.uri.query)["next"]) ?? ""
        if error == nil, !next.isEmpty || request.uri.query == nil, try await sessions.user(request) != nil {
            return ConsolePage.redirect(next.isEmpty ? links.root + "/" : next)
        }
        // The form's anti-forgery token rides in a cookie of its own until a session exists.
        let token = request.cookies[ConsoleSessions.loginCookieName]?.value ?? Credentials.generateKey()
        var response = frame(nil, nil, nil).render(
            "login", title: "Sign in", ["csrf": .text(token), "next": .text(next), "error": PageValue(error)], status: status)
        response.setCookie(sessions.cookie(token, name: ConsoleSessions.loginCookieName, maxAge: 3600))
        return response
    }

    func login(_ request: Request, _ context: DaemonRequestContext) async throws -> Response {
        var request = request
        let form = try await Self.form(&request)
        let client = context.remoteAddress?.ipAddress ?? "unknown"
        guard let expected = request.cookies[ConsoleSessions.loginCookieName]?.value, sessions.isGenuine(request, form: form, expected: expected)
        else {
            return try await loginPage(request, error: "The sign-in form expired. Please try again.", status: .forbidden)
        }
        if daemon.loginLimiter.isLimited(client) {
            return try await loginPage(request, error: "Too many failed sign-ins from your address. Wait a minute and try again.", status: .tooManyRequests)
        }
        guard let token = form["token"], let (cookieValue, _) = try await sessions.signIn(token: token.trimmingCharacters(in: .whitespaces)) else {
            _ = daemon.loginLimiter.acquire(client)
            daemon.logger.notice("console sign-in refused", metadata: ["client": "\(client)"])
            return try await loginPage(request, error: "That token is not one of this daemon's API tokens.", status: .unauthorized)
        }
        var response = ConsolePage.redirect(links.safeNext(form["next"]) ?? links.root + "/")
        response.setCookie(sessions.cookie(cookieValue))
        response.setCookie(sessions.cookie("", name: ConsoleSessions.loginCookieName, maxAge: 0))
        return response
    }

    func logout(_ request: Request) async throws -> Response {
        var request = request
        let form = try await Self.form(&request)
        if let user = try await sessions.user(request) {
            guard sessions.isGenuine(request, form: form, expected: user.csrfToken) else {
                return errorPage(APIError(.forbidden, "This form was not sent from a page of this console."), user: user)
            }
            try await sessions.signOut(user)
        }
        var response = ConsolePage.redirect(links.login(next: nil))
        response.setCookie(sessions.cookie("", maxAge: 0))
        return response
    }
}
