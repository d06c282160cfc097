import Foundation

/// The Python webhook receiver (`webhook_receiver.py`), started on 127.0.0.1 for one test and
/// stopped with it. It verifies signatures with the `standardwebhooks` package.
public final class WebhookReceiver: Sendable {
    private let peer: PeerProcess

    public struct Received: Decodable {
        public let path: String
        public let verified: Bool
        public let id: String?
        /// The request's `Host` header.
        public let host: String
        /// Requests to that host in flight when this one arrived, itself included.
        public let concurrent: Int
    }

    public init(secret: String) throws {
        peer = try PeerProcess(
            script: "webhook_receiver.py", arguments: { [secret, $0] }, hint: "is standardwebhooks installed? scripts/setup installs it")
    }

    public var port: Int { peer.port }

    public func url(_ path: String, host: String = "127.0.0.1") -> String { "http://\(host):\(port)\(path)" }

    /// What the receiver got so far.
    public func received() throws -> [Received] {
        try peer.records(Received.self)
    }

    /// The verified JSON bodies the receiver got so far, in arrival order.
    public func payloads() throws -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: peer.log.path) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            let record = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            return record?["verified"] as? Bool == true ? record?["payload"] as? [String: Any] : nil
        }
    }

    public func stop() {
        peer.stop()
    }
}
