import CZlib
import Foundation

/// Undoes a request's `Content-Encoding`: `identity`, `gzip` (every member of it) or `deflate`
/// (zlib-wrapped or raw, as clients disagree on what "deflate" means), never inflating past
/// `limit` bytes, so a small compressed bomb cannot exhaust memory.
enum ContentDecoding {
    enum Failure: Error, Equatable {
        /// An encoding other than identity, gzip and deflate.
        case unsupported(String)
        /// The body is not valid data in its encoding.
        case corrupt
        /// It inflates past the limit.
        case tooLarge
    }

    static func decode(_ data: Data, encoding: String?, limit: Int) throws(Failure) -> Data {
        switch encoding?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "", "identity":
            return data
        case "gzip", "x-gzip":
            // 16 + MAX_WBITS: a gzip wrapper.
            return try inflate(data, windowBits: 16 + MAX_WBITS, limit: limit)
        case "deflate":
            // 32 + MAX_WBITS detects a zlib (or gzip) wrapper; failing that, try raw deflate.
            do {
                return try inflate(data, windowBits: 32 + MAX_WBITS, limit: limit)
            } catch .corrupt {
                return try inflate(data, windowBits: -MAX_WBITS, limit: limit)
            }
        case let other?:
            throw .unsupported(other)
        }
    }

    private static func inflate(_ data: Data, windowBits: Int32, limit: Int) throws(Failure) -> Data {
        var stream = z_stream()
        guard notifyd_inflate_init(&stream, windowBits) == Z_OK else { throw .corrupt }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = [UInt8](data)
        let failure: Failure? = input.withUnsafeMutableBufferPointer { source -> Failure? in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { target -> (Int32, Int) in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, target.count - Int(stream.avail_out))
                }
                guard status == Z_OK || status == Z_STREAM_END else { return .corrupt }
                output.append(contentsOf: chunk[..<produced])
                guard output.count <= limit else { return .tooLarge }
                if status == Z_STREAM_END {
                    // A gzip body may hold several members one after the other (RFC 1952 2.2),
                    // each to be inflated, and nothing else; zlib streams under "deflate" are
                    // read the same way. Raw deflate has no framing to tell what follows its end.
                    guard stream.avail_in > 0, windowBits > MAX_WBITS else { return nil }
                    guard inflateReset(&stream) == Z_OK else { return .corrupt }
                } else if produced == 0 && stream.avail_in == 0 {
                    // No progress and no end: the input stopped mid-stream.
                    return .corrupt
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
