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
}
