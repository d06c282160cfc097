/// Why deliveries of a channel that cannot deliver wait in the outbox: recorded as their last
/// error by the daemon's dispatcher and by `notifyd deliveries send`, and printed by the latter.
enum DeliveryWaiting {
    static let noSMTPServer = "no SMTP server is configured (set smtp.url in the configuration or NOTIFYD_SMTP_URL)"
}
