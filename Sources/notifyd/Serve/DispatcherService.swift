import Engine
import ServiceLifecycle

/// Runs the daemon's dispatcher until shutdown, with the flag `/healthz` reads, then closes the
/// webhook client and the email channel's threads. On graceful shutdown the dispatcher stops claiming, lets the attempts in
/// flight finish and gives its leases back, so the next start delivers at once what was claimed
/// but not sent.
struct DispatcherService: Service {
    let daemon: Daemon

    func run() async throws {
        daemon.dispatcherRunning.set(true)
        defer { daemon.dispatcherRunning.set(false) }
        await daemon.dispatcher.run()
        try await daemon.webhooks.shutdown()
        try await daemon.email?.shutdown()
    }
}
