/// An event as the log stores it: the columns beside the canonical bytes are what a
/// tamperer might change without touching the bytes, so the audit checks them too.
public struct StoredEvent: Sendable {
    public let id: EventID
    public let origin: NodeID
    public let seq: UInt64
    /// The kind, as its number (EventKind).
    public let kind: Int64
    /// The record the event makes or changes; nil for one that makes a record (its own id).
    public let record: EventID?
    public let body: [UInt8]
    public let signature: [UInt8]?

    public init(
        id: EventID, origin: NodeID, seq: UInt64, kind: Int64, record: EventID?, body: [UInt8], signature: [UInt8]?
    ) {
        self.id = id
        self.origin = origin
        self.seq = seq
        self.kind = kind
        self.record = record
        self.body = body
        self.signature = signature
    }
}

/// Checks a log for tampering (Protocol/EVENTS.md, "Verifying a log"): every body decodes
/// and hashes to its id, every chain runs 1, 2, 3, ... with each prev the id before it,
/// every signature present is the origin's, and the last event of every chain is signed.
/// The log is given a part at a time, in order of origin and seq, so that a log of millions is
/// never held whole.
public struct Audit: Sendable {
    public private(set) var problems: [String] = []
    /// Origins with an event that passed.
    public private(set) var origins = 0
    /// The events that passed and create a record: how many records a fold of them holds.
    public private(set) var creations = 0
    /// The events whose bytes are no event, or not the event their columns say: left out of
    /// the fold.
    public private(set) var failed: Set<EventID> = []
    /// The last event that passed, and whether it is signed: the head of its chain so far.
    private var last: (event: Event, signed: Bool)?

    public init() {}

    /// Checks the next events of the log, in order of origin and then seq. Decoding and
    /// signatures are checked on every core: Ed25519 verification dominates a large audit.
    public mutating func check(_ stored: [StoredEvent]) {
        let checked = Parallel.map(stored) { row in
            Result { () throws(LedgerError) -> (Event, Bool?) in
                let event = try Self.event(row)
                return (event, row.signature.map { NodeKey.isValid(signature: $0, of: event) })
            }
        }
        for (row, outcome) in zip(stored, checked) {
            guard case .success(let (event, isValid)) = outcome else {
                if case .failure(let error) = outcome { problems.append(error.message) }
                failed.insert(row.id)
                continue
            }
            // The event before in its chain; none when this one begins a chain.
            let previous = last.flatMap { $0.event.origin == event.origin ? $0.event : nil }
            if previous == nil {
                endChain()
                origins += 1
            }
            let expected = (previous?.seq ?? 0) + 1
            if event.seq != expected {
                problems.append(
                    "origin \(event.origin.hex.prefix(12)): events \(expected) to \(event.seq - 1) are missing before event \(event.id.short)"
                )
            } else if event.prev != previous?.id {
                problems.append(
                    "event \(event.id.short): its prev does not link to event \(expected - 1) of its origin")
            }
            if isValid == false { problems.append("event \(event.id.short): the signature is not its origin's") }
            if event.kind.createsRecord { creations += 1 }
            last = (event, isValid != nil)
        }
    }

    /// Ends the audit: the last chain's head must be signed too.
    public mutating func finish() {
        endChain()
        last = nil
    }

    private mutating func endChain() {
        if let last, !last.signed {
            problems.append("event \(last.event.id.short): the last event of its chain is not signed")
        }
    }

    /// The event a stored row holds, if its bytes are one and the one its columns say.
    private static func event(_ row: StoredEvent) throws(LedgerError) -> Event {
        let name = "event \(row.id.short) (seq \(row.seq) of origin \(row.origin.hex.prefix(12)))"
        guard let event = try? Event(canonicalBytes: row.body) else {
            throw LedgerError(.malformedEvent, "\(name): its bytes are not a valid event")
        }
        guard event.id == row.id else {
            throw LedgerError(.malformedEvent, "\(name): its bytes hash to \(event.id.short), not to its id")
        }
        guard event.origin == row.origin, event.seq == row.seq, Int64(event.kind.rawValue) == row.kind,
            event.record == row.record ?? event.id
        else {
            throw LedgerError(
                .malformedEvent, "\(name): the stored origin, seq, kind or record differs from the signed event")
        }
        return event
    }
}
