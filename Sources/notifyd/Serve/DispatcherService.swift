import Engine
import ServiceLifecycle

/// Runs the daemon's dispatcher until shutdown. On graceful shutdown the loop is cancelled,
/// which makes the dispatcher give its leases back, so the next start delivers at once what was
/// claimed but not sent.
struct DispatcherService: Service {
    let daemon: Daemon

    func run() async throws {
        daemon.dispatcherRunning.set(true)
        defer { daemon.dispatcherRunning.set(false) }
        await cancelWhenGracefulShutdown {
            await daemon.dispatcher.run()
        }
        try await daemon.webhooks.shutdown()
    }
}
