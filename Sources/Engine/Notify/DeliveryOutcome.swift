/// What one delivery attempt came to, as a channel reports it.
public enum DeliveryOutcome: Sendable, Hashable {
    /// Delivered (a 2xx, an accepted mail, a written file).
    case delivered(statusCode: Int?)
    /// Failed in a way that may pass later (5xx, 408/425/429, timeouts, connection errors, SMTP 4xx).
    /// `retryAfter` is the receiver's own request (`Retry-After`), in seconds.
    case retry(statusCode: Int?, error: String, retryAfter: Double?)
    /// Failed for good (another 4xx, SMTP 5xx, a delivery that cannot be rendered).
    case failed(statusCode: Int?, error: String)

    /// Classifies an HTTP status the way Standard Webhooks and Alertmanager do: 2xx delivered;
    /// 408, 425, 429 and 5xx retried; 3xx retried (redirects are not followed, and a moved
    /// endpoint may come back); any other 4xx final.
    public static func http(status: Int, retryAfter: Double? = nil) -> DeliveryOutcome {
        switch status {
        case 200..<300: return .delivered(statusCode: status)
        case 408, 425, 429, 300..<400, 500..<600:
            return .retry(statusCode: status, error: "HTTP \(status)", retryAfter: retryAfter)
        default: return .failed(statusCode: status, error: "HTTP \(status)")
        }
    }

    /// Classifies the end of an SMTP transaction: no error is delivered; a 5xx reply is final
    /// (the server refused this mail for good: unknown recipient, rejected sender, failed AUTH);
    /// a 4xx reply, or a failure without an error reply (refused connection, timeout, TLS
    /// failure), is retried. `reply` is the last SMTP reply code; it is recorded only when it
    /// says something about the outcome (not the `220` greeting before a failed TLS handshake).
    public static func smtp(reply: Int?, error: String?) -> DeliveryOutcome {
        guard let error else { return .delivered(statusCode: reply) }
        guard let reply, reply >= 400 else { return .retry(statusCode: nil, error: error, retryAfter: nil) }
        return reply >= 500 ? .failed(statusCode: reply, error: error) : .retry(statusCode: reply, error: error, retryAfter: nil)
    }
}
