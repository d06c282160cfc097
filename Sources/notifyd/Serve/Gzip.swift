import CZlib
import Foundation

/// gzip compression through system zlib, as Sentry SDKs compress their envelopes (the Python
/// SDK: `gzip.GzipFile` at level 9), so `notifyd bench envelopes` sends what they send.
/// `ContentDecoding` undoes it.
enum Gzip {
    /// `data` as one gzip member.
    ///
    /// - Parameter level: zlib's compression level, 0 (none) to 9 (smallest).
    static func compress(_ data: Data, level: Int32 = 9) -> Data {
        var stream = z_stream()
        // 16 + MAX_WBITS: a gzip wrapper. zlib fails here only without memory for its state.
        guard notifyd_deflate_init(&stream, level, 16 + MAX_WBITS) == Z_OK else { fatalError("zlib could not start a gzip stream") }
        defer { deflateEnd(&stream) }
        var input = [UInt8](data)
        // deflateBound covers the gzip wrapper too, so one call with Z_FINISH always finishes.
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        precondition(status == Z_STREAM_END, "deflate did not finish within deflateBound (\(status))")
        return Data(output[..<Int(stream.total_out)])
    }
}
