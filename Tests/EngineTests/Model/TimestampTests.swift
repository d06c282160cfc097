import Engine
import Foundation
import Testing

/// Message timestamps: epoch numbers and ISO 8601 strings in, microsecond ISO 8601 out.
struct TimestampTests {
    /// 2024-06-06T22:43:01Z.
    static let reference: TimeInterval = 1_717_713_781

    /// Whether `date` is `seconds` since 1970, to the microsecond.
    func expectSeconds(_ date: Date?, _ seconds: TimeInterval, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let date else {
            Issue.record("no date, expected \(seconds)", sourceLocation: sourceLocation)
            return
        }
        #expect(
            abs(date.timeIntervalSince1970 - seconds) < 1e-6, "\(date.timeIntervalSince1970) != \(seconds)",
            sourceLocation: sourceLocation)
    }

    // MARK: Epoch numbers

    @Test func epochIntegerAndDouble() {
        expectSeconds(Timestamp.parse(.int(1_717_713_781)), Self.reference)
        expectSeconds(Timestamp.parse(.double(1_717_713_781.1)), Self.reference + 0.1)
        expectSeconds(Timestamp.parse(.int(1)), 1)
        expectSeconds(Timestamp.parse(.double(0.5)), 0.5)
    }

    @Test(arguments: [
        JSONValue.int(0), .int(-1), .int(-1_717_713_781), .double(0), .double(-0.0), .double(-1.5), .double(.nan), .double(.infinity),
        .null, .bool(true), .array([.int(1)]), .object(["seconds": .int(1)]), .string(""), .string("1717713781"),
    ])
    func nonPositiveOrNonTimeValuesAreNil(value: JSONValue) {
        #expect(Timestamp.parse(value) == nil)
    }

    @Test func stringValueIsParsedAsISO8601() {
        expectSeconds(Timestamp.parse(.string("2024-06-06T22:43:01Z")), Self.reference)
    }

    // MARK: ISO 8601

    @Test(arguments: [
        ("2024-06-06T22:43:01.100000+00:00", reference + 0.1),
        ("2024-06-06T22:43:01.100000Z", reference + 0.1),
        ("2024-06-06T22:43:01Z", reference),
        ("2024-06-06T22:43:01z", reference),
        ("2024-06-06T22:43:01", reference),  // no offset: UTC
        ("2024-06-06T22:43:01.1", reference + 0.1),
        ("2024-06-06T22:43:01,5Z", reference + 0.5),
        ("2024-06-06T22:43:01.123456789Z", reference + 0.123456789),
        ("2024-06-06T22:43", reference - 1),  // seconds are optional
        ("2024-06-06 22:43:01", reference),  // space separator
        ("2024-06-06 22:43:01.100000+00:00", reference + 0.1),
        ("2024-06-06T22:43:01+02:00", reference - 2 * 3600),  // 20:43:01Z
        ("2024-06-06T22:43:01+0200", reference - 2 * 3600),
        ("2024-06-06T22:43:01+02", reference - 2 * 3600),
        ("2024-06-06T22:43:01-0530", reference + 5 * 3600 + 30 * 60),  // 2024-06-07T04:13:01Z
        ("2024-06-06T22:43:01-05:30", reference + 5 * 3600 + 30 * 60),
        ("2024-06-06T22:43:01.250-00:00", reference + 0.25),
        ("2024-06-06", 1_717_632_000),  // date only: midnight UTC
        ("1970-01-01T00:00:00.000001Z", 0.000_001),
        ("1969-12-31T23:59:59Z", -1),
        ("1900-01-01T00:00:00Z", -2_208_988_800),
    ] as [(String, TimeInterval)])
    func parsesISO8601(text: String, seconds: TimeInterval) {
        expectSeconds(Timestamp.parse(text), seconds)
    }

    @Test(arguments: ["2024-02-29", "2000-02-29", "2024-12-31", "2024-01-31", "2024-04-30"])
    func validCalendarDates(text: String) {
        #expect(Timestamp.parse(text) != nil)
    }

    @Test(arguments: [
        "2024-02-30",
        "2023-02-29",  // 2023 is not a leap year
        "1900-02-29",  // century, not a leap year
        "2024-04-31",
        "2024-13-01",
        "2024-00-10",
        "2024-06-00",
        "2024-06-32",
        "yesterday",
        "",
        "2024",
        "2024-6-6",
        "24-06-06",
        "2024/06/06",
        "2024-06-06x",
        "2024-06-06T22:43:01Zjunk",
        "2024-06-06T22:43:01+00:00 ",
        "2024-06-06T22:43:01.Z",
        "2024-06-06T",
        "2024-06-06T22",
        "2024-06-06T24:00:00",
        "2024-06-06T22:60:00",
        "2024-06-06T22:43:61",
        "2024-06-06T22:43:01+",
        "2024-06-06T22:43:01+2",
        " 2024-06-06",
    ])
    func invalidStringsAreNil(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    // MARK: Formatting

    @Test(arguments: [
        (reference + 0.1, "2024-06-06T22:43:01.100000Z"),
        (reference, "2024-06-06T22:43:01.000000Z"),
        (reference + 0.123456, "2024-06-06T22:43:01.123456Z"),
        (0, "1970-01-01T00:00:00.000000Z"),
        (0.000_001, "1970-01-01T00:00:00.000001Z"),
        (-0.000_001, "1969-12-31T23:59:59.999999Z"),
        (-0.5, "1969-12-31T23:59:59.500000Z"),
        (-1, "1969-12-31T23:59:59.000000Z"),
        (-86_400, "1969-12-31T00:00:00.000000Z"),
        (-31_536_000, "1969-01-01T00:00:00.000000Z"),
        (-2_208_988_800, "1900-01-01T00:00:00.000000Z"),
        (-2_208_988_799.75, "1900-01-01T00:00:00.250000Z"),
        (951_782_400, "2000-02-29T00:00:00.000000Z"),
        (4_102_444_799, "2099-12-31T23:59:59.000000Z"),
    ] as [(TimeInterval, String)])
    func format(seconds: TimeInterval, expected: String) {
        #expect(Timestamp.format(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test(arguments: [
        reference + 0.1, reference + 0.123456, reference + 0.999999, reference, 1, 0.5, -0.5, -1.000001, -86_400.654321, -2_208_988_800.5,
        1_750_000_000.000001, 4_102_444_799.5,
    ] as [TimeInterval])
    func parseOfFormatIsTheSameDateToTheMicrosecond(seconds: TimeInterval) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let text = Timestamp.format(date)
        let parsed = try #require(Timestamp.parse(text), "\(text) does not parse")
        #expect((parsed.timeIntervalSince1970 * 1_000_000).rounded() == (seconds * 1_000_000).rounded(), "\(text)")
        #expect(Timestamp.format(parsed) == text)
    }
}
