import Foundation
import Testing
@testable import notifyd

/// `ContentDecoding`: the encodings SDKs send, bodies that are not what they claim, and the
/// inflate limit. The compressed fixtures come from Python's `gzip` and `zlib` modules, so the
/// decoder is checked against an encoder other than our own.
struct ContentDecodingTests {
    /// What every fixture decompresses to: a small envelope.
    static let envelope = Data(
        """
        {"event_id":"9ec79c33ec9942ab8353589fcb2e04dc"}
        {"type":"event"}
        {"message":"hello"}

        """.utf8)
    /// `gzip.compress(envelope, mtime=0)`.
    static let gzip = Data(base64Encoded: "H4sIAAAAAAACA6tWSi1LzSuJz0xRslKyTE02t0w2Nk5NtrQ0MUpMsjA2NTa1sExLTjJKNTBJSVaq5apWKqksSAWqBWsDC+SmFhcnpoPEMlJzcvKBYgBS1tR5VQAAAA==")!
    /// `zlib.compress(envelope, 9)`: "deflate" as RFC 9110 means it.
    static let zlib = Data(base64Encoded: "eNqrVkotS80ric9MUbJSskxNNrdMNjZOTba0NDFKTLIwNjU2tbBMS04ySjUwSUlWquWqViqpLEgFqgVrAwvkphYXJ6aDxDJSc3LygWIAZhcaew==")!
    /// `zlib.compressobj(9, zlib.DEFLATED, -15)`: "deflate" as some clients send it, without a wrapper.
    static let rawDeflate = Data(base64Encoded: "q1ZKLUvNK4nPTFGyUrJMTTa3TDY2Tk22tDQxSkyyMDY1NrWwTEtOMko1MElJVqrlqlYqqSxIBaoFawML5KYWFyemg8QyUnNy8oFiAA==")!
    /// Two gzip members, `first member,` and ` second member` (RFC 1952 allows any number).
    static let twoMembers = Data(base64Encoded: "H4sIAAAAAAACA0vLLCouUchNzU1KLdIBAFpxiNgNAAAAH4sIAAAAAAACA1MoTk3Oz0tRyE3NTUotAgC5M1GMDgAAAA==")!

    static func decode(_ data: Data, _ encoding: String?, limit: Int = 1 << 20) throws(ContentDecoding.Failure) -> Data {
        try ContentDecoding.decode(data, encoding: encoding, limit: limit)
    }

    @Test(arguments: [nil, "", "identity", " Identity "])
    func identityIsTheBodyAsSent(encoding: String?) throws {
        #expect(try Self.decode(Self.gzip, encoding) == Self.gzip)
    }

    @Test(arguments: ["gzip", "x-gzip", "GZIP", " gzip "])
    func gzipInflatesWhateverTheSpelling(encoding: String) throws {
        #expect(try Self.decode(Self.gzip, encoding) == Self.envelope)
    }

    @Test func deflateIsZlibWrappedRawOrEvenGzip() throws {
        #expect(try Self.decode(Self.zlib, "deflate") == Self.envelope)
        #expect(try Self.decode(Self.rawDeflate, "deflate") == Self.envelope)
        #expect(try Self.decode(Self.gzip, "deflate") == Self.envelope)
    }

    @Test func everyMemberOfAGzipBodyIsInflated() throws {
        #expect(try Self.decode(Self.twoMembers, "gzip") == Data("first member, second member".utf8))
    }

    @Test func ourGzipRoundTrips() throws {
        let big = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 3) })
        for data in [Data(), Self.envelope, big] {
            for level in [0, 1, 9] as [Int32] {
                #expect(try Self.decode(Gzip.compress(data, level: level), "gzip", limit: big.count) == data)
            }
        }
        #expect(Gzip.compress(big).count < big.count / 4, "level 9 compresses")
    }

    @Test func bodiesThatAreNotWhatTheyClaimAreCorrupt() {
        let truncated = Self.gzip.prefix(Self.gzip.count - 12)
        let trailingGarbage = Self.gzip + Data([0x67, 0x61, 0x72, 0x62, 0x61, 0x67, 0x65])
        var flipped = Self.gzip
        flipped[20] ^= 0xFF
        for (body, encoding) in [
            (Self.envelope, "gzip"), (Self.envelope, "deflate"), (Data(), "gzip"), (Data(), "deflate"), (Data(truncated), "gzip"),
            (Data(Self.zlib.prefix(20)), "deflate"), (flipped, "gzip"), (trailingGarbage, "gzip"),
        ] {
            #expect(throws: ContentDecoding.Failure.corrupt, "\(body.count) bytes as \(encoding)") { try Self.decode(body, encoding) }
        }
    }

    @Test func inflatingStopsAtTheLimit() throws {
        #expect(try Self.decode(Self.gzip, "gzip", limit: Self.envelope.count) == Self.envelope)
        #expect(throws: ContentDecoding.Failure.tooLarge) { try Self.decode(Self.gzip, "gzip", limit: Self.envelope.count - 1) }
        #expect(throws: ContentDecoding.Failure.tooLarge) { try Self.decode(Self.zlib, "deflate", limit: Self.envelope.count - 1) }
        #expect(throws: ContentDecoding.Failure.tooLarge) { try Self.decode(Self.rawDeflate, "deflate", limit: Self.envelope.count - 1) }
    }

    /// 16 MiB of zeros in about 16 KB: refused after inflating little more than the 1 MiB limit.
    @Test func aCompressionBombIsRefusedQuickly() {
        let bomb = Gzip.compress(Data(count: 16 << 20), level: 9)
        #expect(bomb.count < 20_000)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(throws: ContentDecoding.Failure.tooLarge) { try Self.decode(bomb, "gzip", limit: 1 << 20) }
        #expect(clock.now - started < .seconds(5))
    }

    @Test(arguments: ["br", "zstd", "compress", "gzip, br", "deflate, gzip"])
    func otherEncodingsAreUnsupported(encoding: String) {
        #expect(throws: ContentDecoding.Failure.unsupported(encoding)) { try Self.decode(Self.gzip, encoding) }
    }
}
