import Engine
import Foundation
import Testing

/// The envelope format: header line, items with and without `length`, blank and CRLF lines,
/// empty payloads, malformed items among good ones, malformed headers, and DSNs.
struct EnvelopeTests {
    private func parse(_ text: String) throws -> Envelope {
        try Envelope(parsing: Data(text.utf8))
    }

    private func items(_ envelope: Envelope) -> [EnvelopeItem] {
        envelope.items.compactMap { try? $0.get() }
    }

    @Test func capturedPythonEnvelopeParses() throws {
        let envelope = try Envelope(parsing: try SDKFixtures.data("python-exception.envelope"))
        #expect(envelope.header.eventID == "6ea6a4ad0d0a4f0c9b0e5e3b9fd5a2c1")
        #expect(envelope.header.sentAt == Timestamp.parse("2025-06-15T15:06:30.200000Z"))
        #expect(envelope.header.members["trace"]?["public_key"] == "0123456789abcdef0123456789abcdef")
        let parsed = items(envelope)
        #expect(parsed.map(\.type) == ["event", "client_report"])
        #expect(parsed.map(\.index) == [0, 1])
        #expect(parsed[0].headers["content_type"] == "application/json")
        #expect(try JSONValue.parse(parsed[0].payload)["event_id"] == "6ea6a4ad0d0a4f0c9b0e5e3b9fd5a2c1")
    }

    @Test func lengthAndLineDelimitedItemsMix() throws {
        // A length-delimited payload may itself contain newlines; a payload without length ends at
        // the next newline; the last item needs no trailing newline.
        let envelope = try parse(
            #"{"event_id":"9ec79c33-ec99-42ab-8353-589fcb2e04dc"}"# + "\n" + #"{"type":"attachment","length":11}"# + "\nline1\nline2\n"
                + #"{"type":"session"}"# + "\n" + #"{"sid":"x"}"# + "\n" + #"{"type":"client_report"}"# + "\n{}")
        #expect(envelope.header.eventID == "9ec79c33ec9942ab8353589fcb2e04dc")
        let parsed = items(envelope)
        #expect(parsed.map(\.type) == ["attachment", "session", "client_report"])
        #expect(parsed.map { String(decoding: $0.payload, as: UTF8.self) } == ["line1\nline2", "{\"sid\":\"x\"}", "{}"])
    }

    @Test func lengthDelimitedPayloadNeedsNoNewlineBeforeTheNextHeader() throws {
        let envelope = try parse("{}\n{\"type\":\"a\",\"length\":2}\nAB{\"type\":\"b\",\"length\":0}\n")
        let parsed = items(envelope)
        #expect(parsed.map(\.type) == ["a", "b"])
        #expect(parsed.map(\.payload) == [Data("AB".utf8), Data()])
    }

    @Test func emptyPayloadsAndTrailingBlankLines() throws {
        let envelope = try parse("{}\n{\"type\":\"attachment\",\"length\":0}\n\n{\"type\":\"session\"}\n\n\n\n")
        let parsed = items(envelope)
        #expect(parsed.map(\.type) == ["attachment", "session"])
        #expect(parsed.allSatisfy { $0.payload.isEmpty })
        #expect(envelope.items.count == 2)
    }

    @Test func headerOnlyEnvelopesHaveNoItems() throws {
        #expect(try parse("{}").items.isEmpty)
        #expect(try parse("{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\"}\n").items.isEmpty)
    }

    @Test func crlfLinesParse() throws {
        let lines = [#"{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc"}"#, #"{"type":"event","length":2}"#, "{}", #"{"type":"session"}"#, #"{"sid":"x"}"#]
        let envelope = try parse(lines.map { $0 + "\r\n" }.joined())
        let parsed = items(envelope)
        #expect(envelope.header.eventID == "9ec79c33ec9942ab8353589fcb2e04dc")
        #expect(parsed.map(\.type) == ["event", "session"])
        #expect(parsed[0].payload == Data("{}".utf8))
        // Without a length the `\r` stays in the payload, which JSON reads as whitespace.
        #expect(try JSONValue.parse(parsed[1].payload) == ["sid": "x"])
    }

    @Test func malformedItemsAreReportedAndTheOthersKept() throws {
        let envelope = try parse(
            """
            {}
            {"type":"event"}
            {"message":"first"}
            not a header
            {"garbage": true}
            {"length":2}
            {}
            {"type":"session","length":-1}
            {"sid":"y"}
            {"type":"feedback"}
            {"message":"last"}
            {"type":"attachment","length":500}
            short
            """)
        #expect(envelope.items.count == 6)
        let errors = envelope.items.compactMap { result -> EnvelopeItemError? in
            if case .failure(let error) = result { return error }
            return nil
        }
        #expect(errors.map(\.index) == [1, 2, 3, 5])
        #expect(errors.map(\.type) == ["unknown", "unknown", "session", "attachment"])
        #expect(errors.allSatisfy { $0.code == .malformed })
        #expect(errors[0].reason == "the item header is not a JSON object")
        #expect(errors[1].reason == "the item header has no type")
        #expect(errors[2].description == "item 3 (session): length must be a non-negative integer, got -1")
        #expect(errors[3].reason.contains("runs past the end of the envelope"))
        #expect(items(envelope).map(\.type) == ["event", "feedback"])
        #expect(items(envelope).map(\.index) == [0, 4])
    }

    @Test func malformedHeadersAreTypedErrors() {
        /// `code/field` of the error, or `parsed`.
        func failure(_ text: String) -> String {
            do {
                _ = try Envelope(parsing: Data(text.utf8))
                return "parsed"
            } catch {
                return "\(error.code)/\(error.field)"
            }
        }
        #expect(failure("") == "empty/")
        #expect(failure("\n{\"type\":\"event\"}\n{}") == "empty/")
        #expect(failure("{not json}\n") == "invalid_header/")
        #expect(failure("[1,2]\n") == "invalid_header/")
        #expect(failure("{\"event_id\":\"nope\"}\n") == "invalid_header/event_id")
        #expect(failure("{\"dsn\":\"https://example.com/1\"}\n") == "invalid_header/dsn")
        #expect(failure("{\"sent_at\":\"yesterday\"}\n") == "invalid_header/sent_at")
        #expect(failure("{\"sdk\":\"python\"}\n") == "invalid_header/sdk")
        #expect(failure("{}\n") == "parsed")
    }

    @Test func headerDSNGivesKeyAndProject() throws {
        let envelope = try parse(
            #"{"dsn":"https://0123abcd@notifyd.example.com:8443/sentry/42","sdk":{"name":"sentry.javascript.browser","version":"8.9.2"}}"# + "\n")
        let dsn = try #require(envelope.header.dsn)
        #expect(dsn.publicKey == "0123abcd")
        #expect(dsn.projectID == 42)
        #expect(dsn.host == "notifyd.example.com" && dsn.port == 8443 && dsn.path == "/sentry" && dsn.scheme == "https")
        #expect(dsn.description == "https://0123abcd@notifyd.example.com:8443/sentry/42")
        #expect(envelope.header.sdkName == "sentry.javascript.browser")
        #expect(envelope.header.sdkVersion == "8.9.2")
    }

    @Test func dsnParsing() throws {
        let legacy = try DSN(parsing: "http://public:secret@localhost/7")
        #expect(legacy.publicKey == "public" && legacy.secretKey == "secret" && legacy.projectID == 7 && legacy.path.isEmpty)
        #expect(legacy.description == "http://public@localhost/7", "the secret key is never printed")
        for bad in ["ftp://key@host/1", "https://host/1", "https://key@host/", "https://key@host/project", "not a dsn"] {
            #expect(throws: DSN.ParseError.self, "\(bad)") { try DSN(parsing: bad) }
        }
    }
}
