internal import Crypto
public import Foundation

/// Signs webhook requests per the Standard Webhooks spec: `webhook-signature: v1,<base64>` where
/// the signature is HMAC-SHA256, keyed with the secret's bytes, over `<id>.<timestamp>.<body>`.
public struct WebhookSigner: Sendable {
    private let key: SymmetricKey

    /// Why a secret cannot be used.
    public struct InvalidSecret: Error, Sendable, CustomStringConvertible {
        public var description: String { "a webhook secret is `whsec_` followed by base64 (24 to 64 bytes)" }
    }

    /// Creates a signer from a `whsec_…` secret (the prefix is optional; unpadded base64 is
    /// accepted, as the reference libraries do).
    public init(secret: String) throws(InvalidSecret) {
        var encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        while encoded.count % 4 != 0 { encoded += "=" }
        guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else { throw InvalidSecret() }
        key = SymmetricKey(data: bytes)
    }

    /// A new random secret as Standard Webhooks writes them: `whsec_` and the base64 of 32 bytes.
    public static func generateSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }

    /// The `webhook-signature` header value for a message.
    ///
    /// - Parameters:
    ///   - id: the `webhook-id` (the delivery id, the same on every retry).
    ///   - timestamp: the `webhook-timestamp`, in seconds (the time of this attempt).
    ///   - body: the exact bytes sent.
    public func signature(id: String, timestamp: Int64, body: Data) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The three Standard Webhooks headers for one attempt.
    public func headers(id: String, timestamp: Int64, body: Data) -> [(String, String)] {
        [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature(id: id, timestamp: timestamp, body: body))]
    }
}
