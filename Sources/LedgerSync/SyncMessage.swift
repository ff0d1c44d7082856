import LedgerCore

/// Why a pushed run was not stored.
public struct Refusal: Hashable, Sendable {
    public let origin: NodeID
    public let startSeq: UInt64
    public let reason: String

    public init(origin: NodeID, startSeq: UInt64, reason: String) {
        self.origin = origin
        self.startSeq = startSeq
        self.reason = reason
    }
}

/// Finds where events the receiver already holds sit in their chains, so a batch can name
/// them in a few bytes instead of 32 (Protocol/SYNC.md, "References"). Returns only the ids
/// the receiver holds.
public typealias LocateReferences = @Sendable ([EventID]) throws -> [EventID: ChainPosition]

/// Turns chain positions back into ids; nil for one this node does not hold.
public typealias ResolveReferences = @Sendable ([ChainPosition]) throws -> [EventID?]

/// An event named by where it sits: its origin and seq.
public struct ChainPosition: Hashable, Sendable {
    public let origin: NodeID
    public let seq: UInt64

    public init(origin: NodeID, seq: UInt64) {
        self.origin = origin
        self.seq = seq
    }
}

/// The messages of one exchange (Protocol/SYNC.md, "Messages"). On the wire each is the
/// magic `RSY1`, a type byte and its fields, deflated with the preset dictionary.
public enum SyncMessage: Sendable {
    /// The caller's vector digest: all a pair in sync needs to say.
    case hello(digest: [UInt8])
    /// The server's answer: in sync, or its whole vector.
    case helloAnswer(vector: VersionVector?)
    /// The caller's vector, asking for events it lacks.
    case pull(vector: VersionVector)
    /// Runs of events: a pull's answer (with `more` when the server has more), or a push.
    case batch(runs: [SignedRun], more: Bool)
    /// What the server did with a pushed batch.
    case pushAnswer(stored: UInt64, refused: [Refusal])

    static let magic = Array("RSY1".utf8)

    private var type: UInt8 {
        switch self {
        case .hello: 1
        case .helloAnswer: 2
        case .pull: 3
        case .batch: 4
        case .pushAnswer: 5
        }
    }

    /// The compressed bytes to send; `locate` lets a batch name events the receiver holds briefly.
    public func encoded(locate: LocateReferences? = nil) throws -> [UInt8] {
        Deflate.compress(try plainBytes(locate: locate), level: 9)
    }

    /// The compressed bytes with every reference written whole.
    public func encoded() -> [UInt8] {
        Deflate.compress(plainBytes(), level: 9)
    }

    /// The bytes before compression, every reference written whole.
    public func plainBytes() -> [UInt8] {
        try! plainBytes(locate: nil)
    }

    /// The bytes before compression.
    public func plainBytes(locate: LocateReferences?) throws -> [UInt8] {
        var writer = WireWriter()
        writer.raw(Self.magic)
        writer.byte(type)
        switch self {
        case .hello(let digest):
            writer.raw(digest)
        case .helloAnswer(let vector):
            if let vector {
                writer.byte(1)
                writer.vector(vector)
            } else {
                writer.byte(0)
            }
        case .pull(let vector):
            writer.vector(vector)
        case .batch(let runs, let more):
            let table = try ReferenceTable(runs: runs, locate: locate)
            table.write(into: &writer)
            writer.uvarint(UInt64(runs.count))
            for run in runs { writer.run(run, table: table) }
            writer.byte(more ? 1 : 0)
        case .pushAnswer(let stored, let refused):
            writer.uvarint(stored)
            writer.uvarint(UInt64(refused.count))
            for refusal in refused {
                writer.raw(refusal.origin.bytes)
                writer.uvarint(refusal.startSeq)
                writer.text(refusal.reason)
            }
        }
        return writer.bytes
    }

    /// Inflates and reads a message, refusing anything over the limits or not exactly one message.
    public init(decoding compressed: [UInt8], limits: SyncLimits = .standard, resolve: ResolveReferences? = nil)
        throws(SyncError)
    {
        guard compressed.count <= limits.maxBodyBytes else {
            throw SyncError(.tooLarge, "the body is \(compressed.count) bytes; the limit is \(limits.maxBodyBytes)")
        }
        try self.init(
            plain: try Deflate.decompress(compressed, limit: limits.maxInflatedBytes), limits: limits, resolve: resolve)
    }

    public init(plain: [UInt8], limits: SyncLimits = .standard, resolve: ResolveReferences? = nil) throws(SyncError) {
        var reader = WireReader(plain)
        guard (try? reader.raw(4)) == Self.magic else { throw SyncError(.malformed, "not a reunite sync message") }
        do {
            switch try reader.byte() {
            case 1:
                self = .hello(digest: try reader.raw(16))
            case 2:
                switch try reader.byte() {
                case 0: self = .helloAnswer(vector: nil)
                case 1: self = .helloAnswer(vector: try reader.vector(limits: limits))
                default: throw SyncError(.malformed, "a hello answer is in sync (0) or a vector (1)")
                }
            case 3:
                self = .pull(vector: try reader.vector(limits: limits))
            case 4:
                let table = try reader.referenceTable(limits: limits, resolve: resolve)
                let count = try reader.count(max: limits.maxRunsPerBatch, what: "runs")
                var runs: [SignedRun] = []
                var events = 0
                for _ in 0..<count {
                    let run = try reader.run(limits: limits, table: table)
                    events += run.events.count
                    guard events <= limits.maxEventsPerBatch else {
                        throw SyncError(.tooLarge, "a batch holds more than \(limits.maxEventsPerBatch) events")
                    }
                    runs.append(run)
                }
                let more = try reader.byte()
                guard more <= 1 else { throw SyncError(.malformed, "more is 0 or 1") }
                self = .batch(runs: runs, more: more == 1)
            case 5:
                let stored = try reader.uvarint()
                let count = try reader.count(max: limits.maxRunsPerBatch, what: "refusals")
                var refused: [Refusal] = []
                for _ in 0..<count {
                    refused.append(
                        Refusal(
                            origin: NodeID(bytes: try reader.raw(32)), startSeq: try reader.uvarint(),
                            reason: try reader.text(maxBytes: 1000)))
                }
                self = .pushAnswer(stored: stored, refused: refused)
            case let type:
                throw SyncError(.malformed, "unknown message type \(type)")
            }
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError(.malformed, "\(error)")
        }
        guard reader.isAtEnd else { throw SyncError(.malformed, "bytes after the message") }
    }
}

/// Limits every node applies to what it reads (Protocol/SYNC.md, "Limits").
public struct SyncLimits: Sendable {
    public var maxBodyBytes = 16 << 20
    public var maxInflatedBytes = 64 << 20
    public var maxRunsPerBatch = 10_000
    public var maxEventsPerBatch = 20_000
    public var maxOrigins = 100_000
    public var maxEventBytes = 128 << 10
    /// How many events a node puts in one batch it sends.
    public var batchEvents = 10_000

    public static let standard = SyncLimits()

    public init() {}
}
