/// Delivers one outbox delivery and says how it went; one implementation per channel (webhook,
/// SMTP, preview). Retrying, backoff and bookkeeping are the dispatcher's, not the channel's.
public protocol DeliveryChannel: Sendable {
    /// Attempts the delivery once.
    func deliver(_ delivery: Delivery, store: any Store) async -> DeliveryOutcome
}
