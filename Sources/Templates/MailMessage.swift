public import Foundation

/// A complete email ready for SMTP or a `.eml` file (RFC 5322 + MIME): `multipart/alternative`
/// with the text part first and the HTML part second, both UTF-8 and quoted-printable.
///
/// Threading is stateless: every mail about one issue to one recipient names the same thread
/// root (`threadRoot`, derived from the issue and recipient). The first mail of a thread
/// (`startsThread`) uses it as its own `Message-ID`; later ones carry it in `In-Reply-To` and
/// `References`, so mail clients show them as one conversation.
public struct MailMessage: Sendable, Hashable {
    /// The sender address (`notifyd@example.com`).
    public var from: String
    /// The sender's display name.
    public var fromName: String
    /// The one recipient (notifyd sends one message per recipient).
    public var to: String
    /// The rendered mail.
    public var mail: RenderedMail
    /// When it was written.
    public var date: Date
    /// The thread root's id, without angle brackets (`issue-42.1a2b…@notifyd.example.com`).
    public var threadRoot: String
    /// Whether this is the first mail of the thread.
    public var startsThread: Bool
    /// A unique id for this mail (used when it does not start the thread).
    public var uniqueID: String
    /// `List-Id` value without brackets (`backend.acme.notifyd`).
    public var listID: String

    /// Creates a message.
    public init(
        from: String, fromName: String = "notifyd", to: String, mail: RenderedMail, date: Date, threadRoot: String, startsThread: Bool,
        uniqueID: String, listID: String
    ) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.mail = mail
        self.date = date
        self.threadRoot = threadRoot
        self.startsThread = startsThread
        self.uniqueID = uniqueID
        self.listID = listID
    }

    /// The thread root for an issue and a recipient: stable, so every mail about the issue to
    /// that person threads, and different per person (a reply never leaks another address).
    public static func threadRoot(groupID: Int64, recipient: String, domain: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across processes, unlike Hasher
        for byte in recipient.lowercased().utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return "issue-\(groupID).\(String(hash, radix: 16))@\(domain)"
    }

    /// The `Message-ID` of this mail, without brackets.
    public var messageID: String { startsThread ? threadRoot : uniqueID }

    /// The message text with CRLF line endings.
    public func rendered() -> String {
        let boundary = "notifyd-alt-\(uniqueID.filter { $0.isLetter || $0.isNumber })"
        var headers = [
            "From: \(MIMEEncoding.headerWords(fromName)) <\(MIMEEncoding.headerValue(from))>",
            "To: <\(MIMEEncoding.headerValue(to))>",
            "Subject: \(MIMEEncoding.headerWords(mail.subject))",
            "Date: \(MIMEEncoding.date(date))",
            "Message-ID: <\(MIMEEncoding.headerValue(messageID))>",
        ]
        if !startsThread {
            headers.append("In-Reply-To: <\(MIMEEncoding.headerValue(threadRoot))>")
            headers.append("References: <\(MIMEEncoding.headerValue(threadRoot))>")
        }
        headers += [
            "List-Id: <\(MIMEEncoding.headerValue(listID))>",
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        var lines = headers + [""]
        for (type, body) in [("text/plain", mail.text), ("text/html", mail.html)] {
            lines += [
                "--\(boundary)",
                "Content-Type: \(type); charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                MIMEEncoding.quotedPrintable(body),
            ]
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
