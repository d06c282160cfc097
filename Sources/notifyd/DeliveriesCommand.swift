import ArgumentParser
import Engine
import Foundation

/// `notifyd deliveries …`: see, send and resend outbox deliveries.
struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "List, send and redeliver notifications in the outbox.",
        subcommands: [DeliveriesListCommand.self, DeliveriesSendCommand.self, DeliveriesRedeliverCommand.self])
}

/// `notifyd deliveries list [--state pending|dead|delivered] [--json]`.
struct DeliveriesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List deliveries, oldest first.")

    @OptionGroup var store: StoreOptions
    @Option(help: "pending, delivered or dead (default: all).") var state: String?
    @Option(help: "How many to list.") var limit = 100
    @Flag(help: "Print JSON lines instead of a table.") var json = false

    func validate() throws {
        if let state, Delivery.State(rawValue: state) == nil { throw ValidationError("--state takes pending, delivered or dead") }
    }

    func run() async throws {
        let (engine, _) = try await store.open()
        let state = self.state.flatMap(Delivery.State.init(rawValue:))
        let limit = self.limit
        let deliveries = try await engine.store.read { try $0.deliveries(state: state, limit: limit) }
        if !json { print("ID                                STATE      TRIES  CHANNEL  TARGET") }
        for delivery in deliveries {
            if json {
                print(DeliveryJSON.json(delivery).serializedString())
            } else {
                let state = delivery.state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                let tries = String(delivery.attempts).padding(toLength: 6, withPad: " ", startingAt: 0)
                let channel = delivery.channel.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                print("\(delivery.id)  \(state) \(tries) \(channel) \(delivery.target)\(delivery.lastError.map { "  (\($0))" } ?? "")")
            }
        }
    }
}

/// `notifyd deliveries redeliver ID|--dead`.
struct DeliveriesRedeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeliver", abstract: "Make a delivered or dead delivery pending again (or every dead one with --dead).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The delivery id.") var id: String?
    @Flag(help: "Redeliver every dead delivery.") var dead = false

    func validate() throws {
        guard (id != nil) != dead else { throw ValidationError("give a delivery id or --dead, not both") }
    }

    func run() async throws {
        let (engine, _) = try await store.open()
        if dead {
            let count = try await engine.store.write { try $0.redeliverDead(now: Date()) }
            print("\(count) dead deliveries are pending again")
        } else if let id {
            guard try await engine.store.write({ try $0.redeliver(id: id, now: Date()) }) else {
                throw ValidationError("no delivered or dead delivery with the id \(id)")
            }
            print("\(id) is pending again")
        }
    }
}
