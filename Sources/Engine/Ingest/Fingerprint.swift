internal import Crypto
import Foundation

/// Fingerprint hashing: every part becomes the MD5 hex digest of its UTF-8 bytes, as in
/// Sentry's consumer. The first hashed part is the primary group hash.
public enum Fingerprint {
    /// The MD5 hex digest of one part.
    public static func hash(_ part: String) -> String {
        var part = part
        let digest = part.withUTF8 { Insecure.MD5.hash(data: UnsafeRawBufferPointer($0)) }
        var hex: [UInt8] = []
        hex.reserveCapacity(32)
        for byte in digest {
            hex.append(Self.hexDigits[Int(byte >> 4)])
            hex.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Every part hashed, in order.
    public static func hash(_ parts: [String]) -> [String] { parts.map(hash) }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
