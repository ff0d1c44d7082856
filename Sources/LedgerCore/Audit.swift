/// An event as the log stores it: the columns beside the canonical bytes are what a
/// tamperer might change without touching the bytes, so the audit checks them too.
public struct StoredEvent: Sendable {
    public let id: EventID
    public let origin: NodeID
    public let seq: UInt64
    public let body: [UInt8]
    public let signature: [UInt8]?

    public init(id: EventID, origin: NodeID, seq: UInt64, body: [UInt8], signature: [UInt8]?) {
        self.id = id
        self.origin = origin
        self.seq = seq
        self.body = body
        self.signature = signature
    }
}

/// Checks a log for tampering (Protocol/EVENTS.md, "Verifying a log"): every body decodes
/// and hashes to its id, every chain runs 1, 2, 3, ... with each prev the id before it,
/// every signature present is the origin's, and the last event of every chain is signed.
public enum Audit {
    public struct Result: Sendable {
        public var events: [Event] = []
        public var origins = 0
        public var problems: [String] = []
    }

    public static func check(_ stored: [StoredEvent]) -> Result {
        var result = Result()
        var chains: [NodeID: [(seq: UInt64, event: Event)]] = [:]
        for row in stored {
            let name = "event \(row.id.short) (seq \(row.seq) of origin \(row.origin.hex.prefix(12)))"
            guard let event = try? Event(canonicalBytes: row.body) else {
                result.problems.append("\(name): its bytes are not a valid event")
                continue
            }
            guard event.id == row.id else {
                result.problems.append("\(name): its bytes hash to \(event.id.short), not to its id")
                continue
            }
            guard event.origin == row.origin, event.seq == row.seq else {
                result.problems.append("\(name): the stored origin or seq differs from the signed event")
                continue
            }
            result.events.append(event)
            chains[event.origin, default: []].append((event.seq, event))
        }
        result.origins = chains.count
        for (origin, chain) in chains.sorted(by: { $0.key < $1.key }) {
            var previous: Event? = nil
            for (_, event) in chain.sorted(by: { $0.seq < $1.seq }) {
                let expected = (previous?.seq ?? 0) + 1
                if event.seq != expected {
                    result.problems.append(
                        "origin \(origin.hex.prefix(12)): events \(expected) to \(event.seq - 1) are missing before event \(event.id.short)"
                    )
                } else if event.prev != previous?.id {
                    result.problems.append(
                        "event \(event.id.short): its prev does not link to event \(expected - 1) of its origin")
                }
                previous = event
            }
        }
        result.problems += signatureProblems(stored, chains: chains)
        return result
    }

    /// Signatures are checked on both cores: Ed25519 verification dominates a large audit.
    private static func signatureProblems(_ stored: [StoredEvent], chains: [NodeID: [(seq: UInt64, event: Event)]])
        -> [String]
    {
        let heads = Set(chains.values.compactMap { $0.max(by: { $0.seq < $1.seq })?.event.id })
        let events = Dictionary(
            chains.values.flatMap { $0.map { ($0.event.id, $0.event) } }, uniquingKeysWith: { a, _ in a })
        let rows = stored.filter { events[$0.id] != nil }
        let valid = Parallel.map(rows) { row in
            row.signature.map { NodeKey.isValid(signature: $0, of: events[row.id]!) }
        }
        var problems: [String] = []
        for (row, isValid) in zip(rows, valid) {
            if isValid == false {
                problems.append("event \(row.id.short): the signature is not its origin's")
            } else if isValid == nil && heads.contains(row.id) {
                problems.append("event \(row.id.short): the last event of its chain is not signed")
            }
        }
        return problems
    }
}
