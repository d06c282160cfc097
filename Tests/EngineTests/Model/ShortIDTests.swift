import Engine
import Testing

/// Short ids: `<SLUG>-<Crockford base32>`.
struct ShortIDTests {
    @Test(arguments: [
        (0, "0"), (1, "1"), (9, "9"), (10, "A"), (17, "H"), (18, "J"), (19, "K"), (20, "M"), (21, "N"), (22, "P"),
        (26, "T"), (27, "V"), (31, "Z"), (32, "10"), (42, "1A"), (1023, "ZZ"), (1024, "100"), (32_768, "1000"),
    ] as [(Int64, String)])
    func encode(number: Int64, expected: String) {
        #expect(ShortID.encode(number) == expected)
    }

    @Test func crockfordAlphabetNeverUsesILOU() {
        var seen = Set<Character>()
        for number in Int64(0)..<2000 {
            let digits = ShortID.encode(number)
            #expect(!digits.contains { "ILOU".contains($0) }, "\(number) → \(digits)")
            seen.formUnion(digits)
        }
        // Every one of the 32 digits is used.
        #expect(seen == Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ"))
    }

    @Test func encodeIsOrderPreservingForEqualLengths() {
        // Within one length, base32 digits sort like their numbers (the alphabet is in ASCII order).
        let encoded = (Int64(32)..<1024).map(ShortID.encode)
        #expect(encoded == encoded.sorted())
    }

    @Test func format() {
        #expect(ShortID.format(projectSlug: "backend", number: 42) == "BACKEND-1A")
        #expect(ShortID.format(projectSlug: "my-app", number: 1) == "MY-APP-1")
        #expect(ShortID.format(projectSlug: "web", number: 1024) == "WEB-100")
    }

    @Test(arguments: [
        ("BACKEND-1A", "backend", 42),
        ("backend-1a", "backend", 42),
        ("Backend-1a", "backend", 42),
        ("MY-APP-1", "my-app", 1),
        ("WEB-100", "web", 1024),
        ("WEB-zz", "web", 1023),
        ("X-0", "x", 0),
    ] as [(String, String, Int64)])
    func parse(text: String, slug: String, number: Int64) throws {
        let parsed = try #require(ShortID.parse(text))
        #expect(parsed.projectSlug == slug)
        #expect(parsed.number == number)
    }

    @Test func parseOfFormatRoundTrips() throws {
        for number in Int64(0)..<2000 {
            let text = ShortID.format(projectSlug: "backend", number: number)
            let parsed = try #require(ShortID.parse(text))
            #expect(parsed.projectSlug == "backend" && parsed.number == number, "\(text)")
            let lower = try #require(ShortID.parse(text.lowercased()))
            #expect(lower.number == number)
        }
        let big = Int64.max
        let parsed = try #require(ShortID.parse(ShortID.format(projectSlug: "p", number: big)))
        #expect(parsed.number == big)
    }

    @Test(arguments: [
        "nodash", "-1", "SLUG-", "SLUG-I", "SLUG-L", "SLUG-O", "SLUG-U", "SLUG-1!", "SLUG-1 ", "SLUG-#", "", "-",
        "SLUG-ZZZZZZZZZZZZZZZZZZZZ",  // overflows Int64
    ])
    func parseRejects(text: String) {
        #expect(ShortID.parse(text) == nil)
    }
}
