public import Foundation

/// Carries produced messages to a consumer. `InProcessTransport` hands them straight to this
/// process's consumer (Sentry's "no broker: process directly"); a Kafka transport will publish
/// them to the `ingest-occurrences` topic with the partition key.
public protocol MessageTransport: Sendable {
    /// Delivers one message. Returns the processing result when processing happened on the spot,
    /// `nil` when the message was only handed to a broker.
    func send(key: String?, value: Data) async throws -> MessageResult?
}

/// The transport with no broker: the message is processed synchronously by `consumer`.
public struct InProcessTransport: MessageTransport {
    /// The consumer that processes what is sent.
    public let consumer: Consumer

    /// Creates the transport.
    public init(consumer: Consumer) { self.consumer = consumer }

    public func send(key: String?, value: Data) async throws -> MessageResult? {
        await consumer.process([value]).first
    }
}
