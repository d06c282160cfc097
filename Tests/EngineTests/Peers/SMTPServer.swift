import Foundation

/// The Python SMTP server (`smtp_server.py`, aiosmtpd), started on 127.0.0.1 for one test and
/// stopped with it. Recipients answer by local part: `tempfail@` 451, `reject@` 550, `flaky@`
/// 451 once then accepted, `slow@` a DATA reply after 3 s.
final class SMTPServer: Sendable {
    private let peer: PeerProcess
    /// Where `--tls` put the self-signed certificate (the client's CA file).
    let certificate: String?
    private let directory: URL

    /// A message the server accepted.
    struct Received: Decodable {
        let mailFrom: String
        let rcptTos: [String]
        let data: String
        let tls: Bool
        let login: String?
        let parsed: Parsed

        enum CodingKeys: String, CodingKey {
            case mailFrom = "mail_from", rcptTos = "rcpt_tos", data, tls, login, parsed
        }
    }

    /// The message as Python's `email` package parsed it.
    struct Parsed: Decodable {
        let headers: [String: String]
        let contentType: String
        let parts: [Part]
        let defects: [String]

        enum CodingKeys: String, CodingKey {
            case headers, contentType = "content_type", parts, defects
        }
    }

    /// One MIME part, decoded.
    struct Part: Decodable {
        let type: String
        let charset: String?
        let text: String
    }

    /// Starts the server; `auth` ("user:password") requires AUTH, `tls` offers STARTTLS with a
    /// fresh self-signed certificate for 127.0.0.1, `requireTLS` refuses mail without it.
    init(auth: String? = nil, tls: Bool = false, requireTLS: Bool = false) throws {
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
    var url: String { "smtp://127.0.0.1:\(peer.port)" }

    /// What the server accepted so far.
    func received() throws -> [Received] {
        try peer.records(Received.self)
    }

    func stop() {
        peer.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
