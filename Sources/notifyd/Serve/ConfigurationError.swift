/// A configuration mistake, naming the key and where it was given (`notifyd.yml:4:3` or the
/// environment variable); `notifyd serve` prints it and exits before binding the port.
struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `file:line:column` or the environment variable's name.
    var origin: String
    /// The key, as a dotted path (`limits.max_body_bytes`).
    var key: String
    /// What is wrong with it.
    var reason: String

    var description: String { "\(origin): \(key): \(reason)" }
}
