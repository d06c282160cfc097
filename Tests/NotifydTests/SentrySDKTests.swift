import Engine
import Foundation
import TestPeers
import Testing
@testable import notifyd

/// The Sentry endpoints with the real Python SDK (`sentry-sdk`, installed by `scripts/setup`):
/// a live `notifyd serve`, the DSN it printed, `sentry_client.py` scenarios sent by the SDK's
/// own transport, and what the issues API shows afterwards. What the SDK cannot be made to send
/// (a `br` body, the store endpoint, a key only in the envelope header) goes over raw HTTP.
///
/// Serialized: each test starts a daemon and a Python process, and the machine running them
/// may be small.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SentrySDKTests {
    // MARK: Grouping

    @Test func exceptionsGroupByTypeAndStackAndLogMessagesByFormatString() async throws {
        try await withSentryDaemon { daemon in
            let run = try await daemon.client("grouping")
            #expect(run.requests.allSatisfy { $0.status == 200 }, "\(run.requests)")

            // Two values, two raise sites in the same function: one issue, titled by the last.
            let valueError = try await daemon.issue(event: run.event("value_error_1"))
            #expect(try await daemon.issue(event: run.event("value_error_2"))["id"] == valueError["id"])
            #expect(valueError["count"] == "2")
            #expect(valueError["title"] == "ValueError: capture refused for order 17 by the gateway")
            #expect(valueError["culprit"] == "__main__ in charge")
            let keyError = try await daemon.issue(event: run.event("key_error"))
            #expect(keyError["id"] != valueError["id"])
            #expect(keyError["count"] == "1")
            #expect(keyError["title"] == "KeyError: 'order 5'")

            // The logging integration sends the format string and its parameters apart.
            let message = try await daemon.issue(event: run.event("message_1"))
            #expect(try await daemon.issue(event: run.event("message_2"))["id"] == message["id"])
            #expect(message["count"] == "2")
            #expect(message["title"] == "Payment 17 failed for user bob")
            let other = try await daemon.issue(event: run.event("other_message"))
            #expect(other["id"] != message["id"])
            #expect(try await daemon.issues("").count == 4)
        }
    }

    @Test func explicitFingerprintsGroupAsGivenWithAndWithoutTheDefault() async throws {
        try await withSentryDaemon { daemon in
            let run = try await daemon.client("fingerprints")
            #expect(run.requests.count == 7 && run.requests.allSatisfy { $0.status == 200 }, "\(run.requests)")

            // ["checkout-timeout"]: two exception types, two functions, one issue.
            let timeout = try await daemon.issue(event: run.event("timeout_charge"))
            #expect(try await daemon.issue(event: run.event("timeout_reserve"))["id"] == timeout["id"])
            #expect(timeout["count"] == "2")

            // ["{{ default }}", "tenant-a"]: the default grouping, split by tenant.
            let tenantA = try await daemon.issue(event: run.event("tenant_a_1"))
            #expect(try await daemon.issue(event: run.event("tenant_a_2"))["id"] == tenantA["id"])
            #expect(tenantA["count"] == "2")
            let tenantB = try await daemon.issue(event: run.event("tenant_b"))
            let tenantAOther = try await daemon.issue(event: run.event("tenant_a_other"))
            let plain = try await daemon.issue(event: run.event("default"))
            let ids = [timeout, tenantA, tenantB, tenantAOther, plain].map { $0["id"] }
            #expect(Set(ids.compactMap { $0?.stringValue }).count == 5, "\(ids)")
            #expect([tenantB, tenantAOther, plain].allSatisfy { $0["count"] == "1" })
        }
    }

    // MARK: What an event carries

    @Test func releaseAndEnvironmentArriveAndAreSearchable() async throws {
        try await withSentryDaemon { daemon in
            let run = try await daemon.client("single", options: ["--release", "shop@2.4.1", "--environment", "staging"])
            let issue = try await daemon.issue(event: run.event("error"))
            let latest = try await daemon.latestEvent(of: issue)
            #expect(latest["id"]?.stringValue == (try run.event("error")))
            #expect(latest["release"] == "shop@2.4.1")
            #expect(latest["environment"] == "staging")
            #expect(latest["platform"] == "python")

            #expect(try await daemon.issues("release:shop@2.4.1").map { $0["id"] } == [issue["id"]])
            #expect(try await daemon.issues("environment:staging").map { $0["id"] } == [issue["id"]])
            #expect(try await daemon.issues("release:shop@2.4.2").isEmpty)
            #expect(try await daemon.issues("environment:production").isEmpty)
        }
    }

    @Test func feedbackAndAUserReportBecomeFeedbackIssuesLinkedToTheError() async throws {
        try await withSentryDaemon { daemon in
            let run = try await daemon.client("feedback")
            #expect(run.requests.map(\.items) == [["event"], ["feedback"], ["user_report"]])
            #expect(run.requests.allSatisfy { $0.status == 200 }, "\(run.requests)")
            let error = try run.event("error")

            let feedback = try await daemon.issues("issue.category:feedback")
            #expect(feedback.count == 2, "\(feedback)")
            #expect(feedback.allSatisfy { $0["issueCategory"] == "feedback" })
            // Feedback stays out of the default search, as in Sentry.
            let errorIssue = try await daemon.issue(event: error)
            #expect(try await daemon.issues(nil).map { $0["id"] } == [errorIssue["id"]])

            let fromEnvelope = try await daemon.issue(event: run.event("feedback"))
            #expect(fromEnvelope["title"] == "User Feedback: The checkout button does nothing")
            let report = try #require(feedback.first { $0["id"] != fromEnvelope["id"] })
            #expect(report["title"] == "User Feedback: It failed after I entered my card")
            for issue in [fromEnvelope, report] {
                let tags = try await daemon.tags(of: daemon.latestEvent(of: issue))
                #expect(tags["associated_event_id"] == error, "\(tags)")
                #expect(tags["has_linked_error"] == "true", "\(tags)")
            }
        }
    }

    // MARK: The request

    @Test func theSDKGzipsByDefaultAndAnUncompressedEnvelopeWorksToo() async throws {
        try await withSentryDaemon { daemon in
            let compressed = try await daemon.client("single")
            #expect(compressed.requests.map(\.encoding) == ["gzip"])
            #expect(compressed.requests.map(\.status) == [200])
            // The answer is Sentry's: the event id.
            let answer = try JSONValue.parse(compressed.requests.first?.body ?? "")
            #expect(answer == .object(["id": .string(try compressed.event("error"))]))

            let plain = try await daemon.client("single", options: ["--compression-level", "0"])
            #expect(plain.requests.map(\.encoding) == [nil])
            #expect(plain.requests.map(\.status) == [200])
            let issue = try await daemon.issue(event: plain.event("error"))
            #expect(try await daemon.issue(event: compressed.event("error"))["id"] == issue["id"])
            #expect(issue["count"] == "2")
        }
    }

    @Test func aWrongKeyIsUnauthorizedAndAnUnknownProjectNotFound() async throws {
        try await withSentryDaemon { daemon in
            let wrongKey = try await daemon.client("single", dsn: daemon.dsn(key: "0123456789abcdef0123456789abcdef"))
            #expect(wrongKey.requests.map(\.status) == [401], "\(wrongKey.requests)")
            let unknownProject = try await daemon.client("single", dsn: daemon.dsn(projectID: "999"))
            #expect(unknownProject.requests.map(\.status) == [404], "\(unknownProject.requests)")
            #expect(try await daemon.issues("").isEmpty)
        }
    }

    @Test func aMalformedItemIsABadRequestNamingItWhileTheValidItemMakesItsIssue() async throws {
        try await withSentryDaemon { daemon in
            let run = try await daemon.client("malformed")
            let request = try #require(run.requests.first)
            #expect(request.items == ["event", "event"])
            #expect(request.status == 400)
            let answer = try JSONValue.parse(request.body ?? "")
            #expect(answer["field"] == "items[1]", "\(answer)")
            #expect(answer["detail"]?.stringValue?.contains("item 1 (event)") == true, "\(answer)")
            let issue = try await daemon.issue(event: run.event("valid"))
            #expect(issue["title"] == "RuntimeError: sent next to a broken item")
            #expect(try await daemon.issues("").count == 1)
        }
    }

    /// What the Python SDK never sends: another encoding, the legacy store endpoint, a key only
    /// in the envelope header or the query.
    @Test func rawRequestsForEncodingsTheStoreEndpointAndKeysOutsideTheHeader() async throws {
        try await withSentryDaemon { daemon in
            let eventID = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let envelope = Self.envelope(eventID: eventID, header: #""dsn": "\#(daemon.dsn)""#)
            let auth = ["X-Sentry-Auth": "Sentry sentry_key=\(DaemonTests.key), sentry_version=7", "Content-Type": "application/x-sentry-envelope"]

            let brotli = try await daemon.process.request(
                "POST", "/api/1/envelope/", headers: auth.merging(["Content-Encoding": "br"]) { $1 }, body: envelope)
            #expect(brotli.status == 415, "\(brotli.text)")
            #expect(brotli.text.contains("'br'"), "\(brotli.text)")

            // Authenticated by the envelope header's DSN alone, gzipped.
            let gzipped = try await daemon.process.request(
                "POST", "/api/1/envelope/", headers: ["Content-Encoding": "gzip"], body: Gzip.compress(envelope))
            #expect(gzipped.status == 200, "\(gzipped.text)")
            #expect(try JSONValue.parse(gzipped.body)["id"]?.stringValue == eventID)

            let corrupt = try await daemon.process.request(
                "POST", "/api/1/envelope/", headers: auth.merging(["Content-Encoding": "gzip"]) { $1 }, body: envelope)
            #expect(corrupt.status == 400, "\(corrupt.text)")

            // The store endpoint: one JSON event, the key in the query.
            let storeID = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let store = try await daemon.process.request(
                "POST", "/api/1/store/?sentry_key=\(DaemonTests.key)&sentry_version=7", headers: ["Content-Type": "application/json"],
                body: Self.event(eventID: storeID))
            #expect(store.status == 200, "\(store.text)")
            #expect(try JSONValue.parse(store.body)["id"]?.stringValue == storeID)
            let stored = try await daemon.issue(event: storeID)
            #expect(stored["title"] == "ZeroDivisionError: division by zero")
            #expect(stored["culprit"] == "shop.cart in total")
            #expect(try await daemon.issue(event: eventID)["id"] == stored["id"])
            #expect(stored["count"] == "2")

            let unauthenticated = try await daemon.process.request("POST", "/api/1/store/", body: Self.event(eventID: storeID))
            #expect(unauthenticated.status == 401, "\(unauthenticated.text)")
        }
    }

    @Test func overItsRateTheSDKIsAnswered429AndStopsSending() async throws {
        try await withSentryDaemon(extra: "limits:\n  requests_per_second: 1\n  burst: 1") { daemon in
            let run = try await daemon.client("burst")
            let statuses = run.requests.map(\.status)
            #expect(statuses.first == 200, "\(run.requests)")
            let limited = try #require(run.requests.first { $0.status == 429 }, "\(run.requests)")
            let wait = try #require(limited.retryAfter.flatMap(Int.init), "\(limited)")
            #expect(wait >= 1)
            #expect(limited.rateLimits == "\(wait)::organization")
            // The SDK read the header: it stopped sending every category.
            #expect(run.disabled == ["all"])
            #expect(run.requests.count < 10, "\(run.requests)")
        }
    }

    // MARK: Fixtures

    /// An envelope of one Python-shaped error event, with more header fields after `header`.
    static func envelope(eventID: String, header: String) -> Data {
        let event = event(eventID: eventID)
        return Data(#"{"event_id": "\#(eventID)", \#(header)}"#.utf8) + Data("\n{\"type\": \"event\", \"length\": \(event.count)}\n".utf8) + event
            + Data("\n".utf8)
    }

    /// An error event as the Python SDK sends it, trimmed to what grouping reads.
    static func event(eventID: String) -> Data {
        Data(
            """
            {"event_id": "\(eventID)", "timestamp": \(Date().timeIntervalSince1970), "platform": "python", "level": "error",
             "exception": {"values": [{"type": "ZeroDivisionError", "value": "division by zero", "mechanism": {"type": "generic", "handled": true},
               "stacktrace": {"frames": [
                 {"filename": "shop/app.py", "module": "shop.app", "function": "checkout", "lineno": 40, "in_app": true},
                 {"filename": "shop/cart.py", "module": "shop.cart", "function": "total", "lineno": 12, "in_app": true}]}}]},
             "sdk": {"name": "sentry.python", "version": "2.75.0"}}
            """.utf8)
    }
}

/// A live daemon (`DaemonTests`' configuration: organization `acme`, project `backend` with id
/// 1) with the DSN it printed, the SDK client pointed at it, and its issues API.
struct SentryDaemon {
    let process: DaemonProcess
    /// The DSN `notifyd serve` printed for the project.
    let dsn: String

    /// The printed DSN with another key or project id.
    func dsn(key: String? = nil, projectID: String? = nil) throws -> String {
        var components = try #require(URLComponents(string: dsn))
        if let key { components.user = key }
        if let projectID { components.path = "/\(projectID)" }
        return try #require(components.string)
    }

    /// Runs a `sentry_client.py` scenario against the daemon's DSN (or another).
    func client(_ scenario: String, dsn: String? = nil, options: [String] = []) async throws -> SentryClient.Run {
        try await SentryClient.run(dsn: dsn ?? self.dsn, scenario: scenario, options: options)
    }

    /// The issues a search finds (`nil`: the default search, `""`: every issue).
    func issues(_ query: String?) async throws -> [JSONValue] {
        var components = URLComponents()
        components.queryItems = query.map { [URLQueryItem(name: "query", value: $0)] }
        let answer = try await get("/api/0/organizations/acme/issues/?\(components.percentEncodedQuery ?? "")")
        return try #require(try JSONValue.parse(answer.body).arrayValue, "\(answer.text)")
    }

    /// The one issue an event went into (the search's direct hit by event id).
    func issue(event id: String) async throws -> JSONValue {
        let answer = try await get("/api/0/organizations/acme/issues/?query=\(id)")
        #expect(answer.headers["x-sentry-direct-hit"] == "1", "no issue has event \(id): \(answer.text)")
        let issues = try #require(try JSONValue.parse(answer.body).arrayValue)
        return try #require(issues.count == 1 ? issues.first : nil, "\(answer.text)")
    }

    /// The latest event of an issue.
    func latestEvent(of issue: JSONValue) async throws -> JSONValue {
        let id = try #require(issue["id"]?.stringValue)
        return try JSONValue.parse(try await get("/api/0/organizations/acme/issues/\(id)/events/latest/").body)
    }

    /// An event's tags as a dictionary.
    func tags(of event: JSONValue) -> [String: String] {
        let pairs = (event["tags"]?.arrayValue ?? []).compactMap { tag -> (String, String)? in
            guard let key = tag["key"]?.stringValue, let value = tag["value"]?.stringValue else { return nil }
            return (key, value)
        }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    private func get(_ path: String) async throws -> DaemonProcess.Answer {
        let answer = try await process.request("GET", path, headers: ["Authorization": "Bearer \(DaemonTests.key)"])
        try #require(answer.status == 200, "GET \(path): \(answer.status) \(answer.text)")
        return answer
    }
}

/// Runs `body` with a live daemon on a fresh directory, then stops it (it must exit cleanly).
func withSentryDaemon(extra: String = "", _ body: (SentryDaemon) async throws -> Void) async throws {
    try await withTemporaryDirectory { directory in
        let config = try DaemonTests.configuration(in: directory, extra: extra)
        let process = try await DaemonProcess(["--config", config.path, "--log-level", "warning"], in: directory)
        let summary = process.stdout
        let line = try #require(summary.range(of: "DSN: ").map { summary[$0.upperBound...].prefix { !$0.isWhitespace } }, "\(summary)")
        do {
            try await body(SentryDaemon(process: process, dsn: String(line)))
        } catch {
            await process.stop()
            throw error
        }
        #expect(await process.stop() == 0, "\(process.stderr.suffix(4000))")
    }
}
