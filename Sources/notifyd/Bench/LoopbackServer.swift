import Logging
import NIOCore
import ServiceLifecycle

/// A server a bench runs in its own process on a free loopback port: its service group (for a
/// graceful stop; cancelling the task would cut the server's channels mid-close), its task and
/// the port it bound.
struct LoopbackServer {
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let port: Int

    /// Runs the service `make` builds — handed the callback to report its bound channel to —
    /// and returns once it listens.
    static func start(
        logger: Logger, _ make: (@escaping @Sendable (any Channel) async -> Void) -> some Service
    ) async -> LoopbackServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let service = make { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let task = Task { try await group.run() }
        var port = 0
        for await bound in ports { port = bound }
        return LoopbackServer(group: group, task: task, port: port)
    }

    /// Stops the server gracefully and waits for it.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
