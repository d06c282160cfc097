import Engine
import Foundation
import Templates
import TestPeers
import Testing

/// The SMTP channel against a real SMTP server (aiosmtpd): MIME and threading as a parser sees
/// them, retry classification, AUTH and STARTTLS.
struct SMTPChannelTests {
    static let title = "Zahlung fehlgeschlagen: Größe ≠ 42 ✓"

    /// An engine whose rule emails new issues and regressions to `addresses`, with one issue ingested.
    func setUp(to addresses: [String], clock: TestClock = TestClock()) async throws -> TestEngine {
        let rules = try RuleLoader().load(files: [("r.yml", """
            rules:
              - id: mail
                name: Mail the team
                triggers: [new_issue, regression]
                match: any
                frequency: 5m
                actions: [{email: {to: [\(addresses.joined(separator: ", "))]}}]
            """)])
        let test = try await TestEngine(handlers: [RuleEvaluator(rules: rules, now: clock.function)], clock: clock)
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id, title: Self.title).json)
        return test
    }

    func renderer() throws -> DeliveryRenderer {
        DeliveryRenderer(
            builder: MailContextBuilder(baseURL: "https://notifyd.example.com"), templates: try MailTemplates(), from: "notifyd@notifyd.example.com")
    }

    /// One dispatcher round through an SMTP channel; returns the deliveries, oldest first.
    @discardableResult
    func dispatch(_ test: TestEngine, _ configuration: SMTPChannel.Configuration) async throws -> [Delivery] {
        let channel = try SMTPChannel(renderer: renderer(), configuration: configuration)
        let dispatcher = Dispatcher(
            store: test.store, channels: [.email: channel], configuration: .init(retry: RetryPolicy(delays: [.seconds(5), .seconds(60)], jitter: 0)),
            now: test.clock.function, random: { 0.5 })
        do {
            try await dispatcher.runOnce()
        } catch {
            try await channel.shutdown()
            throw error
        }
        try await channel.shutdown()
        return try await test.store.read { try $0.deliveries(state: nil, limit: 10) }
    }

    func attempts(_ test: TestEngine, _ delivery: Delivery) async throws -> [DeliveryAttempt] {
        let id = delivery.id
        return try await test.store.read { try $0.deliveryAttempts(deliveryID: id) }
    }

    @Test func aDeliveredEmailParsesWithItsHeadersAndBothParts() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        let test = try await setUp(to: ["dev@example.com"])
        let delivery = try #require(try await dispatch(test, .init(url: server.url, startTLS: .never)).first)
        #expect(delivery.state == .delivered)
        #expect(try await attempts(test, delivery).map(\.statusCode) == [250])

        let renderer = try renderer()
        let expected = try await test.store.read { try renderer.render(delivery, to: "dev@example.com", in: $0) }
        let received = try server.received()
        try #require(received.count == 1)
        let mail = received[0]
        #expect(mail.mailFrom == "notifyd@notifyd.example.com" && mail.rcptTos == ["dev@example.com"] && !mail.tls && mail.login == nil)
        let headers = mail.parsed.headers
        #expect(headers["From"] == "notifyd <notifyd@notifyd.example.com>")
        #expect(headers["To"] == "dev@example.com")
        #expect(headers["Subject"] == expected.mail.subject && expected.mail.subject.contains(Self.title))
        #expect(headers["Message-ID"] == "<\(expected.message.messageID)>")
        #expect(headers["Date"] == "Sun, 15 Jun 2025 15:06:40 +0000")
        #expect(headers["List-Id"] == "<backend.acme.notifyd>")
        #expect(headers["In-Reply-To"] == nil, "the first mail about an issue starts its thread")
        #expect(mail.parsed.contentType == "multipart/alternative" && mail.parsed.defects.isEmpty)
        #expect(mail.parsed.parts.map(\.type) == ["text/plain", "text/html"])
        #expect(mail.parsed.parts.allSatisfy { $0.charset == "utf-8" })
        #expect(mail.parsed.parts[0].text.contains(Self.title) && mail.parsed.parts[1].text.contains(Self.title))
        let unix = { (text: String) in text.replacingOccurrences(of: "\r\n", with: "\n") }
        #expect(unix(mail.parsed.parts[0].text) == unix(expected.mail.text))
        #expect(!mail.data.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF line endings only")
    }

    @Test func theSecondMailAboutAnIssueRepliesToTheFirst() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        let clock = TestClock()
        let test = try await setUp(to: ["dev@example.com"], clock: clock)
        try await dispatch(test, .init(url: server.url, startTLS: .never))
        let group = try #require(try await test.group(fingerprint: "some-fingerprint"))
        _ = try await test.engine.changeStatus(groupID: group.id, to: .resolved)
        clock.advance(by: 600)
        _ = await test.ingest(Messages.occurrence(projectID: test.project.id, title: Self.title).json)
        let deliveries = try await dispatch(test, .init(url: server.url, startTLS: .never))
        #expect(deliveries.map(\.kind) == [.issueCreated, .issueRegressed] && deliveries.allSatisfy { $0.state == .delivered })

        let received = try server.received().map(\.parsed.headers)
        try #require(received.count == 2)
        let first = try #require(received[0]["Message-ID"])
        #expect(received[1]["Message-ID"] != first)
        #expect(received[1]["In-Reply-To"] == first && received[1]["References"] == first)
    }

    @Test func temporaryFailuresAreRetriedAndRecorded() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        let clock = TestClock()
        let test = try await setUp(to: ["flaky@example.com", "tempfail@example.com"], clock: clock)
        var deliveries = try await dispatch(test, .init(url: server.url, startTLS: .never))
        try #require(deliveries.count == 2)
        #expect(deliveries.map(\.state) == [.pending, .pending] && deliveries.map(\.attempts) == [1, 1])
        #expect(deliveries[0].lastError?.hasPrefix("451 4.7.1 Greylisted") == true)
        #expect(deliveries[1].nextAttemptAt == clock.now.addingTimeInterval(5))

        clock.advance(by: 5)
        deliveries = try await dispatch(test, .init(url: server.url, startTLS: .never))
        #expect(deliveries[0].state == .delivered && deliveries[0].attempts == 2, "greylisting passes")
        #expect(deliveries[1].state == .pending && deliveries[1].attempts == 2)
        #expect(deliveries[1].lastError == "451 4.3.0 Mailbox temporarily unavailable (RCPT failed: 451)")
        #expect(try await attempts(test, deliveries[1]).map(\.statusCode) == [451, 451])
        #expect(try server.received().map(\.rcptTos) == [["flaky@example.com"]])
    }

    @Test func aPermanentRejectionIsDeadAtOnce() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        let test = try await setUp(to: ["reject@example.com"])
        let delivery = try #require(try await dispatch(test, .init(url: server.url, startTLS: .never)).first)
        #expect(delivery.state == .dead && delivery.attempts == 1)
        #expect(delivery.lastError == "550 5.1.1 No such user here (RCPT failed: 550)")
        #expect(try await attempts(test, delivery).map(\.statusCode) == [550])
    }

    @Test func aRefusedConnectionIsRetried() async throws {
        let server = try SMTPServer()
        let url = server.url
        server.stop()
        let test = try await setUp(to: ["dev@example.com"])
        let delivery = try #require(try await dispatch(test, .init(url: url, startTLS: .never)).first)
        #expect(delivery.state == .pending && delivery.attempts == 1)
        #expect(delivery.lastError?.contains("Failed to connect to 127.0.0.1") == true)
        #expect(try await attempts(test, delivery).map(\.statusCode) == [nil])
    }

    @Test func aServerSlowerThanTheTimeoutIsRetried() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        let test = try await setUp(to: ["slow@example.com"])
        let delivery = try #require(try await dispatch(test, .init(url: server.url, startTLS: .never, timeout: .seconds(1))).first)
        #expect(delivery.state == .pending && delivery.attempts == 1)
        #expect(delivery.lastError == "server response timeout")
    }

    @Test func authUsesTheCredentialsNamedInTheConfigurationAndNeverRecordsThem() async throws {
        let server = try SMTPServer(auth: "mailer:s3cret-pass")
        defer { server.stop() }
        let test = try await setUp(to: ["dev@example.com"])
        func configuration(_ environment: [String: String]) -> SMTPChannel.Configuration {
            .init(url: server.url, startTLS: .never, usernameEnv: "SMTP_USER", passwordEnv: "SMTP_PASSWORD", environment: environment)
        }
        var delivery = try #require(try await dispatch(test, configuration(["SMTP_USER": "mailer"])).first)
        #expect(delivery.state == .pending && delivery.lastError == "the SMTP credentials variable SMTP_PASSWORD is not set")

        test.clock.advance(by: 5)
        delivery = try #require(try await dispatch(test, configuration(["SMTP_USER": "mailer", "SMTP_PASSWORD": "s3cret-pass"])).first)
        #expect(delivery.state == .delivered)
        #expect(try server.received().map(\.login) == ["mailer"])
    }

    @Test func aRefusedLoginIsDeadAndTheErrorHoldsNoCredentials() async throws {
        let server = try SMTPServer(auth: "mailer:s3cret-pass")
        defer { server.stop() }
        let test = try await setUp(to: ["dev@example.com"])
        let delivery = try #require(
            try await dispatch(
                test,
                .init(url: server.url, startTLS: .never, usernameEnv: "U", passwordEnv: "P", environment: ["U": "mailer", "P": "wrong-pass"])
            ).first)
        #expect(delivery.state == .dead)
        let error = try #require(delivery.lastError)
        #expect(error.hasPrefix("535 ") && !error.contains("wrong-pass") && !error.contains("mailer"))
        #expect(try server.received().isEmpty)
    }

    @Test func requiredSTARTTLSAgainstATLSServerWithAuth() async throws {
        let server = try SMTPServer(auth: "mailer:s3cret-pass", tls: true, requireTLS: true)
        defer { server.stop() }
        let test = try await setUp(to: ["dev@example.com"])
        let delivery = try #require(
            try await dispatch(
                test,
                .init(
                    url: server.url, startTLS: .required, usernameEnv: "U", passwordEnv: "P", caFile: server.certificate,
                    environment: ["U": "mailer", "P": "s3cret-pass"])
            ).first)
        #expect(delivery.state == .delivered)
        let received = try server.received()
        #expect(received.map(\.tls) == [true] && received.map(\.login) == ["mailer"])
    }

    @Test func requiredSTARTTLSFailsAgainstAPlainServerAndIsRetried() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        let test = try await setUp(to: ["dev@example.com"])
        let delivery = try #require(try await dispatch(test, .init(url: server.url, startTLS: .required)).first)
        #expect(delivery.state == .pending && delivery.lastError?.contains("STARTTLS") == true)
        #expect(try server.received().isEmpty)
    }

    @Test func anUntrustedCertificateIsRetriedNotSentInPlainText() async throws {
        let server = try SMTPServer(tls: true)
        defer { server.stop() }
        let test = try await setUp(to: ["dev@example.com"])
        let delivery = try #require(try await dispatch(test, .init(url: server.url, startTLS: .optional)).first)
        #expect(delivery.state == .pending && delivery.lastError?.contains("certificate") == true)
        #expect(try await attempts(test, delivery).map(\.statusCode) == [nil], "the 220 before the handshake is no verdict")
        #expect(try server.received().isEmpty)
    }

    @Test func oneMessagePerRecipient() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        let test = try await setUp(to: ["ana@example.com", "ben@example.com"])
        let deliveries = try await dispatch(test, .init(url: server.url, startTLS: .never))
        #expect(deliveries.map(\.target) == ["ana@example.com", "ben@example.com"] && deliveries.allSatisfy { $0.state == .delivered })
        let received = try server.received().sorted { $0.rcptTos[0] < $1.rcptTos[0] }
        #expect(received.map(\.rcptTos) == [["ana@example.com"], ["ben@example.com"]])
        #expect(received.map { $0.parsed.headers["To"] } == ["ana@example.com", "ben@example.com"])
        #expect(Set(received.compactMap { $0.parsed.headers["Message-ID"] }).count == 2, "each recipient has a thread of their own")
    }

    @Test(arguments: [
        (SMTPChannel.Configuration(url: "ftp://127.0.0.1:25"), "url"), (.init(url: "smtp://"), "url"),
        (.init(url: "smtp://mailer:s3cret@127.0.0.1:25"), "url"), (.init(url: "smtps://127.0.0.1:465", startTLS: .never), "startTLS"),
        (.init(url: "smtp://127.0.0.1:25", usernameEnv: "U"), "usernameEnv/passwordEnv"), (.init(url: "smtp://127.0.0.1:25", threads: 0), "threads"),
    ])
    func configurationsThatCannotWorkAreRefused(configuration: SMTPChannel.Configuration, field: String) throws {
        let error = try #require(throws: SMTPChannel.ConfigurationError.self) {
            try SMTPChannel(renderer: renderer(), configuration: configuration)
        }
        #expect(error.field == field && !error.description.contains("s3cret"))
    }
}
