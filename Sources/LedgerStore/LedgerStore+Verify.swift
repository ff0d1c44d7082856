import Foundation
import GRDB
import LedgerCore

/// What `verify` found.
public struct Verification: Sendable {
    public let events: Int
    public let origins: Int
    /// The digest of the read models a fresh fold of the log gives.
    public let digest: String
    public let problems: [String]

    public var ok: Bool { problems.isEmpty }
}

extension LedgerStore {
    /// Checks every signature and hash link, then that the stored records equal a fresh fold of
    /// the log. One read, in two passes over the log, each a part at a time: what it holds grows
    /// with the decisions and the events that failed, not with the log (a node of a million
    /// events took 522 MB, most of it SQLite's, where holding all of it took 4.5 GB).
    public func verify() throws -> Verification {
        let forks = try forks().filter { $0.resolution == nil }.map {
            "origin \($0.origin.hex.prefix(12)) has forked at seq \($0.seq): two signed histories; see `reunite forks`"
        }
        let (events, audit, folded) = try pool.read { db in
            let (events, audit) = try Self.audit(db)
            return (events, audit, try Self.refold(db, audit))
        }
        return Verification(
            events: events, origins: audit.origins, digest: folded.digest,
            problems: audit.problems + forks + folded.problems)
    }

    /// Every event, by origin and seq, through the audit; and how many there are.
    private static func audit(_ db: Database) throws -> (events: Int, audit: Audit) {
        var audit = Audit()
        var events = 0
        var part: [StoredEvent] = []
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, origin, seq, kind, record, body, signature FROM event ORDER BY origin, seq")
        while let row = try rows.next() {
            part.append(
                StoredEvent(
                    id: EventID(bytes: [UInt8](row["id"] as Data)),
                    origin: NodeID(bytes: [UInt8](row["origin"] as Data)),
                    seq: UInt64(row["seq"] as Int64), kind: row["kind"],
                    record: (row["record"] as Data?).map { EventID(bytes: [UInt8]($0)) },
                    body: [UInt8](row["body"] as Data),
                    signature: (row["signature"] as Data?).map { [UInt8]($0) }))
            events += 1
            if part.count == 4096 {
                audit.check(part)
                part.removeAll(keepingCapacity: true)
            }
        }
        audit.check(part)
        audit.finish()
        return (events, audit)
    }

    /// The events that passed `audit` folded again a record at a time, in id order, beside the
    /// stored records in the same order: what differs, and the digest of the fold.
    private static func refold(_ db: Database, _ audit: Audit) throws -> (digest: String, problems: [String]) {
        // A record's status hangs on the decisions naming it: those are folded first.
        let decisions = [EventKind.identityMatched, .matchRejected, .reunited].map { String($0.rawValue) }
        var decisionEvents: [Event] = []
        try Self.eachRecordsEvents(
            db,
            where:
                "coalesce(event.record, event.id) IN (SELECT id FROM event WHERE kind IN (\(decisions.joined(separator: ","))))",
            leavingOut: audit.failed
        ) { decisionEvents += $1 }
        var digest = ReadModelDigest.Writer(
            count: audit.creations, board: StatusBoard(records: Fold.records(from: decisionEvents).records.values))
        var problems: [String] = []
        var waiting: [EventID] = []
        let stored = try Row.fetchCursor(db, sql: Self.recordQuery + " ORDER BY record.id")
        var nextStored = try stored.next().map(RecordRow.init)
        /// The stored records before `id` have no events: none is a fold of the log.
        func storedBefore(_ id: EventID?) throws {
            while let row = nextStored, id.map({ EventID(bytes: [UInt8](row.id)) < $0 }) ?? true {
                switch Result(catching: { try row.decoded() }) {
                case .success(let record):
                    problems.append("record \(record.id.short): its creating event is not in the log")
                case .failure(let error): problems.append((error as? LedgerError)?.message ?? "\(error)")
                }
                nextStored = try stored.next().map(RecordRow.init)
            }
        }
        try Self.eachRecordsEvents(db, where: nil, leavingOut: audit.failed) { id, events in
            try storedBefore(id)
            let row = nextStored.flatMap { EventID(bytes: [UInt8]($0.id)) == id ? $0 : nil }
            if row != nil { nextStored = try stored.next().map(RecordRow.init) }
            guard let creation = events.first(where: { $0.id == id && $0.kind.createsRecord }) else {
                waiting += events.map(\.id)
                if row != nil { problems.append("record \(id.short): its creating event is not in the log") }
                return
            }
            let fresh = Fold.record(creation: creation, amendments: events)
            digest.add(fresh)
            guard let row else {
                problems.append("record \(id.short): in the log but missing from the read model")
                return
            }
            switch Result(catching: { try row.decoded() }) {
            case .success(let kept):
                if kept != fresh {
                    problems.append("record \(id.short): the read model differs from a fold of its events")
                }
            case .failure(let error):
                problems.append((error as? LedgerError)?.message ?? "\(error)")
            }
        }
        try storedBefore(nil)
        return (digest.finish(waiting: waiting), problems)
    }

    /// The events of each record (its creation, if stored, and every amendment naming it), a
    /// record at a time in id order, those in `failed` left out. Throws at an event that does
    /// not decode.
    private static func eachRecordsEvents(
        _ db: Database, where condition: String?, leavingOut failed: Set<EventID>,
        _ body: (EventID, [Event]) throws -> Void
    ) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT coalesce(event.record, event.id) AS record, event.id, event.body FROM event
                \(condition.map { "WHERE " + $0 } ?? "") ORDER BY coalesce(event.record, event.id), event.position
                """)
        var record: EventID? = nil
        var events: [Event] = []
        while let row = try rows.next() {
            let recordID = EventID(bytes: [UInt8](row["record"] as Data))
            if recordID != record {
                if let record { try body(record, events) }
                record = recordID
                events.removeAll(keepingCapacity: true)
            }
            // `verify` leaves out what its audit found wrong, every event that does not decode among them.
            let id = EventID(bytes: [UInt8](row["id"] as Data))
            guard !failed.contains(id) else { continue }
            do {
                events.append(try Event(canonicalBytes: [UInt8](row["body"] as Data)))
            } catch {
                throw LedgerError(
                    .malformedEvent, "event \(id.short): its bytes are not a valid event; `reunite verify` says more")
            }
        }
        if let record { try body(record, events) }
    }

    /// Replaces the read model with a fresh fold of the log, a record at a time in id order,
    /// written a part at a time; returns how many records it holds. An event that does not
    /// decode stops it, and nothing is changed.
    @discardableResult
    public func rebuild() throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DROP INDEX record_kind; DROP INDEX record_pair; DELETE FROM record")
            var count = 0
            var part: [Record] = []
            func save() throws {
                try Self.save(part, db: db)
                count += part.count
                part.removeAll(keepingCapacity: true)
            }
            try Self.eachRecordsEvents(db, where: nil, leavingOut: []) { id, events in
                // Amendments whose record's creation is not stored wait for it, as in a fold of the whole log.
                guard let creation = events.first(where: { $0.id == id && $0.kind.createsRecord }) else { return }
                part.append(Fold.record(creation: creation, amendments: events))
                if part.count == 4096 { try save() }
            }
            try save()
            try db.execute(sql: Schema.recordIndexes)
            return count
        }
    }
}
