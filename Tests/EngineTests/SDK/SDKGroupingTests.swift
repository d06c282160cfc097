import Engine
import Foundation
import Testing

/// Grouping, titles and culprits of SDK error events.
struct SDKGroupingTests {
    private func grouping(_ event: [String: JSONValue]) -> SDKGrouping { SDKGrouping(event: event) }

    /// An event with one exception.
    private func exception(
        _ type: String, value: String? = nil, frames: [[String: JSONValue]] = [], mechanism: JSONValue? = nil, platform: String? = nil
    ) -> [String: JSONValue] {
        var exception: [String: JSONValue] = ["type": .string(type)]
        if let value { exception["value"] = .string(value) }
        if !frames.isEmpty { exception["stacktrace"] = ["frames": .array(frames.map(JSONValue.object))] }
        if let mechanism { exception["mechanism"] = mechanism }
        var event: [String: JSONValue] = ["exception": ["values": [.object(exception)]]]
        if let platform { event["platform"] = .string(platform) }
        return event
    }

    /// A message event as Python's logging integration sends it.
    private func logEvent(_ format: String, _ params: [JSONValue]) -> [String: JSONValue] {
        ["platform": "python", "level": "error", "logger": "shop", "logentry": ["message": .string(format), "params": .array(params)]]
    }

    @Test func exceptionComponentsUseTypesAndInAppFrames() throws {
        let event = try SDKFixtures.object("python-exception-event.json")
        let result = grouping(event)
        #expect(result.method == .exception)
        #expect(result.components == ["type:KeyError", "frame:shop.views|load_user", "type:ValueError", "frame:shop.views|checkout"])
        #expect(result.fingerprint == #"["type:KeyError","frame:shop.views|load_user","type:ValueError","frame:shop.views|checkout"]"#)
        #expect(result.title == "ValueError: could not load the user for order 1842", "the last exception of the chain names the issue")
        #expect(result.subtitle == "could not load the user for order 1842")
        #expect(result.culprit == "/checkout/{order_id}", "the transaction comes first")
    }

    @Test func lineNumbersPathsAndAddressesDoNotSplitGroups() {
        let first = SDKFixtures.exceptionEvent(function: "checkout", line: 88, path: "/srv/shop/releases/1/shop/views.py")
        let second = SDKFixtures.exceptionEvent(function: "checkout", line: 131, path: "/home/deploy/shop-2/shop/views.py")
        #expect(grouping(first).fingerprint == grouping(second).fingerprint)

        // Without a module, the file name counts, not its directory.
        func withoutModule(_ path: String, function: String) -> [String: JSONValue] {
            exception("TypeError", frames: [["abs_path": .string(path), "function": .string(function), "lineno": 3, "colno": 9, "in_app": true]])
        }
        #expect(
            grouping(withoutModule("/srv/a/app/main.py", function: "<lambda at 0x7f3a2c1d9e50>")).components
                == grouping(withoutModule("C:\\build\\app\\main.py", function: "<lambda at 0x55d0c0ffee00>")).components)
        #expect(grouping(withoutModule("/srv/a/app/main.py", function: "f")).components == ["type:TypeError", "frame:main.py|f"])
    }

    @Test func differentExceptionTypesAreDifferentGroups() {
        func fingerprint(_ event: [String: JSONValue]) -> String { grouping(event).fingerprint }
        #expect(fingerprint(SDKFixtures.exceptionEvent(type: "ValueError")) != fingerprint(SDKFixtures.exceptionEvent(type: "KeyError")))
        #expect(fingerprint(SDKFixtures.exceptionEvent(function: "checkout")) != fingerprint(SDKFixtures.exceptionEvent(function: "pay")))
        // The value does not count when there are frames.
        #expect(grouping(SDKFixtures.exceptionEvent(value: "a")).fingerprint == grouping(SDKFixtures.exceptionEvent(value: "b")).fingerprint)
    }

    @Test func withoutInAppFramesAllFramesCount() {
        let event = exception("OSError", frames: [["module": "socket", "function": "connect"], ["module": "ssl", "function": "wrap", "in_app": false]])
        #expect(grouping(event).components == ["type:OSError", "frame:socket|connect", "frame:ssl|wrap"])
    }

    @Test func withoutFramesTheNormalizedValueCounts() {
        func event(_ value: String) -> [String: JSONValue] { exception("ConnectionError", value: value) }
        let first = grouping(
            event("connect to 10.0.0.12:5432 failed after 3 tries (pool <Pool at 0x7f3a2c>, id 9b2f4c1e-3d5a-4e6f-8a7b-0c1d2e3f4a5b)"))
        let second = grouping(
            event("connect to 10.0.0.7:6543 failed after 12 tries (pool <Pool at 0x55d0c0>, id 00000000-1111-2222-3333-444444444444)"))
        #expect(
            first.components == [
                "type:ConnectionError", "value:connect to <int>.<int>.<int>.<int>:<int> failed after <int> tries (pool <Pool at <hex>>, id <uuid>)",
            ])
        #expect(first.fingerprint == second.fingerprint)
        #expect(grouping(event("No such file: '/tmp/tmpa81x/in.csv' (v2)")).components.last == "value:No such file: 'in.csv' (v2)")
        #expect(grouping(event("timeout")).fingerprint != grouping(event("refused")).fingerprint)
    }

    @Test func defaultVariableExpandsInTheSDKFingerprint() {
        var event = SDKFixtures.exceptionEvent()
        let defaults = grouping(event).components
        event["fingerprint"] = ["{{ default }}", "db-primary"]
        #expect(grouping(event).method == .fingerprint)
        #expect(grouping(event).components == defaults + ["db-primary"])
        event["fingerprint"] = ["{{default}}", "db-primary"]
        #expect(grouping(event).components == defaults + ["db-primary"])
        event["fingerprint"] = ["{{ default }}"]
        #expect(grouping(event).fingerprint == grouping(SDKFixtures.exceptionEvent()).fingerprint, "the default alone is the default group")
    }

    @Test func customFingerprintsGroupAcrossTypes() {
        var timeout = SDKFixtures.exceptionEvent(type: "TimeoutError")
        var refused = SDKFixtures.exceptionEvent(type: "ConnectionRefusedError", function: "pay")
        timeout["fingerprint"] = ["payment-gateway", 2]
        refused["fingerprint"] = ["payment-gateway", "2"]
        #expect(grouping(timeout).components == ["payment-gateway", "2"])
        #expect(grouping(timeout).fingerprint == grouping(refused).fingerprint)
        #expect(grouping(timeout).title == "TimeoutError: could not load the user", "the fingerprint does not change the title")

        timeout["fingerprint"] = ["{{ transaction }}", "{{ type }}", "{{ level }}", "{{ unknown }}"]
        timeout["transaction"] = "/pay"
        #expect(grouping(timeout).components == ["/pay", "TimeoutError", "error", "{{ unknown }}"])
        timeout["fingerprint"] = []
        #expect(grouping(timeout).method == .exception, "an empty fingerprint is no fingerprint")
    }

    @Test func messagesGroupByTheirFormatString() {
        let bob = grouping(logEvent("User %s failed to log in %d times", ["bob", 3]))
        let alice = grouping(logEvent("User %s failed to log in %d times", ["alice", 7]))
        #expect(bob.method == .message)
        #expect(bob.components == ["message:User %s failed to log in %d times"])
        #expect(bob.fingerprint == alice.fingerprint)
        #expect(bob.title == "User bob failed to log in 3 times")
        #expect(alice.title == "User alice failed to log in 7 times")
        #expect(bob.culprit.isEmpty)

        // A plain message groups by its text, with numbers normalized.
        let first = grouping(["message": "Order 1842 was paid twice"])
        #expect(first.fingerprint == grouping(["message": "Order 77 was paid twice"]).fingerprint)
        #expect(first.title == "Order 1842 was paid twice")
        #expect(grouping(["logentry": ["formatted": "Order 1842 was paid twice"]]).fingerprint == first.fingerprint)
        #expect(grouping(["logentry": ["message": "%(user)s left", "params": ["user": "bob"]]]).title == "bob left")
        #expect(grouping([:]).method == .fallback && grouping([:]).title == "<unlabeled event>")
    }

    @Test func titlesAreCutAndFollowSentry() {
        let long = String(repeating: "x", count: 150)
        #expect(grouping(exception("RuntimeError", value: long + "\nsecond line")).title == "RuntimeError: " + String(repeating: "x", count: 97) + "...")
        #expect(grouping(exception("StopIteration")).title == "StopIteration")
        #expect(grouping(["exception": ["values": [["value": "boom"]]]]).title == "Error: boom")
        let synthetic = exception(
            "SIGSEGV", frames: [["function": "main"], ["function": "crash_here", "in_app": true]],
            mechanism: ["type": "signalhandler", "synthetic": true])
        #expect(grouping(synthetic).title == "crash_here")
        #expect(!grouping(synthetic).components.contains("type:SIGSEGV"), "a synthetic type does not group")
    }

    @Test func culpritFollowsSentry() {
        var event = SDKFixtures.exceptionEvent()
        #expect(grouping(event).culprit == "shop.views in checkout", "the top in-app frame")
        event["culprit"] = "legacy.culprit"
        #expect(grouping(event).culprit == "legacy.culprit", "an SDK-sent culprit wins")

        let javascript = exception(
            "TypeError",
            frames: [["filename": "app:///main.js", "function": "onClick", "in_app": true], ["filename": "app:///vendor.js", "function": "dispatch"]],
            platform: "javascript")
        #expect(grouping(javascript).culprit == "onClick(app:///main.js)", "the top in-app frame, not the top frame")
        let native = exception("EXC_BAD_ACCESS", frames: [["function": "objc_msgSend"]], platform: "native")
        #expect(grouping(native).culprit == "objc_msgSend")
        #expect(grouping(["message": "x", "request": ["url": "https://shop.example.com/cart"]]).culprit == "https://shop.example.com/cart")
    }

    @Test func sameInputSameFingerprint() throws {
        let event = try SDKFixtures.object("python-exception-event.json")
        #expect(grouping(event) == grouping(event))
    }
}
