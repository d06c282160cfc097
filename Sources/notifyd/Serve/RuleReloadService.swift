import Engine
import ServiceLifecycle
import UnixSignals

/// Keeps the daemon's rules in step with the rule folder: reloads on SIGHUP and when a rule file
/// changes. A folder with errors is logged and the rules in force stay (see `RuleReloader`).
struct RuleReloadService: Service {
    let reloader: RuleReloader

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await reloader.watch() }
                group.addTask {
                    for await _ in hangups {
                        reloader.reload()
                    }
                }
                await group.waitForAll()
            }
        }
    }
}
