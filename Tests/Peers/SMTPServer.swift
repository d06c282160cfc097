import Foundation

/// The Python SMTP server (`smtp_server.py`, aiosmtpd), started on 127.0.0.1 for one test and
/// stopped with it. Recipients answer by local part: `tempfail@` 451, `reject@` 550, `flaky@`
/// 451 once then accepted, `slow@` a DATA reply after 3 s.
public final class SMTPServer: Sendable {
    private let peer: PeerProcess
    /// Where `--tls` put the self-signed certificate (the client's CA file).
    public let certificate: String?
    private let directory: URL

    /// A message the server accepted.
    public struct Received: Decodable {
        public let mailFrom: String
        public let rcptTos: [String]
        public let data: String
        public let tls: Bool
        public let login: String?
        public let parsed: Parsed

        enum CodingKeys: String, CodingKey {
            case mailFrom = "mail_from", rcptTos = "rcpt_tos", data, tls, login, parsed
        }
    }

    /// The message as Python's `email` package parsed it.
    public struct Parsed: Decodable {
        public let headers: [String: String]
        public let contentType: String
        public let parts: [Part]
        public let defects: [String]

        enum CodingKeys: String, CodingKey {
            case headers, contentType = "content_type", parts, defects
        }
    }

    /// One MIME part, decoded.
    public struct Part: Decodable {
        public let type: String
        public let charset: String?
        public let text: String
    }

    /// Starts the server; `auth` ("user:password") requires AUTH, `tls` offers STARTTLS with a
    /// fresh self-signed certificate for 127.0.0.1, `requireTLS` refuses mail without it.
    public init(auth: String? = nil, tls: Bool = false, requireTLS: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var options: [String] = []
        if let auth { options += ["--auth", auth] }
        if tls { options += ["--tls", directory.path] }
        if requireTLS { options.append("--require-tls") }
        certificate = tls ? directory.appendingPathComponent("cert.pem").path : nil
        peer = try PeerProcess(script: "smtp_server.py", arguments: { [$0] + options }, hint: "is aiosmtpd installed? scripts/setup installs it")
    }

    /// `smtp://127.0.0.1:<port>`.
    public var url: String { "smtp://127.0.0.1:\(peer.port)" }

    /// What the server accepted so far.
    public func received() throws -> [Received] {
        try peer.records(Received.self)
    }

    public func stop() {
        peer.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
