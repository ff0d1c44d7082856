import Crypto

/// Where a record stands. Conflicting human decisions are `disputed`, never resolved by
/// picking a winner.
public enum RecordStatus: String, CaseIterable, Sendable {
    // Cases and found children.
    case open, matched, reunited
    // Match decisions.
    case confirmed, rejected
    // Sightings and reunions that stand.
    case recorded
    case disputed, retracted

    /// A status as typed; an error naming `field` and every status otherwise.
    public init(parsing text: String, field: String) throws {
        guard let status = Self(rawValue: text) else {
            let names = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw LedgerError(.invalidValue, field: field, "\"\(text)\" is not a status (\(names))")
        }
        self = status
    }
}

/// Derives statuses from the match decisions and reunions that stand (not retracted).
///
/// A pair (case, found child) is in conflict when it has both a confirmation and a
/// rejection, or when either side is confirmed with more than one partner. A case or found
/// child with a conflicting pair is `disputed`; otherwise `reunited` once a reunion stands,
/// `matched` once a confirmation does, else `open`.
public struct StatusBoard: Sendable {
    private struct Pair: Hashable {
        let caseId: EventID
        let foundId: EventID
    }

    private var confirmations: [Pair: Int] = [:]
    private var rejections: [Pair: Int] = [:]
    private var confirmedFound: [EventID: Set<EventID>] = [:]
    private var confirmedCases: [EventID: Set<EventID>] = [:]
    private var rejectedPairsOf: [EventID: Set<Pair>] = [:]
    private var reunited: Set<EventID> = []

    /// Reads the match decisions and reunions among `records`; other records are ignored.
    public init(records: some Sequence<Record>) {
        for record in records where !record.retracted {
            guard let caseId = record.caseId, let foundId = record.foundId else { continue }
            let pair = Pair(caseId: caseId, foundId: foundId)
            switch record.kind {
            case .identityMatched:
                confirmations[pair, default: 0] += 1
                confirmedFound[caseId, default: []].insert(foundId)
                confirmedCases[foundId, default: []].insert(caseId)
            case .matchRejected:
                rejections[pair, default: 0] += 1
                rejectedPairsOf[caseId, default: []].insert(pair)
                rejectedPairsOf[foundId, default: []].insert(pair)
            case .reunited:
                reunited.insert(caseId)
                reunited.insert(foundId)
            default:
                break
            }
        }
    }

    private func confirmationConflicts(_ pair: Pair) -> Bool {
        rejections[pair, default: 0] > 0 || confirmedFound[pair.caseId, default: []].count > 1
            || confirmedCases[pair.foundId, default: []].count > 1
    }

    private func isDisputed(_ id: EventID) -> Bool {
        let confirmedPairs =
            confirmedFound[id, default: []].map { Pair(caseId: id, foundId: $0) }
            + confirmedCases[id, default: []].map { Pair(caseId: $0, foundId: id) }
        return confirmedPairs.contains(where: confirmationConflicts)
            || rejectedPairsOf[id, default: []].contains { confirmations[$0, default: 0] > 0 }
    }

    /// The records confirmed as the same child as `id` (a case's found children, a found
    /// child's cases) by confirmations that stand, disputed or not.
    public func confirmedPartners(of id: EventID) -> Set<EventID> {
        confirmedFound[id, default: []].union(confirmedCases[id, default: []])
    }

    /// Whether a reunion that stands names `id`.
    public func isReunited(_ id: EventID) -> Bool { reunited.contains(id) }

    public func status(of record: Record) -> RecordStatus {
        if record.retracted { return .retracted }
        switch record.kind {
        case .abductionReported, .childFound:
            if isDisputed(record.id) { return .disputed }
            if reunited.contains(record.id) { return .reunited }
            let confirmed = record.kind == .abductionReported ? confirmedFound[record.id] : confirmedCases[record.id]
            return (confirmed?.isEmpty ?? true) ? .open : .matched
        case .identityMatched, .matchRejected:
            guard let caseId = record.caseId, let foundId = record.foundId else { return .disputed }
            let pair = Pair(caseId: caseId, foundId: foundId)
            if record.kind == .identityMatched {
                return confirmationConflicts(pair) ? .disputed : .confirmed
            }
            return confirmations[pair, default: 0] > 0 ? .disputed : .rejected
        default:
            return .recorded
        }
    }
}

/// A hash of the read models that is equal on two nodes exactly when they hold the same
/// events: every record (id, kind, status, current fields, history) in id order, then the
/// amendments still waiting for their record (Protocol/EVENTS.md, "Digest").
public enum ReadModelDigest {
    public static func digest(records: some Collection<Record>, waiting: [EventID]) -> String {
        var digest = Writer(count: records.count, board: StatusBoard(records: records))
        for record in records.sorted(by: { $0.id < $1.id }) { digest.add(record) }
        return digest.finish(waiting: waiting)
    }

    /// The digest made as the records come, in id order, so that a log of millions need not be
    /// folded whole first: `count` records are to come, and `board` holds their decisions.
    public struct Writer {
        private let board: StatusBoard
        private var hash = SHA256()
        private var writer = ByteWriter(capacity: 1 << 16)

        public init(count: Int, board: StatusBoard) {
            self.board = board
            writer.raw(Array("reunite/read-models/v1".utf8))
            writer.uvarint(UInt64(count))
        }

        public mutating func add(_ record: Record) {
            writer.raw(record.id.bytes)
            writer.byte(record.kind.rawValue)
            writer.text(board.status(of: record).rawValue)
            let fields = record.fields.canonicalBytes
            writer.uvarint(UInt64(fields.count))
            writer.raw(fields)
            writer.uvarint(UInt64(record.history.count))
            for id in record.history { writer.raw(id.bytes) }
            if writer.bytes.count >= 1 << 16 { hashWritten() }
        }

        /// The digest, once the amendments still waiting for their record are added.
        public mutating func finish(waiting: [EventID]) -> String {
            writer.uvarint(UInt64(waiting.count))
            for id in waiting.sorted() { writer.raw(id.bytes) }
            hashWritten()
            return hash.finalize().withUnsafeBytes { EventID(bytes: $0) }.hex
        }

        private mutating func hashWritten() {
            hash.update(data: writer.bytes)
            writer = ByteWriter(capacity: 1 << 16)
        }
    }
}
