import Crypto

/// The last event a node holds of one origin's chain.
public struct ChainHead: Hashable, Sendable {
    public let seq: UInt64
    public let id: EventID

    public init(seq: UInt64, id: EventID) {
        self.seq = seq
        self.id = id
    }
}

/// What a node holds: for each origin, the head of its chain. Chains never have gaps, so the
/// head says every event held. Derived from the stored events, never kept beside them.
public struct VersionVector: Hashable, Sendable {
    public private(set) var heads: [NodeID: ChainHead]

    public init(heads: [NodeID: ChainHead] = [:]) {
        self.heads = heads
    }

    public subscript(origin: NodeID) -> ChainHead? {
        get { heads[origin] }
        set { heads[origin] = newValue }
    }

    public var origins: [NodeID] { heads.keys.sorted() }

    /// Events held in all: the sum of the chain lengths.
    public var eventCount: UInt64 { heads.values.reduce(0) { $0 + $1.seq } }

    /// How many events this vector holds that `other` does not, counted by seq.
    public func eventsAhead(of other: VersionVector) -> UInt64 {
        heads.reduce(0) { total, entry in total + entry.value.seq - min(entry.value.seq, other[entry.key]?.seq ?? 0) }
    }

    /// The first 16 bytes of the SHA-256 of the heads in origin order: equal on two nodes
    /// exactly when they hold the same chains (Protocol/SYNC.md, "Vector digest").
    public var digest: [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array("reunite/vector/v1".utf8))
        for origin in origins {
            let head = heads[origin]!
            hasher.update(data: origin.bytes)
            var seq = head.seq.bigEndian
            withUnsafeBytes(of: &seq) { hasher.update(bufferPointer: $0) }
            hasher.update(data: head.id.bytes)
        }
        return Array(hasher.finalize().prefix(16))
    }
}

/// Consecutive events of one origin's chain, as sync carries them: `prev` is the id before
/// the first, and one signature, over the last event, covers them all through their hash
/// links.
public struct SignedRun: Sendable {
    public let origin: NodeID
    public let events: [Event]
    public let signature: [UInt8]

    public init(origin: NodeID, events: [Event], signature: [UInt8]) {
        precondition(!events.isEmpty, "a run has at least one event")
        self.origin = origin
        self.events = events
        self.signature = signature
    }

    public var startSeq: UInt64 { events[0].seq }
    public var endSeq: UInt64 { events[events.count - 1].seq }
    public var prev: EventID? { events[0].prev }

    /// True when the events link up from `prev` and the signature over the last is the origin's.
    public func isAuthentic() -> Bool {
        for (earlier, later) in zip(events, events.dropFirst()) {
            guard later.origin == origin, later.seq == earlier.seq + 1, later.prev == earlier.id else { return false }
        }
        return events[0].origin == origin && NodeKey.isValid(signature: signature, of: events[events.count - 1])
    }
}
