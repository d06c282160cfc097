import Engine
import Foundation
import Testing

/// The hand-written JSON parser and serializer behind every message and stored JSON column.
struct JSONValueTests {
    // MARK: Parsing: every JSON type

    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("0", .int(0)),
        ("42", .int(42)),
        ("-17", .int(-17)),
        ("9223372036854775807", .int(Int64.max)),
        ("-9223372036854775808", .int(Int64.min)),
        ("1.5", .double(1.5)),
        ("-0.25", .double(-0.25)),
        ("1e3", .double(1000)),
        ("1E-2", .double(0.01)),
        ("2.5e+2", .double(250)),
        ("\"\"", .string("")),
        ("\"hello\"", .string("hello")),
        ("[]", .array([])),
        ("{}", .object([:])),
        ("[1, \"a\", null]", .array([.int(1), .string("a"), .null])),
        ("{\"a\": 1, \"b\": [true, false]}", .object(["a": .int(1), "b": .array([.bool(true), .bool(false)])])),
        (" \t\r\n{ \"k\" : { \"n\" : [ ] } } \n", .object(["k": .object(["n": .array([])])])),
    ] as [(String, JSONValue)])
    func parsesEveryType(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(text) == expected)
    }

    @Test func integersStayIntegersAndOtherNumbersAreDoubles() throws {
        let value = try JSONValue.parse(#"{"id": 4, "ratio": 1.5, "big": 1e3, "whole": 3.0}"#)
        #expect(value["id"] == .int(4))
        #expect(value["ratio"] == .double(1.5))
        #expect(value["big"] == .double(1000))
        #expect(value["whole"] == .double(3.0))
        // Integers beyond Int64 cannot be kept exactly; they fall back to a double.
        #expect(try JSONValue.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
    }

    // MARK: Parsing: strings

    @Test(arguments: [
        (#""a\"b""#, "a\"b"),
        (#""a\\b""#, "a\\b"),
        (#""a\/b""#, "a/b"),
        (#""\b\f\n\r\t""#, "\u{08}\u{0C}\n\r\t"),
        (#""caf\u00e9""#, "café"),
        (#""\u00E9\u0041""#, "éA"),
        (#""\ud83d\ude00""#, "😀"),
        (#""x\uD83D\uDE00y""#, "x😀y"),
        (#""\u0000""#, "\u{0}"),
        ("\"caf\u{e9} 😀\"", "café 😀"),
    ] as [(String, String)])
    func stringEscapes(text: String, expected: String) throws {
        #expect(try JSONValue.parse(text) == .string(expected))
    }

    @Test func repeatedKeyKeepsTheLastValue() throws {
        let value = try JSONValue.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(value == .object(["a": .int(3), "b": .int(2)]))
    }

    // MARK: Parsing: errors

    @Test(arguments: [
        "",
        "   ",
        "[1, 2",
        "{\"a\": ",
        "{\"a\"",
        "\"abc",
        "[1,]",
        "{\"a\": 1,}",
        "{1: 2}",
        "1 2",
        "{} x",
        "[] ]",
        #""\ud83d""#,
        #""\ude00""#,
        #""\ud83d\u0041""#,
        #""\ud83dx""#,
        "\"a\u{01}b\"",
        "\"a\nb\"",
        "\"tab\there\"",
        "tru",
        "trux",
        "nul",
        "nulL",
        "False",
        "-",
        "-a",
        "01",
        "1.",
        "1e",
        ".5",
        "+1",
        #""\x""#,
        #""\u12G4""#,
        "NaN",
    ])
    func invalidInputThrowsParseError(text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(text) }
    }

    @Test(arguments: [
        ("[1, 2", 5),  // truncated: the error is at the end of the input
        ("1 2", 2),  // trailing garbage: at the second value
        ("tru", 0),  // invalid literal: at its start
        ("trux", 0),
        ("\"ab\u{01}\"", 3),  // control character: at that byte
        ("-", 1),  // lone minus: where the digits should start
        (#"[1, "\ude00"]"#, 11),  // lone low surrogate: just after its escape
    ] as [(String, Int)])
    func errorOffsetPointsAtTheProblem(text: String, offset: Int) throws {
        let error = try #require(#expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(text) })
        #expect(error.offset == offset)
        #expect(error.offset <= text.utf8.count)
        #expect(error.description.contains("byte \(offset)"))
    }

    @Test func nestingDeeperThanMaxDepthThrows() throws {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let error = try #require(#expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(deep, maxDepth: 128) })
        // The offset is where the first too-deep value starts, inside the run of brackets.
        #expect(error.offset > 100 && error.offset < 200)

        // The default limit is 128 as well.
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(deep) }

        // Nesting within the limit parses.
        let shallow = String(repeating: "[", count: 100) + "1" + String(repeating: "]", count: 100)
        var value = try JSONValue.parse(shallow, maxDepth: 128)
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            value = try #require(elements.first)
        }
        #expect(depth == 100 && value == .int(1))

        // A tighter limit is honoured.
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse("[[[1]]]", maxDepth: 2) }
        #expect(try JSONValue.parse("[[1]]", maxDepth: 2) == [[1]])
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22],  // invalid byte
        [0x22, 0xC3, 0x22],  // truncated two-byte sequence
        [0x22, 0xC0, 0xAF, 0x22],  // overlong encoding of "/"
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-8-encoded surrogate
        [0x22, 0x5C, 0x6E, 0xFF, 0x22],  // invalid byte after an escape (slow path)
        [0x5B, 0xFF, 0x5D],  // invalid byte outside a string
    ] as [[UInt8]])
    func invalidUTF8Throws(bytes: [UInt8]) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Data(bytes)) }
    }

    @Test func validUTF8BytesParse() throws {
        #expect(try JSONValue.parse(Data("\"é😀\"".utf8)) == .string("é😀"))
    }

    // MARK: Serialization

    @Test func serializationSortsKeysByDefaultAndIsCompact() {
        let value: JSONValue = [
            "zeta": 1,
            "alpha": [true, nil, "x", 2.5],
            "mid": ["b": [:], "a": [], "c": -3],
        ]
        let expected = #"{"alpha":[true,null,"x",2.5],"mid":{"a":[],"b":{},"c":-3},"zeta":1}"#
        #expect(value.serializedString() == expected)
        #expect(value.serialized() == Data(expected.utf8))
        #expect(String(decoding: value.serialized(sortedKeys: true), as: UTF8.self) == expected)
    }

    @Test(arguments: [
        (JSONValue.null, "null"),
        (.bool(true), "true"),
        (.bool(false), "false"),
        (.int(0), "0"),
        (.int(-12), "-12"),
        (.int(Int64.max), "9223372036854775807"),
        (.double(1.5), "1.5"),
        (.string(""), #""""#),
        (.array([]), "[]"),
        (.object([:]), "{}"),
    ] as [(JSONValue, String)])
    func serializesScalars(value: JSONValue, expected: String) {
        #expect(value.serializedString() == expected)
    }

    @Test func serializationEscapes() {
        let value = JSONValue.string("q\"b\\s/n\nt\tr\rc\u{01}z\u{1F}é😀")
        #expect(value.serializedString() == #""q\"b\\s/n\nt\tr\rc\u0001z\u001fé😀""#)
        // Keys are escaped the same way.
        #expect(JSONValue.object(["a\"\n": 1]).serializedString() == #"{"a\"\n":1}"#)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteDoublesBecomeNull(value: Double) {
        #expect(JSONValue.double(value).serializedString() == "null")
        #expect(JSONValue.array([.double(value), 1]).serializedString() == "[null,1]")
    }

    @Test func unsortedSerializationRoundTrips() throws {
        let value: JSONValue = [
            "project_id": 42,
            "fingerprint": ["a", "b"],
            "evidence": ["k1": 1.25, "k2": "v", "k3": nil, "k4": ["nested": true]],
            "title": "line\nbreak \"quoted\"",
        ]
        let data = value.serialized(sortedKeys: false)
        #expect(try JSONValue.parse(data) == value)
        #expect(try JSONValue.parse(value.serializedString(sortedKeys: false)) == value)
    }

    static let roundTripValues: [JSONValue] = [
        .null,
        .bool(false),
        .int(Int64.min),
        .int(1_750_000_000),
        .double(0.1),
        .double(-2.5e-7),
        .double(1e300),
        .double(3.0),
        .string("plain"),
        .string("ctrl \u{0}\u{01}\u{1F}\u{7F} \" \\ / é 😀"),
        .array([.int(1), .double(1), .string("1"), .null, .array([]), .object([:])]),
        .object(["": .string("empty key"), "z": .object(["y": .array([.bool(true)])]), "é": .int(-1)]),
    ]

    @Test(arguments: roundTripValues)
    func parseOfSerializedIsTheSameValue(value: JSONValue) throws {
        #expect(try JSONValue.parse(value.serialized()) == value)
        #expect(try JSONValue.parse(value.serialized(sortedKeys: false)) == value)
        // Sorted output is canonical: serializing the parsed value gives the same bytes.
        #expect(try JSONValue.parse(value.serialized()).serialized() == value.serialized())
    }

    // MARK: Accessors

    @Test func stringValue() {
        #expect(JSONValue.string("x").stringValue == "x")
        #expect(JSONValue.string("").stringValue == "")
        #expect(JSONValue.int(1).stringValue == nil)
        #expect(JSONValue.null.stringValue == nil)
        #expect(JSONValue.array(["x"]).stringValue == nil)
    }

    @Test(arguments: [
        (JSONValue.int(5), 5),
        (.int(-7), -7),
        (.double(3.0), 3),
        (.double(-2.0), -2),
        (.double(3.5), nil),
        (.double(1e16), nil),
        (.double(.nan), nil),
        (.double(.infinity), nil),
        (.string("3"), nil),
        (.bool(true), nil),
        (.null, nil),
    ] as [(JSONValue, Int64?)])
    func intValue(value: JSONValue, expected: Int64?) {
        #expect(value.intValue == expected)
    }

    @Test func otherAccessors() {
        let object: JSONValue = ["a": [1, 2]]
        #expect(object["a"] == [1, 2])
        #expect(object["missing"] == nil)
        #expect(JSONValue.array([1])["a"] == nil)
        #expect(object.objectValue?.count == 1)
        #expect(object["a"]?.arrayValue == [.int(1), .int(2)])
        #expect(JSONValue.int(2).doubleValue == 2.0)
        #expect(JSONValue.double(2.5).doubleValue == 2.5)
        #expect(JSONValue.string("2").doubleValue == nil)
        #expect(JSONValue.null.isNull && !JSONValue.int(0).isNull)
        #expect(JSONValue.int(1).typeName == "integer" && JSONValue.double(1).typeName == "number")
    }

    @Test(arguments: [
        (JSONValue.null, false),
        (.bool(false), false),
        (.bool(true), true),
        (.int(0), false),
        (.int(1), true),
        (.int(-1), true),
        (.double(0), false),
        (.double(-0.0), false),
        (.double(0.5), true),
        (.double(.nan), true),  // Python: bool(float("nan")) is True
        (.string(""), false),
        (.string("0"), true),
        (.string("false"), true),
        (.array([]), false),
        (.array([.null]), true),
        (.object([:]), false),
        (.object(["k": .null]), true),
    ] as [(JSONValue, Bool)])
    func isTruthyFollowsPython(value: JSONValue, expected: Bool) {
        #expect(value.isTruthy == expected)
    }
}
