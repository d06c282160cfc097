/// The deliveries a dispatcher has in flight, overall and per destination host, against its two
/// limits: a slow or stalled host fills its own slots, never everybody's.
struct DispatchSlots: Sendable {
    /// The most deliveries in flight at once.
    let total: Int
    /// The most in flight to one host.
    let perHost: Int
    /// In flight now.
    private(set) var inFlight = 0
    private var byHost: [String: Int] = [:]

    init(total: Int, perHost: Int) {
        self.total = total
        self.perHost = perHost
    }

    /// How many more may start, hosts aside.
    var free: Int { total - inFlight }

    /// Whether one more may start for `host`.
    func hasRoom(for host: String) -> Bool {
        free > 0 && byHost[host, default: 0] < perHost
    }

    /// Counts a delivery to `host` as started.
    mutating func take(_ host: String) {
        inFlight += 1
        byHost[host, default: 0] += 1
    }

    /// Counts a delivery to `host` as finished.
    mutating func release(_ host: String) {
        inFlight -= 1
        let remaining = byHost[host, default: 1] - 1
        byHost[host] = remaining > 0 ? remaining : nil
    }
}
