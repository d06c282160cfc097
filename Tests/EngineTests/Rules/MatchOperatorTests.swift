import Engine
import Testing

/// Tag and attribute operators with Sentry's semantics: case-insensitive, positive operators pass
/// when any value matches, negative ones when no value does, `in`/`nin` split the target on
/// commas after removing every space, `is`/`ns` test presence.
struct MatchOperatorTests {
    /// One row: the values an event has for the key, the operator, the rule's value, the result.
    struct Row: Sendable, CustomTestStringConvertible {
        var op: MatchOperator
        var values: [String]
        var target: String?
        var expected: Bool

        init(_ op: MatchOperator, _ values: [String], _ target: String?, _ expected: Bool) {
            self.op = op
            self.values = values
            self.target = target
            self.expected = expected
        }

        var testDescription: String { "\(op.rawValue) \(values) \(target.map { "'\($0)'" } ?? "nil") → \(expected)" }
    }

    static let table: [Row] = [
        // eq / ne
        Row(.eq, ["chrome"], "chrome", true),
        Row(.eq, ["chrome"], "chrom", false),
        Row(.eq, ["Chrome"], "CHROME", true),
        Row(.eq, ["firefox", "Chrome"], "chrome", true),
        Row(.eq, ["firefox", "safari"], "chrome", false),
        Row(.eq, [], "chrome", false),
        Row(.ne, ["chrome"], "chrome", false),
        Row(.ne, ["CHROME"], "chrome", false),
        Row(.ne, ["firefox"], "chrome", true),
        Row(.ne, ["firefox", "chrome"], "chrome", false),
        Row(.ne, ["firefox", "safari"], "chrome", true),
        Row(.ne, [], "chrome", true),
        // sw / nsw
        Row(.sw, ["Chrome 120"], "chrome", true),
        Row(.sw, ["Mobile Chrome"], "chrome", false),
        Row(.sw, ["safari", "chrome 120"], "CHROME", true),
        Row(.sw, [], "chrome", false),
        Row(.nsw, ["Chrome 120"], "chrome", false),
        Row(.nsw, ["Mobile Chrome"], "chrome", true),
        Row(.nsw, ["mobile chrome", "Chrome 120"], "chrome", false),
        Row(.nsw, ["safari", "firefox"], "chrome", true),
        Row(.nsw, [], "chrome", true),
        // ew / new
        Row(.ew, ["/api/Checkout"], "checkout", true),
        Row(.ew, ["/checkout/api"], "checkout", false),
        Row(.ew, ["/a", "/b/CHECKOUT"], "Checkout", true),
        Row(.ew, [], "checkout", false),
        Row(.new, ["/api/checkout"], "CHECKOUT", false),
        Row(.new, ["/checkout/api"], "checkout", true),
        Row(.new, ["/checkout/api", "/api/checkout"], "checkout", false),
        Row(.new, ["/a", "/b"], "checkout", true),
        Row(.new, [], "checkout", true),
        // co / nc
        Row(.co, ["Payment Timeout in checkout"], "timeout", true),
        Row(.co, ["payment failed"], "timeout", false),
        Row(.co, ["ok", "a TIMEOUT here"], "Timeout", true),
        Row(.co, [], "timeout", false),
        Row(.nc, ["Payment Timeout"], "timeout", false),
        Row(.nc, ["payment failed"], "timeout", true),
        Row(.nc, ["payment failed", "timeout"], "TIMEOUT", false),
        Row(.nc, ["a", "b"], "timeout", true),
        Row(.nc, [], "timeout", true),
        // is / ns: presence only, the value is ignored
        Row(.is, ["anything"], nil, true),
        Row(.is, ["a", "b"], nil, true),
        Row(.is, ["a"], "ignored", true),
        Row(.is, [], nil, false),
        Row(.is, [], "ignored", false),
        Row(.ns, ["anything"], nil, false),
        Row(.ns, ["a", "b"], nil, false),
        Row(.ns, [], nil, true),
        Row(.ns, [], "ignored", true),
        // in / nin: the target is a comma list, spaces removed before splitting
        Row(.in, ["b"], "a, b ,c", true),
        Row(.in, ["c"], "a, b ,c", true),
        Row(.in, ["A"], "a, b ,c", true),
        Row(.in, ["b"], "A,B,C", true),
        Row(.in, ["d"], "a, b ,c", false),
        Row(.in, ["a b"], "a b, c", false),  // the target's space is removed: "ab"
        Row(.in, ["ab"], "a b, c", true),
        Row(.in, ["x", "c"], "a,b,c", true),
        Row(.in, ["x", "y"], "a,b,c", false),
        Row(.in, ["eu"], "eu", true),
        Row(.in, [], "a,b", false),
        Row(.nin, ["b"], "a, b ,c", false),
        Row(.nin, ["C"], "a, b ,c", false),
        Row(.nin, ["d"], "a, b ,c", true),
        Row(.nin, ["x", "a"], "a,b,c", false),
        Row(.nin, ["x", "y"], "a,b,c", true),
        Row(.nin, [], "a,b", true),
    ]

    @Test(arguments: table)
    func matches(_ row: Row) {
        #expect(row.op.matches(row.values, row.target) == row.expected)
    }

    @Test func theTableCoversEveryOperatorWithOneSeveralAndNoValues() {
        for op in MatchOperator.allCases {
            let rows = Self.table.filter { $0.op == op }
            #expect(rows.contains { $0.expected } && rows.contains { !$0.expected }, "\(op) passing and failing")
            #expect(rows.contains { $0.values.count == 1 }, "\(op) on one value")
            #expect(rows.contains { $0.values.count > 1 }, "\(op) on several values")
            #expect(rows.contains { $0.values.isEmpty }, "\(op) on no values")
            if op.needsValue {
                // A comparing operator both passes and fails on a single value.
                #expect(rows.contains { $0.values.count == 1 && $0.expected }, "\(op) passing on one value")
                #expect(rows.contains { $0.values.count == 1 && !$0.expected }, "\(op) failing on one value")
            }
        }
    }

    /// Negative operators pass on an event without the key; positive ones fail.
    @Test(arguments: MatchOperator.allCases)
    func anEmptyValueListPassesOnlyNegativeOperators(_ op: MatchOperator) {
        let negative: Set<MatchOperator> = [.ne, .nsw, .new, .nc, .ns, .nin]
        #expect(op.matches([], "x") == negative.contains(op))
    }

    /// A negative operator is the exact opposite of its positive twin, for any values.
    @Test(arguments: [
        (MatchOperator.eq, MatchOperator.ne), (.sw, .nsw), (.ew, .new), (.co, .nc), (.is, .ns), (.in, .nin),
    ])
    func negativeOperatorsNegateTheirPositiveTwin(_ positive: MatchOperator, _ negative: MatchOperator) {
        let valueLists: [[String]] = [[], ["abc"], ["ABC", "xyz"], ["x", "y", "z"], ["a b"]]
        for values in valueLists {
            for target in ["abc", "b", "C", "x, y", "zz"] {
                #expect(positive.matches(values, target) != negative.matches(values, target), "\(values) \(target)")
            }
        }
    }

    @Test func operatorNamesAreTheRuleFileNames() {
        #expect(MatchOperator.allCases.map(\.rawValue) == ["eq", "ne", "sw", "nsw", "ew", "new", "co", "nc", "is", "ns", "in", "nin"])
        #expect(MatchOperator.allCases.filter { !$0.needsValue } == [.is, .ns])
    }
}
