import Foundation

/// The Python webhook receiver (`webhook_receiver.py`), started on 127.0.0.1 for one test and
/// stopped with it. It verifies signatures with the `standardwebhooks` package.
final class WebhookReceiver: Sendable {
    private let peer: PeerProcess

    struct Received: Decodable {
        let path: String
        let verified: Bool
        let id: String?
        /// The request's `Host` header.
        let host: String
        /// Requests to that host in flight when this one arrived, itself included.
        let concurrent: Int
    }

    init(secret: String) throws {
        peer = try PeerProcess(
            script: "webhook_receiver.py", arguments: { [secret, $0] }, hint: "is standardwebhooks installed? scripts/setup installs it")
    }

    var port: Int { peer.port }

    func url(_ path: String, host: String = "127.0.0.1") -> String { "http://\(host):\(port)\(path)" }

    /// What the receiver got so far.
    func received() throws -> [Received] {
        try peer.records(Received.self)
    }

    func stop() {
        peer.stop()
    }
}
