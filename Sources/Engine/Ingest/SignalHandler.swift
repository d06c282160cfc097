/// The hook through which later stages (the rule evaluator, an embedder's own code) learn what
/// ingest decided.
///
/// `handle` runs inside the store transaction that made the change, right after it, so
/// whatever the handler writes through `transaction` (outbox rows, counters) commits together
/// with the issue change or not at all. Throwing undoes the whole message: nothing of it is
/// stored and its result is `.failed`. Handlers must not block on I/O; enqueue work instead.
///
/// ```swift
/// struct AuditLog: SignalHandler {
///     func handle(_ signal: IssueSignal, in transaction: any StoreTransaction) throws {
///         if case .occurrence(let o) = signal, o.groupInfo.isNew { print("new issue", o.groupInfo.group.title) }
///     }
/// }
/// let engine = try Engine(configuration: .init(databasePath: "notifyd.sqlite", signalHandlers: [AuditLog()]))
/// ```
public protocol SignalHandler: Sendable {
    /// Handles one signal inside the transaction that caused it.
    func handle(_ signal: IssueSignal, in transaction: any StoreTransaction) throws
}
