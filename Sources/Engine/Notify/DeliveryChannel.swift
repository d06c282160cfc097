/// Delivers one outbox delivery and says how it went; one implementation per channel (webhook,
/// SMTP, preview). Retrying, backoff and bookkeeping are the dispatcher's, not the channel's.
public protocol DeliveryChannel: Sendable {
    /// Attempts the delivery once.
    func deliver(_ delivery: Delivery, store: any Store) async -> DeliveryOutcome

    /// The host a delivery with this target goes to: the dispatcher keeps at most
    /// `concurrencyPerHost` deliveries in flight per host. A webhook's is its URL's host; every
    /// email goes to the one SMTP server.
    func destinationHost(target: String) -> String
}

extension DeliveryChannel {
    /// By default the whole channel counts as one host (right for a local one, like previews).
    public func destinationHost(target: String) -> String {
        String(reflecting: Self.self)
    }
}
