/// One exception of an SDK event's chain, with the parts grouping, titles and culprits read.
///
/// Read leniently, as Relay does: members of the wrong type are treated as absent.
struct SDKException: Sendable, Hashable {
    /// One stack frame.
    struct Frame: Sendable, Hashable {
        var module: String?
        var filename: String?
        var absPath: String?
        var function: String?
        var inApp: Bool
        var platform: String?
    }

    var type: String?
    var value: String?
    /// `mechanism.synthetic`: the type is made up by the SDK (a signal name…) and says nothing.
    var synthetic: Bool
    /// `mechanism.handled`, when the SDK said.
    var handled: Bool?
    /// `mechanism.type` (`generic`, `logging`, `excepthook`…).
    var mechanism: String?
    /// Frames oldest call first, as SDKs send them: the last frame is where the exception was raised.
    var frames: [Frame]

    /// The chain of `exception`, given as `{"values": [...]}` or, in the legacy form, as the list
    /// itself; oldest (innermost cause) first, so the last is the exception that was raised last.
    static func chain(in exception: JSONValue?) -> [SDKException] {
        let values = exception?["values"]?.arrayValue ?? exception?.arrayValue ?? []
        return values.compactMap { $0.objectValue.map(SDKException.init) }
    }

    init(_ object: [String: JSONValue]) {
        type = SDKEvent.string(object["type"])
        value = SDKEvent.string(object["value"])
        let mechanism = object["mechanism"]?.objectValue
        synthetic = mechanism?["synthetic"] == .bool(true)
        if case .bool(let handled)? = mechanism?["handled"] { self.handled = handled }
        self.mechanism = SDKEvent.string(mechanism?["type"])
        frames = (object["stacktrace"]?["frames"]?.arrayValue ?? []).compactMap { value in
            guard let frame = value.objectValue else { return nil }
            return Frame(
                module: SDKEvent.string(frame["module"]), filename: SDKEvent.string(frame["filename"]),
                absPath: SDKEvent.string(frame["abs_path"]), function: SDKEvent.string(frame["function"]), inApp: frame["in_app"] == .bool(true),
                platform: SDKEvent.string(frame["platform"]))
        }
    }
}
