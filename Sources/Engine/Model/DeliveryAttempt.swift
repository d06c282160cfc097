public import Foundation

/// One attempt to deliver a `Delivery`: when, how long, and what came back.
public struct DeliveryAttempt: Sendable, Hashable {
    /// What the attempt led to.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Delivered.
        case delivered
        /// Failed; another attempt is scheduled.
        case retry
        /// Failed for good (a permanent error, or the last attempt).
        case dead
    }

    /// The delivery.
    public var deliveryID: String
    /// When the attempt started.
    public var attemptedAt: Date
    /// How long it took, in milliseconds.
    public var durationMilliseconds: Double
    /// The HTTP status or SMTP reply code, if one came back.
    public var statusCode: Int?
    /// The error, if the attempt failed.
    public var error: String?
    /// What it led to.
    public var outcome: Outcome

    /// Creates an attempt record.
    public init(deliveryID: String, attemptedAt: Date, durationMilliseconds: Double, statusCode: Int?, error: String?, outcome: Outcome) {
        self.deliveryID = deliveryID
        self.attemptedAt = attemptedAt
        self.durationMilliseconds = durationMilliseconds
        self.statusCode = statusCode
        self.error = error
        self.outcome = outcome
    }
}
