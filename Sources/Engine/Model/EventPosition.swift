public import Foundation

/// Where an event stands among its issue's events: ordered by the time the event happened,
/// then by arrival. The console's older/newer navigation and event pages continue from one.
public struct EventPosition: Sendable, Hashable {
    /// When the event happened.
    public var timestamp: Date
    /// The order of arrival among events of the same instant.
    public var sequence: Int64

    /// Creates a position.
    public init(timestamp: Date, sequence: Int64) {
        self.timestamp = timestamp
        self.sequence = sequence
    }
}

/// An event of an issue with its position.
public struct GroupEvent: Sendable, Hashable {
    /// The event.
    public var event: Event
    /// Its place in the order.
    public var position: EventPosition

    /// Creates an issue event.
    public init(event: Event, position: EventPosition) {
        self.event = event
        self.position = position
    }
}

/// Which way a walk through an issue's events goes.
public enum EventDirection: Sendable, Hashable {
    /// Back in time: newest first.
    case older
    /// Forward in time: oldest first.
    case newer
}
