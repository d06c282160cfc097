internal import CCurl
import Foundation

/// One SMTP transaction — one sender, one recipient, one message — through a libcurl easy
/// handle of its own.
///
/// `perform()` blocks its thread for up to `timeout`, so the SMTP channel runs it on its own
/// thread pool, never on Swift's cooperative pool. Every piece of state is the call's: the
/// handle, the recipient list, the error buffer and the callbacks' context are made and freed
/// inside it, so any number of transfers may run at once on different threads.
struct SMTPTransfer: Sendable {
    /// A username and password, kept out of every description so they cannot reach a log or
    /// an attempt's error by accident.
    struct Credentials: Sendable, CustomStringConvertible {
        var username: String
        var password: String
        var description: String { "(credentials)" }
    }

    /// How the transaction ended.
    struct Result: Sendable, Hashable {
        /// The last SMTP reply code, `nil` when the server never answered (no connection).
        var reply: Int?
        /// Why the message was not accepted; `nil` when it was.
        var error: String?
    }

    /// `smtp://host:port` or `smtps://host:port`.
    var url: String
    /// STARTTLS (for `smtp://`).
    var startTLS: SMTPChannel.StartTLS
    /// AUTH credentials, if the server wants them.
    var credentials: Credentials?
    /// The envelope sender (`MAIL FROM`).
    var from: String
    /// The one recipient (`RCPT TO`).
    var to: String
    /// The message, CRLF line endings; libcurl dot-stuffs it.
    var message: [UInt8]
    /// The longest wait for the connection, TLS included.
    var connectTimeout: Duration
    /// The longest the whole transaction may take.
    var timeout: Duration
    /// A PEM file of certificates to trust instead of the system's.
    var caFile: String?
    /// Whether the server's certificate and name are checked.
    var verifyPeer: Bool

    /// libcurl's global state, set up once per process before the first handle: calling
    /// `curl_global_init` from several threads at once is not safe, and a `static let` is
    /// initialized exactly once.
    private static let initialized = notifyd_curl_global_init() == CURLE_OK

    /// Runs the transaction, blocking the calling thread.
    func perform() -> Result {
        guard Self.initialized else { return Result(reply: nil, error: "libcurl could not be initialized") }
        let state = TransferState(body: message)
        var errorText = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE))
        let (code, reply) = errorText.withUnsafeMutableBufferPointer { errorBuffer in
            withExtendedLifetime(state) { () -> (CURLcode, Int) in
                guard let handle = curl_easy_init() else { return (CURLE_FAILED_INIT, 0) }
                let recipients = curl_slist_append(nil, "<\(to)>")
                // Inside this scope: closing the handle's connection (QUIT) still calls back
                // into `state` and may write the error buffer.
                defer {
                    curl_easy_cleanup(handle)
                    curl_slist_free_all(recipients)
                }
                let context = Unmanaged.passUnretained(state).toOpaque()
                let configured = configure(handle, recipients: recipients, state: context, errorBuffer: errorBuffer)
                let code = configured == CURLE_OK ? curl_easy_perform(handle) : configured
                var reply = 0
                _ = notifyd_curl_get_response_code(handle, &reply)
                return (code, reply)
            }
        }
        let answered = reply > 0 ? reply : nil
        guard code != CURLE_OK else { return Result(reply: answered, error: nil) }
        let curlText = errorText.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var error = curlText.isEmpty ? String(cString: curl_easy_strerror(code)) : curlText
        // The server's own words ("550 5.1.1 No such user") say more than libcurl's summary;
        // they are replies, never anything the client sent, so they hold no credentials.
        if let answered, answered >= 400, let line = state.replies.last(where: { $0.hasPrefix(String(answered)) }) {
            error = "\(line) (\(error))"
        }
        return Result(reply: answered, error: error)
    }

    private func configure(
        _ handle: UnsafeMutableRawPointer, recipients: UnsafeMutablePointer<curl_slist>?, state: UnsafeMutableRawPointer,
        errorBuffer: UnsafeMutableBufferPointer<CChar>
    ) -> CURLcode {
        var results = [
            notifyd_curl_set_string(handle, CURLOPT_URL, url),
            // Timeouts through signals are not thread-safe; libcurl then uses its threaded resolver.
            notifyd_curl_set_long(handle, CURLOPT_NOSIGNAL, 1),
            notifyd_curl_set_long(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue)),
            notifyd_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(from)>"),
            notifyd_curl_set_pointer(handle, CURLOPT_MAIL_RCPT, recipients),
            notifyd_curl_set_long(handle, CURLOPT_UPLOAD, 1),
            notifyd_curl_set_read_function(handle) { buffer, size, count, context in
                guard let buffer, let context else { return 0 }
                return Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue().read(into: buffer, capacity: size * count)
            },
            notifyd_curl_set_pointer(handle, CURLOPT_READDATA, state),
            notifyd_curl_set_header_function(handle) { line, size, count, context in
                guard let line, let context else { return 0 }
                Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue().keepReply(line, length: size * count)
                return size * count
            },
            notifyd_curl_set_pointer(handle, CURLOPT_HEADERDATA, state),
            notifyd_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer.baseAddress),
            notifyd_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout)),
            notifyd_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout)),
        ]
        if let credentials {
            results.append(notifyd_curl_set_string(handle, CURLOPT_USERNAME, credentials.username))
            results.append(notifyd_curl_set_string(handle, CURLOPT_PASSWORD, credentials.password))
        }
        if let caFile {
            results.append(notifyd_curl_set_string(handle, CURLOPT_CAINFO, caFile))
        }
        if !verifyPeer {
            results.append(notifyd_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 0))
            results.append(notifyd_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 0))
        }
        return results.first { $0 != CURLE_OK } ?? CURLE_OK
    }

    private var useSSL: curl_usessl {
        switch startTLS {
        case .never: CURLUSESSL_NONE
        case .optional: CURLUSESSL_TRY
        case .required: CURLUSESSL_ALL
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// What libcurl's callbacks read and write during one transfer, reached through the context
/// pointer libcurl hands back; used on the transfer's thread only.
private final class TransferState {
    private let body: [UInt8]
    private var offset = 0
    /// The server's reply lines, the last few only.
    private(set) var replies: [String] = []

    init(body: [UInt8]) {
        self.body = body
    }

    /// Copies the next piece of the message into libcurl's buffer; 0 at the end.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, body.count - offset)
        guard count > 0 else { return 0 }
        body.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }

    /// Keeps a reply line (libcurl passes every server reply of an SMTP session as a "header").
    func keepReply(_ line: UnsafeMutablePointer<CChar>, length: Int) {
        let bytes = UnsafeRawBufferPointer(start: line, count: length)
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        replies.append(String(text.prefix(300)))
        if replies.count > 8 { replies.removeFirst() }
    }
}
