import Foundation
import Templates
import Testing

/// The MIME output, parsed back by a real parser: Python's `email` package.
struct MailMessageTests {
    /// Parses a message with Python's `email` and returns what it saw, as JSON.
    static func parse(_ message: String) throws -> [String: Any] {
        let script = """
            import email, email.policy, json, sys
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            parts = [{"type": p.get_content_type(), "charset": p.get_content_charset(), "cte": p["Content-Transfer-Encoding"],
                      "body": p.get_content()} for p in m.iter_parts()]
            print(json.dumps({"content_type": m.get_content_type(), "subject": str(m["Subject"]), "to": str(m["To"]),
                              "from": str(m["From"]), "message_id": m["Message-ID"], "in_reply_to": m["In-Reply-To"],
                              "references": m["References"], "list_id": m["List-Id"], "date": m["Date"],
                              "defects": [str(d) for d in m.defects], "parts": parts}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(message.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func message(_ mail: RenderedMail, startsThread: Bool) -> MailMessage {
        MailMessage(
            from: "notifyd@notifyd.example.com", to: "dev@example.com", mail: mail, date: Date(timeIntervalSince1970: 1_763_978_400),
            threadRoot: MailMessage.threadRoot(groupID: 42, recipient: "dev@example.com", domain: "notifyd.example.com"),
            startsThread: startsThread, uniqueID: "5a0e2c7f9b3d4e61@notifyd.example.com", listID: "backend.acme.notifyd")
    }

    @Test func aRealParserSeesBothPartsAndTheHeaders() throws {
        var context = MailSamples.feedback(message: "Grüße aus Köln — ça marche pas 🙃\nLine two with a very long tail that goes on and on and on and on past seventy-six characters = fine")
        context.title = "User Feedback: Grüße aus Köln — ça marche pas 🙃 and a subject long enough to need several encoded words"
        let mail = try MailTemplates().render(.feedback, context)
        let parsed = try Self.parse(message(mail, startsThread: true).rendered())

        #expect(parsed["content_type"] as? String == "multipart/alternative")
        #expect((parsed["defects"] as? [String])?.isEmpty == true)
        #expect(parsed["subject"] as? String == mail.subject)
        #expect(parsed["to"] as? String == "dev@example.com")
        #expect((parsed["from"] as? String)?.contains("notifyd@notifyd.example.com") == true)
        #expect(parsed["list_id"] as? String == "<backend.acme.notifyd>")
        #expect(parsed["date"] as? String == "Mon, 24 Nov 2025 10:00:00 +0000")
        let parts = try #require(parsed["parts"] as? [[String: Any]])
        #expect(parts.map { $0["type"] as? String } == ["text/plain", "text/html"], "text first, then HTML")
        #expect(parts.allSatisfy { $0["charset"] as? String == "utf-8" && $0["cte"] as? String == "quoted-printable" })
        #expect((parts[0]["body"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == mail.text)
        #expect((parts[1]["body"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == mail.html)
    }

    @Test func laterMailsThreadUnderTheFirst() throws {
        let mail = try MailTemplates().render(.regression, MailSamples.issue(header: "Regressed issue"))
        let first = try Self.parse(message(mail, startsThread: true).rendered())
        let later = try Self.parse(message(mail, startsThread: false).rendered())
        let root = try #require(first["message_id"] as? String)
        #expect(first["in_reply_to"] is NSNull && first["references"] is NSNull)
        #expect(later["message_id"] as? String != root)
        #expect(later["in_reply_to"] as? String == root)
        #expect(later["references"] as? String == root)
        let other = MailMessage.threadRoot(groupID: 42, recipient: "ops@example.com", domain: "notifyd.example.com")
        #expect("<\(other)>" != root, "threads are per recipient")
        #expect(MailMessage.threadRoot(groupID: 42, recipient: "DEV@example.com", domain: "notifyd.example.com") == MailMessage.threadRoot(groupID: 42, recipient: "dev@example.com", domain: "notifyd.example.com"))
    }

    @Test func headersCannotBeInjected() throws {
        var mail = try MailTemplates().render(.issueAlert, MailSamples.issue())
        mail.subject = "Hello\r\nBcc: victim@example.com"
        var message = message(mail, startsThread: true)
        message.to = "dev@example.com\r\nBcc: other@example.com"
        let text = message.rendered()
        let headerBlock = text.components(separatedBy: "\r\n\r\n")[0]
        #expect(!headerBlock.split(separator: "\r\n").contains { $0.hasPrefix("Bcc:") })
        #expect(text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 998 }, "RFC 5322 line length")
    }
}
