/// How many sightings of a new fingerprint it takes before an issue is created.
///
/// With `ignoreLimit` N the first N-1 sightings within `expiry` of each other are dropped and
/// the N-th creates the issue; the counter expires `expiry` after the last sighting.
public struct NoiseConfig: Sendable, Hashable {
    /// The sighting that creates the issue.
    public var ignoreLimit: Int
    /// How long the counter lives after its last increment.
    public var expiry: Duration

    /// Sentry's defaults: the third sighting within 24 hours.
    public init(ignoreLimit: Int = 3, expiry: Duration = .seconds(24 * 3600)) {
        self.ignoreLimit = ignoreLimit
        self.expiry = expiry
    }
}
