import LedgerCore

/// Writes the sync wire format: the primitives of events (Protocol/EVENTS.md 2.1), then
/// vectors and runs.
struct WireWriter {
    private var writer = ByteWriter(capacity: 64 * 1024)

    var bytes: [UInt8] { writer.bytes }

    mutating func byte(_ value: UInt8) { writer.byte(value) }
    mutating func raw(_ value: some Collection<UInt8>) { writer.raw(value) }
    mutating func uvarint(_ value: UInt64) { writer.uvarint(value) }
    mutating func svarint(_ value: Int64) { writer.svarint(value) }
    mutating func text(_ value: String) { writer.text(value) }

    mutating func vector(_ vector: VersionVector) {
        let origins = vector.origins
        uvarint(UInt64(origins.count))
        for origin in origins {
            let head = vector[origin]!
            raw(origin.bytes)
            uvarint(head.seq)
            raw(head.id.bytes)
        }
    }

    /// origin, start seq, prev, count, signature, then each event's kind, clock delta and fields.
    mutating func run(_ run: SignedRun, table: ReferenceTable) {
        raw(run.origin.bytes)
        uvarint(run.startSeq)
        raw(run.prev?.bytes ?? [UInt8](repeating: 0, count: 32))
        uvarint(UInt64(run.events.count))
        raw(run.signature)
        var clock: UInt64 = 0
        for event in run.events {
            byte(event.kind.rawValue)
            svarint(Int64(bitPattern: event.clock.rawValue &- clock))
            clock = event.clock.rawValue
            let fields = event.fields.wireBytes(shortReference: table.index(of:))
            uvarint(UInt64(fields.count))
            raw(fields)
        }
    }
}

struct WireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() throws(SyncError) -> UInt8 {
        guard offset < bytes.count else { throw SyncError(.malformed, "the message ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func raw(_ count: Int) throws(SyncError) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw SyncError(.malformed, "the message ends early") }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func uvarint() throws(SyncError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            if shift == 63 && next > 1 { throw SyncError(.malformed, "a varint overflows 64 bits") }
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 {
                if next == 0 && shift > 0 { throw SyncError(.malformed, "a varint is not minimal") }
                return value
            }
            shift += 7
        }
    }

    mutating func svarint() throws(SyncError) -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func count(max: Int, what: String) throws(SyncError) -> Int {
        let value = try uvarint()
        guard value <= UInt64(max) else { throw SyncError(.tooLarge, "\(value) \(what); the limit is \(max)") }
        return Int(value)
    }

    mutating func text(maxBytes: Int) throws(SyncError) -> String {
        let utf8 = try raw(count(max: maxBytes, what: "bytes of text"))
        guard let text = String(validating: utf8, as: UTF8.self) else { throw SyncError(.malformed, "invalid UTF-8") }
        return text
    }

    mutating func vector(limits: SyncLimits) throws(SyncError) -> VersionVector {
        let count = try self.count(max: limits.maxOrigins, what: "origins")
        var vector = VersionVector()
        var previous: NodeID? = nil
        for _ in 0..<count {
            let origin = NodeID(bytes: try raw(32))
            guard previous.map({ $0 < origin }) ?? true else {
                throw SyncError(.malformed, "vector origins must ascend")
            }
            previous = origin
            let seq = try uvarint()
            guard seq >= 1 else { throw SyncError(.malformed, "a vector entry has seq 0") }
            vector[origin] = ChainHead(seq: seq, id: EventID(bytes: try raw(32)))
        }
        return vector
    }

    mutating func referenceTable(limits: SyncLimits, resolve: ResolveReferences?) throws(SyncError) -> [EventID] {
        let originCount = try count(max: limits.maxOrigins, what: "origins")
        var origins: [NodeID] = []
        for _ in 0..<originCount { origins.append(NodeID(bytes: try raw(32))) }
        let entries = try count(max: limits.maxEventsPerBatch * 2, what: "references")
        var positions: [ChainPosition] = []
        for _ in 0..<entries {
            let origin = try count(max: max(originCount - 1, 0), what: "as an origin index")
            guard origin < originCount else { throw SyncError(.malformed, "a reference to an origin not listed") }
            positions.append(ChainPosition(origin: origins[origin], seq: try uvarint()))
        }
        guard !positions.isEmpty else { return [] }
        guard let resolve else {
            throw SyncError(.malformed, "the batch names events by position, and nothing here can look them up")
        }
        let ids: [EventID?]
        do {
            ids = try resolve(positions)
        } catch {
            throw SyncError(.transport, "could not look up the batch's references: \(error)")
        }
        return try zip(positions, ids).map { (position, id) throws(SyncError) in
            guard let id else {
                throw SyncError(
                    .malformed,
                    "the batch refers to seq \(position.seq) of \(position.origin.hex.prefix(12)), which this node does not hold"
                )
            }
            return id
        }
    }

    mutating func run(limits: SyncLimits, table: [EventID]) throws(SyncError) -> SignedRun {
        let origin = NodeID(bytes: try raw(32))
        let startSeq = try uvarint()
        let prevBytes = try raw(32)
        guard startSeq >= 1, (startSeq == 1) == prevBytes.allSatisfy({ $0 == 0 }) else {
            throw SyncError(.malformed, "a run's prev must be zero exactly when it starts at seq 1")
        }
        let count = try self.count(max: limits.maxEventsPerBatch, what: "events in a run")
        guard count >= 1 else { throw SyncError(.malformed, "an empty run") }
        // Each event's seq is startSeq plus its place: none may pass 2^64 - 1, which would stop
        // the process rather than refuse the batch.
        guard startSeq <= UInt64.max - UInt64(count - 1) else {
            throw SyncError(.malformed, "a run of \(count) events from seq \(startSeq) passes the largest seq")
        }
        let signature = try raw(64)
        var prev: EventID? = startSeq == 1 ? nil : EventID(bytes: prevBytes)
        var clock: UInt64 = 0
        var events: [Event] = []
        events.reserveCapacity(count)
        for index in 0..<count {
            let kind = try byte()
            clock = clock &+ UInt64(bitPattern: try svarint())
            let wire = try raw(self.count(max: limits.maxEventBytes, what: "bytes in an event"))
            do {
                let fields = try FieldSet(wireBytes: wire) { index in
                    guard index < UInt64(table.count) else {
                        throw SyncError(.malformed, "reference \(index) is past the batch's table")
                    }
                    return table[Int(index)]
                }
                let event = try Event(
                    origin: origin, seq: startSeq + UInt64(index), prev: prev, clock: HybridTimestamp(rawValue: clock),
                    kindCode: kind, fieldsSection: fields.canonicalBytes)
                events.append(event)
                prev = event.id
            } catch {
                throw SyncError(.malformed, "event \(startSeq + UInt64(index)) of a run: \(error)")
            }
        }
        return SignedRun(origin: origin, events: events, signature: signature)
    }
}

/// The events a batch names by position: origins listed once, then (origin index, seq) pairs.
/// Only events the receiver holds before the batch are in it; a reference to an event in the
/// batch itself is written whole.
struct ReferenceTable {
    /// Each origin's place in the list written before the entries.
    private var originIndex: [NodeID: Int] = [:]
    private(set) var positions: [ChainPosition] = []
    private var indexByID: [EventID: UInt64] = [:]

    init(runs: [SignedRun], locate: LocateReferences?) throws {
        guard let locate else { return }
        let inBatch = Set(runs.flatMap { $0.events.map(\.id) })
        var referenced: [EventID] = []
        var seen = Set<EventID>()
        for run in runs {
            for event in run.events {
                for (_, value) in event.fields.sorted {
                    if case .record(let id) = value, !inBatch.contains(id), seen.insert(id).inserted {
                        referenced.append(id)
                    }
                }
            }
        }
        guard !referenced.isEmpty else { return }
        let located = try locate(referenced)
        for id in referenced {
            guard let position = located[id] else { continue }
            if originIndex[position.origin] == nil { originIndex[position.origin] = originIndex.count }
            indexByID[id] = UInt64(positions.count)
            positions.append(position)
        }
    }

    func index(of id: EventID) -> UInt64? {
        indexByID[id]
    }

    func write(into writer: inout WireWriter) {
        writer.uvarint(UInt64(originIndex.count))
        for (origin, _) in originIndex.sorted(by: { $0.value < $1.value }) { writer.raw(origin.bytes) }
        writer.uvarint(UInt64(positions.count))
        for position in positions {
            writer.uvarint(UInt64(originIndex[position.origin]!))
            writer.uvarint(position.seq)
        }
    }
}
