import ArgumentParser
import LedgerCore
import LedgerStore

struct Init: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create this node's ledger and Ed25519 key; print the node id.")

    @OptionGroup var node: NodeOptions
    @Option(parsing: .unconditional, help: "The organisation this node belongs to.") var name: String
    @Flag(help: "Print {\"nodeId\", \"name\"}.") var json = false

    func execute() throws {
        let name = name.trimming(" \t")
        guard !name.isEmpty else {
            throw LedgerError(.missingField, field: "--name", "is empty; name the organisation")
        }
        let created = try Node.create(in: node.directory, name: name)
        if json {
            Console.printJSON(.object([("nodeId", .string(created.key.nodeID.hex)), ("name", .string(name))]))
        } else {
            print(created.key.nodeID.hex)
        }
    }
}

struct WhoAmI: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "Show this node's id, name and number of events.")

    @OptionGroup var node: NodeOptions
    @Flag(help: "Print {\"nodeId\", \"name\", \"events\", \"origins\"}.") var json = false

    func execute() throws {
        let opened = try node.openNode()
        let name = try opened.store.nodeName()
        let (events, origins) = try opened.store.counts()
        let peers = try opened.store.peers().count
        let forked = try opened.store.forkedOrigins().sorted().map(\.hex)
        if json {
            Console.printJSON(
                .object([
                    ("nodeId", .string(opened.key.nodeID.hex)), ("name", .string(name)),
                    ("events", .number(Double(events))), ("origins", .number(Double(origins))),
                    ("peers", .number(Double(peers))), ("forkedOrigins", .array(forked.map { .string($0) })),
                ]))
        } else {
            var rows = [
                ["name", name], ["node id", opened.key.nodeID.hex], ["events", String(events)],
                ["origins", String(origins)],
                ["peers", String(peers)],
            ]
            for origin in forked { rows.append(["FORKED", "\(origin) (see `reunite forks`)"]) }
            Console.printTable(["", ""], rows, maxWidth: 100)
        }
    }
}
