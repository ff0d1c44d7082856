import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import LedgerCore
import LedgerServer
import LedgerStore
import LedgerSync
import Logging
import NIOSSL
import NodeReading
import ServiceLifecycle
import StaffWeb

struct Peers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peers",
        abstract: "The nodes this node trusts to sync with it.", subcommands: [Add.self, List.self, Remove.self])

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Trust a peer: only trusted peers may sync with this node.")

        @OptionGroup var node: NodeOptions
        @Option(parsing: .unconditional, help: "What to call the peer.") var name: String
        @Option(parsing: .unconditional, help: "The peer's node id (what `reunite whoami` prints there).")
        var key: String
        @Option(parsing: .unconditional, help: "Where the peer serves sync, e.g. http://10.0.0.5:7410.")
        var url: String?
        @Flag(help: "The peer may pull from this node but not push to it.") var pullOnly = false

        func execute() throws {
            let nodeID = try NodeID.parse(key, field: "--key")
            let name = name.trimming(" \t")
            guard !name.isEmpty else { throw LedgerError(.missingField, field: "--name", "is empty") }
            if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw LedgerError(.invalidValue, field: "--url", "\"\(url)\" is not an http:// or https:// address")
            }
            let opened = try node.openNode()
            guard nodeID != opened.key.nodeID else {
                throw LedgerError(.invalidValue, field: "--key", "is this node's own id")
            }
            let url = url.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            try opened.store.addPeer(
                name: name, nodeID: nodeID, url: url, pullOnly: pullOnly, nowMilliseconds: Clock.nowMilliseconds())
            print("trusting \(name) (\(nodeID.hex.prefix(12)))")
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List trusted peers, when each last synced and how far behind it is.")

        @OptionGroup var node: NodeOptions
        @Flag(help: "Print an array of peers.") var json = false

        func execute() throws {
            let store = try node.openNode().store
            if json {
                Console.printJSON(try store.peersDocument())
                return
            }
            let local = try store.vector()
            let forked = try store.forkedOrigins()
            let peers = try store.peers()
            Console.printTable(
                ["NAME", "NODE", "URL", "LAST SYNC", "BEHIND", "RESULT"],
                peers.map { peer in
                    [
                        peer.name + (peer.pullOnly ? " (pull-only)" : "")
                            + (forked.contains(peer.nodeID) ? " FORKED" : ""),
                        String(peer.nodeID.hex.prefix(12)), peer.url ?? "",
                        peer.lastSyncAt.map { HybridTimestamp(milliseconds: $0, counter: 0).description } ?? "never",
                        peer.vector.map { String(local.eventsAhead(of: $0)) } ?? "?", peer.lastSyncResult ?? "",
                    ]
                }, maxWidth: 48)
        }
    }

    struct Remove: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Stop trusting a peer.")

        @OptionGroup var node: NodeOptions
        @Argument(help: "The peer's node id.") var nodeId: String

        func execute() throws {
            let id = try NodeID.parse(nodeId, field: "NODE_ID")
            guard try node.openNode().store.removePeer(id) else {
                throw LedgerError(.unknownRecord, field: "NODE_ID", "\(nodeId.prefix(12)) is not a peer")
            }
            print("no longer trusting \(id.hex.prefix(12))")
        }
    }
}

struct Sync: AsyncNodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "One two-way sync with the peer serving at URL.")

    @OptionGroup var node: NodeOptions
    @Argument(help: "The peer's address, as given to `peers add --url`.") var url: String
    @Option(parsing: .unconditional, help: "Seconds to wait for each answer before giving up.") var timeout = 120
    @Option(
        parsing: .unconditional,
        help: "PEM file of the certificate authorities an https:// peer's certificate must chain to.") var ca: String?
    @Flag(help: "Print {\"peer\", \"received\", \"sent\", \"bytesIn\", \"bytesOut\", ...}.") var json = false
    @Flag(
        help:
            "After each batch, print to standard error how many events have come and gone of how many. Done anyway when standard error is a terminal."
    ) var progress = false

    func execute() async throws {
        guard timeout > 0 else { throw LedgerError(.invalidValue, field: "--timeout", "must be at least 1 second") }
        let roots = try ca.map { try TLSFiles.certificates($0, option: "--ca") }
        let opened = try node.openNode()
        var tell: (@Sendable (SyncReport) -> Void)? = nil
        if progress || isatty(STDERR_FILENO) != 0 { tell = { Console.printNote($0.progressLine) } }
        let report = try await SyncClient(
            node: opened, timeoutSeconds: Int64(timeout), trustRoots: roots, now: Clock.nowMilliseconds, progress: tell
        ).sync(url: url)
        if json {
            Console.printJSON(report.json)
        } else {
            print(report.line)
        }
    }
}

extension SyncReport {
    var json: JSONValue {
        .object([
            ("peer", .string(peer.nodeID.hex)), ("name", .string(peer.name)), ("received", .number(Double(received))),
            ("sent", .number(Double(sent))), ("bytesIn", .number(Double(bytesIn))),
            ("bytesOut", .number(Double(bytesOut))),
            ("roundTrips", .number(Double(roundTrips))), ("forks", .number(Double(forks))),
            (
                "refusedByPeer",
                .array(refusedByPeer.map { .string("\($0.origin.hex.prefix(12)) from \($0.startSeq): \($0.reason)") })
            ),
            ("refusedFromPeer", .array(refusedFromPeer.map { .string($0) })),
        ])
    }

    /// How far an exchange has come: "received 20000 of 1000000 events (2 %), 620 KB in".
    var progressLine: String {
        func part(_ verb: String, _ done: Int, of total: Int, _ bytes: Int, _ way: String) -> String {
            let percent = total > 0 ? min(100, done * 100 / total) : 100
            let size =
                bytes < 1_000_000 ? "\((bytes + 500) / 1000) KB" : "\(Double((bytes + 50_000) / 100_000) / 10) MB"
            return "\(verb) \(done) of \(total) events (\(percent) %), \(size) \(way)"
        }
        var parts: [String] = []
        if toReceive > 0 || received > 0 { parts.append(part("received", received, of: toReceive, bytesIn, "in")) }
        if toSend > 0 || sent > 0 { parts.append(part("sent", sent, of: toSend, bytesOut, "out")) }
        return "\(peer.name): " + parts.joined(separator: "; ")
    }

    var line: String {
        var text =
            "synced with \(peer.name): received \(received), sent \(sent) events; \(bytesIn) bytes in, \(bytesOut) out, \(roundTrips) round trips"
        if forks > 0 { text += "; FORK DETECTED, see `reunite forks`" }
        for refusal in refusedByPeer { text += "\n  refused by \(peer.name): \(refusal.reason)" }
        for reason in refusedFromPeer { text += "\n  refused from \(peer.name): \(reason)" }
        return text
    }
}

struct Serve: AsyncNodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve sync and the staff web pages over HTTP; optionally sync with peers on a schedule.",
        discussion: """
            Stops cleanly on SIGTERM or SIGINT. Example: reunite serve --sync-with http://10.0.0.5:7410 --every 24h. \
            The staff pages and /api/v1 are served on --listen too, unless --web-listen gives them their own \
            address: reunite serve --listen 0.0.0.0:7410 --web-listen 127.0.0.1:7411 lets only sync face the network.
            """)

    @OptionGroup var node: NodeOptions
    @Option(parsing: .unconditional, help: "HOST:PORT to listen on; port 0 picks a free one.")
    var listen = "127.0.0.1:7410"
    @Option(
        parsing: .unconditional,
        help: "HOST:PORT for the staff pages and /api/v1 alone; --listen then serves only sync.") var webListen: String?
    @Option(parsing: .unconditionalSingleValue, help: "A peer's URL to sync with on a schedule; repeatable.")
    var syncWith: [String] = []
    @Option(parsing: .unconditional, help: "How often to sync with each --sync-with peer: 90s, 30m, 24h, 7d.")
    var every = "24h"
    @Option(parsing: .unconditional, help: "PEM certificate chain: serve https:// instead of http://.")
    var tlsCert: String?
    @Option(parsing: .unconditional, help: "PEM private key of --tls-cert.") var tlsKey: String?
    @Option(parsing: .unconditional, help: "PEM certificate authorities that --sync-with https:// peers must chain to.")
    var ca: String?

    func execute() async throws {
        let (host, port) = try Self.address(listen, option: "--listen")
        let web = try webListen.map { try Self.address($0, option: "--web-listen") }
        guard let interval = Duration(parsing: every) else {
            throw LedgerError(
                .invalidValue, field: "--every", "\"\(every)\" is not a duration such as 90s, 30m, 24h or 7d")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw LedgerError(
                .missingField, field: tlsCert == nil ? "--tls-cert" : "--tls-key",
                "--tls-cert and --tls-key go together")
        }
        var http: HTTPServerBuilder = .http1(configuration: .init(idleTimeout: .seconds(120)))
        if let tlsCert, let tlsKey {
            let chain = try TLSFiles.certificates(tlsCert, option: "--tls-cert")
            let key: NIOSSLPrivateKey
            do {
                key = try NIOSSLPrivateKey(file: tlsKey, format: .pem)
            } catch {
                throw LedgerError(.invalidValue, field: "--tls-key", "\(tlsKey) is not a PEM private key")
            }
            http = try .tls(
                http,
                tlsConfiguration: .makeServerConfiguration(
                    certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        }
        let scheme = tlsCert == nil ? "http" : "https"
        let roots = try ca.map { try TLSFiles.certificates($0, option: "--ca") }
        let opened = try node.openNode()
        var logger = Logger(label: "reunite")
        logger.logLevel = .info
        let server = SyncServer(node: opened, logger: logger, now: Clock.nowMilliseconds)
        let pages = try StaffWeb(
            node: opened, secureCookies: tlsCert != nil, logger: logger, now: Clock.nowMilliseconds)
        let router = Router()
        server.addRoutes(to: router)
        var services: [any Service] = []
        if let (webHost, webPort) = web {
            let webRouter = Router()
            pages.addRoutes(to: webRouter)
            pages.addAPIRoutes(to: webRouter)
            webRouter.get("/health") { _, _ in "ok\n" }
            services.append(
                Self.application(
                    webRouter, http, host: webHost, port: webPort,
                    announce: "serving staff pages on \(scheme)://\(webHost):", logger: logger))
        } else {
            pages.addRoutes(to: router)
            pages.addAPIRoutes(to: router)
        }
        services.insert(
            Self.application(
                router, http, host: host, port: port,
                announce:
                    "serving sync\(web == nil ? " and staff pages" : "") for \(opened.key.nodeID.hex) on \(scheme)://\(host):",
                logger: logger), at: 0)
        if !syncWith.isEmpty {
            services.append(
                ScheduledSync(node: opened, urls: syncWith, interval: interval, trustRoots: roots, logger: logger))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    static func address(_ text: String, option: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw LedgerError(.invalidValue, field: option, "\"\(text)\" is not HOST:PORT") }
        return (String(text[..<colon]), port)
    }

    /// One listener. It prints `announce` and its port once it listens, unbuffered: scripts and
    /// tests wait for that line to learn the port.
    static func application(
        _ router: Router<BasicRequestContext>, _ http: HTTPServerBuilder, host: String, port: Int, announce: String,
        logger: Logger
    ) -> some Service {
        Application(
            router: router,
            server: http,
            configuration: .init(address: .hostname(host, port: port), serverName: "reunite"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? port
                FileHandle.standardOutput.write(Data("\(announce)\(port)\n".utf8))
            },
            logger: logger)
    }
}

/// Syncs with each peer in turn, then waits the interval, until the server shuts down.
/// One log line per peer per run, and, while a long exchange (a new peer's whole history) is
/// under way, one after each batch saying how far it has come.
struct ScheduledSync: Service {
    let node: Node
    let urls: [String]
    let interval: Duration
    let trustRoots: [NIOSSLCertificate]?
    let logger: Logger

    func run() async throws {
        let client = SyncClient(node: node, trustRoots: trustRoots, now: Clock.nowMilliseconds) { [logger] report in
            // The last batch is told by the line at the end: a nightly sync of a few events logs that alone.
            if report.received < report.toReceive || report.sent < report.toSend {
                logger.info("\(report.progressLine)")
            }
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            for url in urls {
                do {
                    let report = try await client.sync(url: url)
                    logger.info("\(report.line.split(separator: "\n").joined(separator: "; ")) (\(url))")
                } catch {
                    logger.warning("sync with \(url) failed: \(error)")
                }
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}

extension Duration {
    /// `90s`, `30m`, `24h`, `7d`.
    init?(parsing text: String) {
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount > 0 else { return nil }
        switch unit {
        case "s": self = .seconds(amount)
        case "m": self = .seconds(amount * 60)
        case "h": self = .seconds(amount * 3600)
        case "d": self = .seconds(amount * 86400)
        default: return nil
        }
    }
}

struct Forks: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "forks",
        abstract: "Origins seen with two histories, and the operator's decision about them.",
        subcommands: [ListForks.self, Resolve.self], defaultSubcommand: ListForks.self)

    func execute() throws {}

    struct ListForks: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List forks and their evidence.")

        @OptionGroup var node: NodeOptions
        @Flag var json = false

        func execute() throws {
            let forks = try node.openNode().store.forks()
            if json {
                Console.printJSON(
                    .array(
                        forks.map { fork in
                            .object([
                                ("origin", .string(fork.origin.hex)), ("seq", .number(Double(fork.seq))),
                                ("ours", fork.ours.map { .string($0.hex) } ?? .null),
                                ("theirs", .string(fork.theirs.hex)),
                                ("reportedBy", fork.peer.map { .string($0.hex) } ?? .null),
                                (
                                    "detectedAt",
                                    .string(HybridTimestamp(milliseconds: fork.detectedAt, counter: 0).description)
                                ),
                                ("resolution", fork.resolution.map { .string($0) } ?? .null),
                            ])
                        }))
                return
            }
            Console.printTable(
                ["ORIGIN", "SEQ", "OURS", "THEIRS", "DETECTED", "RESOLUTION"],
                forks.map {
                    [
                        String($0.origin.hex.prefix(12)), String($0.seq), $0.ours?.short ?? "", $0.theirs.short,
                        HybridTimestamp(milliseconds: $0.detectedAt, counter: 0).description,
                        $0.resolution ?? "unresolved",
                    ]
                })
        }
    }

    struct Resolve: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve",
            abstract: "Record an operator's decision about a forked origin and accept its events again.")

        @OptionGroup var node: NodeOptions
        @Argument(help: "The forked origin's node id.") var origin: String
        @Option(parsing: .unconditional, help: "What was decided and why.") var decision: String

        func execute() throws {
            let id = try NodeID.parse(origin, field: "ORIGIN")
            let count = try node.openNode().store.resolveFork(
                of: id, decision: decision, nowMilliseconds: Clock.nowMilliseconds())
            guard count > 0 else {
                throw LedgerError(.unknownRecord, field: "ORIGIN", "\(origin.prefix(12)) has no unresolved fork")
            }
            print("resolved \(count) fork record(s) of \(id.hex.prefix(12))")
        }
    }
}

extension NodeID {
    /// A node id as typed: 64 hex characters, either case.
    static func parse(_ text: String, field: String) throws -> NodeID {
        guard let id = NodeID(hex: text.lowercased()) else {
            throw LedgerError(.invalidValue, field: field, "\"\(text)\" is not a node id (64 hex characters)")
        }
        return id
    }
}

enum TLSFiles {
    /// The certificates in a PEM file, or an error naming the option.
    static func certificates(_ path: String, option: String) throws -> [NIOSSLCertificate] {
        guard let certificates = try? NIOSSLCertificate.fromPEMFile(path), !certificates.isEmpty else {
            throw LedgerError(.invalidValue, field: option, "\(path) holds no PEM certificate")
        }
        return certificates
    }
}
