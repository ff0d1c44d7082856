/// One signed fact in an origin's chain: who (origin), where in the chain (seq, prev), when
/// (clock), what (kind and fields). Immutable; its id is the SHA-256 of its canonical bytes
/// (Protocol/EVENTS.md, "Event layout"), which the origin's signature covers.
public struct Event: Hashable, Sendable {
    /// The first byte of every event; a new layout gets a new version.
    public static let formatVersion: UInt8 = 1

    public let origin: NodeID
    /// 1, 2, 3, ... within the origin's chain, with no gaps.
    public let seq: UInt64
    /// The id of the origin's event `seq - 1`; nil for the first.
    public let prev: EventID?
    public let clock: HybridTimestamp
    public let kind: EventKind
    public let fields: FieldSet
    public let canonicalBytes: [UInt8]
    public let id: EventID

    /// Builds an event from parts the ledger has already validated.
    public init(origin: NodeID, seq: UInt64, prev: EventID?, clock: HybridTimestamp, kind: EventKind, fields: FieldSet)
    {
        precondition(seq >= 1 && (seq == 1) == (prev == nil), "seq 1 has no prev; every later event has one")
        self.origin = origin
        self.seq = seq
        self.prev = prev
        self.clock = clock
        self.kind = kind
        self.fields = fields
        var writer = ByteWriter()
        writer.byte(Self.formatVersion)
        writer.raw(origin.bytes)
        writer.uvarint(seq)
        writer.raw(prev?.bytes ?? Self.noPrev)
        writer.uint64(clock.rawValue)
        writer.byte(kind.rawValue)
        fields.encode(into: &writer)
        canonicalBytes = writer.bytes
        id = EventID.of(canonicalBytes: canonicalBytes)
    }

    private static let noPrev = [UInt8](repeating: 0, count: 32)

    /// Decodes canonical bytes, refusing anything a conforming encoder would not write:
    /// unknown versions, kinds or fields, missing required fields, non-minimal numbers,
    /// trailing bytes.
    public init(canonicalBytes bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        guard try reader.byte() == Self.formatVersion else {
            throw LedgerError(.malformedEvent, "unknown event format version")
        }
        let origin = NodeID(bytes: try reader.raw(32))
        let seq = try reader.uvarint()
        let prevBytes = try reader.raw(32)
        guard seq >= 1 else { throw LedgerError(.malformedEvent, "seq starts at 1") }
        guard (seq == 1) == (prevBytes == Self.noPrev) else {
            throw LedgerError(.malformedEvent, "prev must be zero exactly for seq 1")
        }
        let clock = HybridTimestamp(rawValue: try reader.uint64())
        let kindCode = try reader.byte()
        guard let kind = EventKind(rawValue: kindCode) else {
            throw LedgerError(.malformedEvent, "unknown event kind \(kindCode)")
        }
        let fields = try FieldSet.decode(from: &reader) { kind.has($0) }
        guard reader.isAtEnd else { throw LedgerError(.malformedEvent, "bytes after the event") }
        for (field, required) in kind.schema where required && fields[field] == nil {
            throw LedgerError(.malformedEvent, "\(kind.name) lacks required field \(field.name)")
        }
        self.origin = origin
        self.seq = seq
        self.prev = seq == 1 ? nil : EventID(bytes: prevBytes)
        self.clock = clock
        self.kind = kind
        self.fields = fields
        self.canonicalBytes = bytes
        self.id = EventID.of(canonicalBytes: bytes)
    }

    /// Rebuilds an event from its parts and the fields section of its canonical bytes (the
    /// field count and the fields), then decodes it as strictly as any other bytes. Sync sends
    /// only the fields; the receiver rebuilds the rest (Protocol/SYNC.md, "Runs").
    public init(
        origin: NodeID, seq: UInt64, prev: EventID?, clock: HybridTimestamp, kindCode: UInt8,
        fieldsSection: some Collection<UInt8>
    ) throws {
        var writer = ByteWriter(capacity: 80 + fieldsSection.count)
        writer.byte(Self.formatVersion)
        writer.raw(origin.bytes)
        writer.uvarint(seq)
        writer.raw(prev?.bytes ?? Self.noPrev)
        writer.uint64(clock.rawValue)
        writer.byte(kindCode)
        writer.raw(fieldsSection)
        try self.init(canonicalBytes: writer.bytes)
    }

    /// The record this event creates, or the one it corrects or retracts.
    public var record: EventID {
        kind.createsRecord ? id : fields.record(.target)!
    }

    /// The event as JSON: `id`, `origin`, `seq`, `kind`, `clock`, then its fields.
    public var json: JSONValue {
        .object(
            [
                ("id", .string(id.hex)), ("origin", .string(origin.hex)), ("seq", .number(Double(seq))),
                ("kind", .string(kind.name)), ("clock", .string(clock.description)),
            ] + fields.jsonMembers)
    }
}

/// An event with its origin's Ed25519 signature over its canonical bytes. The signature may
/// be absent on an event that a later signed event of the same chain covers through its
/// hash links; the last event of every chain is always signed.
public struct SignedEvent: Hashable, Sendable {
    public let event: Event
    public let signature: [UInt8]?

    public init(event: Event, signature: [UInt8]?) {
        self.event = event
        self.signature = signature
    }

    public func hasValidSignature() -> Bool {
        guard let signature else { return false }
        return NodeKey.isValid(signature: signature, of: event)
    }
}
