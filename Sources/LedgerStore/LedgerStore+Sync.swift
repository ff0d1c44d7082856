import Foundation
import GRDB
import LedgerCore

/// What storing a batch of runs from a peer did.
public struct ReceiveReport: Sendable {
    public var stored = 0
    public var storedRuns: [SignedRun] = []
    public var refused: [(run: SignedRun, reason: String)] = []
    public var forks = 0
}

/// One origin's history as two nodes hold it differently, with the signed proof.
public struct Fork: Sendable {
    public let origin: NodeID
    public let seq: UInt64
    public let ours: EventID?
    public let theirs: EventID
    public let peer: NodeID?
    public let detectedAt: UInt64
    public let resolution: String?
}

extension LedgerStore {
    /// Readings further ahead of the wall clock than this are kept but not trusted as time.
    public static let clockTolerance: UInt64 = 5 * 60 * 1000

    // MARK: What this node holds

    /// The head of every chain, found by skipping from origin to origin in the (origin, seq)
    /// index: as many lookups as origins, whatever the number of events.
    public func vector() throws -> VersionVector {
        try pool.read { db in try Self.vector(db) }
    }

    static func vector(_ db: Database) throws -> VersionVector {
        var vector = VersionVector()
        var after = Data()
        while let row = try Row.fetchOne(
            db,
            sql: """
                SELECT origin, seq, id FROM event
                WHERE origin = (SELECT origin FROM event WHERE origin > ? ORDER BY origin LIMIT 1)
                ORDER BY seq DESC LIMIT 1
                """, arguments: [after])
        {
            let origin = row["origin"] as Data
            vector[NodeID(bytes: [UInt8](origin))] = ChainHead(
                seq: UInt64(row["seq"] as Int64), id: EventID(bytes: [UInt8](row["id"] as Data)))
            after = origin
        }
        return vector
    }

    /// Runs of the events `remote` lacks, at most about `maxEvents` in all. A run ends on an
    /// event this node holds a signature for, since that signature is what proves the run.
    public func runs(missingFrom remote: VersionVector, maxEvents: Int) throws -> [SignedRun] {
        try pool.read { db in
            var runs: [SignedRun] = []
            var budget = maxEvents
            for (origin, head) in try Self.vector(db).heads.sorted(by: { $0.key < $1.key }) {
                // The peer's seq is compared before one is added to it: a peer claiming seq
                // 2^64 - 1 would otherwise stop the process.
                let theirs = remote[origin]?.seq ?? 0
                guard theirs < head.seq, budget > 0 else { continue }
                let from = theirs + 1
                let wanted = min(head.seq, from + UInt64(budget) - 1)
                // The first signed event at or after `wanted`: the run must end on a signature.
                let end =
                    try Int64.fetchOne(
                        db,
                        sql: """
                            SELECT seq FROM event WHERE origin = ? AND seq >= ? AND signature IS NOT NULL
                            ORDER BY seq LIMIT 1
                            """, arguments: [Data(origin.bytes), Int64(wanted)]
                    ).map(UInt64.init) ?? head.seq
                let rows = try Row.fetchAll(
                    db, sql: "SELECT body, signature FROM event WHERE origin = ? AND seq BETWEEN ? AND ? ORDER BY seq",
                    arguments: [Data(origin.bytes), Int64(from), Int64(end)])
                let bodies = rows.map { [UInt8]($0["body"] as Data) }
                let events = try Parallel.map(bodies) { body in Result { try Event(canonicalBytes: body) } }.map {
                    try $0.get()
                }
                guard let signature = (rows.last?["signature"] as Data?).map({ [UInt8]($0) }) else { continue }
                runs.append(SignedRun(origin: origin, events: events, signature: signature))
                budget -= events.count
            }
            return runs
        }
    }

    // MARK: Receiving

    /// Stores runs from a peer in one transaction. Each run is checked whole: its hash links
    /// and signature, that it continues this node's chain for its origin without a gap, and
    /// that where it overlaps what this node holds it says the same. A run that fails is
    /// refused and nothing of it stored; one that contradicts a signed history is kept as
    /// evidence of a fork and its origin refused until an operator decides.
    public func receive(_ runs: [SignedRun], from peer: NodeID?, nowMilliseconds now: UInt64) throws -> ReceiveReport {
        let authentic = Parallel.map(runs) { $0.isAuthentic() }
        return try pool.writeWithoutTransaction { db in
            var report = ReceiveReport()
            try db.inTransaction(.immediate) {
                report = try Self.receive(zip(runs, authentic).map { $0 }, peer: peer, now: now, db: db)
                return .commit
            }
            return report
        }
    }

    private static func receive(_ runs: [(SignedRun, Bool)], peer: NodeID?, now: UInt64, db: Database) throws
        -> ReceiveReport
    {
        var report = ReceiveReport()
        var heads = try vector(db)
        let forked = try forkedOrigins(db)
        var newEvents: [Event] = []
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO event (id, origin, seq, clock, kind, record, body, signature, received)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (run, isAuthentic) in runs {
            guard isAuthentic else {
                report.refused.append((run, "the signature or a hash link does not check out"))
                continue
            }
            guard !forked.contains(run.origin) else {
                report.refused.append(
                    (run, "origin \(run.origin.hex.prefix(12)) has forked; an operator must decide first"))
                continue
            }
            let head = heads[run.origin]
            let held = head?.seq ?? 0
            guard run.startSeq <= held + 1 else {
                report.refused.append(
                    (run, "a gap: the run starts at \(run.startSeq) but this node holds up to \(held)"))
                continue
            }
            // Where the run overlaps what we hold, or links to it, it must say the same.
            if let conflict = try firstConflict(run, held: held, db: db) {
                try recordFork(run, at: conflict.seq, ours: conflict.ours, peer: peer, now: now, db: db)
                report.forks += 1
                report.refused.append(
                    (run, "origin \(run.origin.hex.prefix(12)) has two histories at seq \(conflict.seq)"))
                continue
            }
            let fresh = run.events.filter { $0.seq > held }
            guard let last = fresh.last else { continue }
            for event in fresh {
                try insert.execute(arguments: [
                    Data(event.id.bytes), Data(event.origin.bytes), Int64(event.seq),
                    Int64(bitPattern: event.clock.rawValue), Int64(event.kind.rawValue),
                    event.kind.createsRecord ? nil : Data(event.record.bytes), Data(event.canonicalBytes),
                    event.id == last.id ? Data(run.signature) : nil, Int64(now),
                ])
            }
            heads[run.origin] = ChainHead(seq: last.seq, id: last.id)
            newEvents += fresh
            report.stored += fresh.count
            report.storedRuns.append(run)
        }
        try updateRecords(touchedBy: newEvents, db: db)
        try raiseSeenClock(to: newEvents.map(\.clock).max(), now: now, db: db)
        return report
    }

    /// The first seq where a run disagrees with the chain this node holds, if any.
    private static func firstConflict(_ run: SignedRun, held: UInt64, db: Database) throws -> (
        seq: UInt64, ours: EventID?
    )? {
        let firstChecked = max(run.startSeq, 2) - 1
        guard firstChecked <= held else { return nil }
        let ours = try Row.fetchAll(
            db, sql: "SELECT seq, id FROM event WHERE origin = ? AND seq BETWEEN ? AND ? ORDER BY seq",
            arguments: [Data(run.origin.bytes), Int64(firstChecked), Int64(min(held, run.endSeq))]
        ).map { (UInt64($0["seq"] as Int64), EventID(bytes: [UInt8]($0["id"] as Data))) }
        for (seq, id) in ours {
            if seq == run.startSeq - 1 {
                if run.prev != id { return (seq, id) }
            } else if run.events[Int(seq - run.startSeq)].id != id {
                return (seq, id)
            }
        }
        return nil
    }

    private static func recordFork(
        _ run: SignedRun, at seq: UInt64, ours: EventID?, peer: NodeID?, now: UInt64, db: Database
    ) throws {
        let theirs = seq >= run.startSeq ? run.events[Int(seq - run.startSeq)].id : run.prev!
        // The run with its signature is the origin's own word for the other history.
        var evidence = Data()
        for event in run.events { evidence.append(contentsOf: event.canonicalBytes) }
        try db.execute(
            sql: """
                INSERT INTO fork (origin, seq, ours, theirs, evidence, peer, detectedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                Data(run.origin.bytes), Int64(seq), ours.map { Data($0.bytes) }, Data(theirs.bytes),
                evidence + Data(run.signature), peer.map { Data($0.bytes) }, Int64(now),
            ])
    }

    /// Refolds every record the new events create or amend, with whatever amendments were
    /// already waiting for them. A record created in this batch is folded from the event in
    /// hand and any amendments the partial `record` index finds; only records created earlier
    /// are read back.
    static func updateRecords(touchedBy events: [Event], db: Database) throws {
        var created: [EventID: Event] = [:]
        var amended = Set<EventID>()
        for event in events {
            if event.kind.createsRecord { created[event.id] = event } else { amended.insert(event.record) }
        }
        let amendmentsOf = try db.cachedStatement(sql: "SELECT body FROM event WHERE record = ?")
        let creationOf = try db.cachedStatement(sql: "SELECT body FROM event WHERE id = ?")
        var records: [Record] = []
        records.reserveCapacity(created.count + amended.count)
        for id in Set(created.keys).union(amended) {
            let creation: Event
            if let fresh = created[id] {
                creation = fresh
            } else if let body = try Data.fetchOne(creationOf, arguments: [Data(id.bytes)]) {
                creation = try Event(canonicalBytes: [UInt8](body))
            } else {
                continue  // an amendment waiting for its record
            }
            let amendments = try Data.fetchAll(amendmentsOf, arguments: [Data(id.bytes)])
                .map { try Event(canonicalBytes: [UInt8]($0)) }
            records.append(Fold.record(creation: creation, amendments: amendments))
        }
        try save(records, db: db)
    }

    // MARK: The clock

    static func seenClock(_ db: Database) throws -> HybridTimestamp? {
        try String.fetchOne(db, sql: "SELECT value FROM node WHERE key = 'seenClock'")
            .flatMap(UInt64.init).map(HybridTimestamp.init(rawValue:))
    }

    /// Raises the floor for our next reading to the latest received, but never past our own
    /// wall clock plus the tolerance: a peer days ahead is kept, flagged, and ignored as time.
    private static func raiseSeenClock(to received: HybridTimestamp?, now: UInt64, db: Database) throws {
        guard let received else { return }
        let cap = HybridTimestamp(milliseconds: now + clockTolerance, counter: 0)
        let candidate = min(received, cap)
        if let current = try seenClock(db), current >= candidate { return }
        try db.execute(
            sql: "INSERT OR REPLACE INTO node (key, value) VALUES ('seenClock', ?)",
            arguments: [String(candidate.rawValue)])
    }

    /// Events whose clock was further ahead of this node's wall clock than the tolerance when they arrived.
    public func eventsFromTheFuture() throws -> Set<EventID> {
        try pool.read { db in
            Set(
                try Data.fetchAll(
                    db, sql: "SELECT id FROM event WHERE (clock >> 16) > received + ?",
                    arguments: [Int64(Self.clockTolerance)]
                ).map { EventID(bytes: [UInt8]($0)) })
        }
    }

    // MARK: Forks

    static func forkedOrigins(_ db: Database) throws -> Set<NodeID> {
        Set(
            try Data.fetchAll(db, sql: "SELECT DISTINCT origin FROM fork WHERE resolvedAt IS NULL")
                .map { NodeID(bytes: [UInt8]($0)) })
    }

    public func forkedOrigins() throws -> Set<NodeID> {
        try pool.read { db in try Self.forkedOrigins(db) }
    }

    public func forks() throws -> [Fork] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM fork ORDER BY position").map { row in
                Fork(
                    origin: NodeID(bytes: [UInt8](row["origin"] as Data)), seq: UInt64(row["seq"] as Int64),
                    ours: (row["ours"] as Data?).map { EventID(bytes: [UInt8]($0)) },
                    theirs: EventID(bytes: [UInt8](row["theirs"] as Data)),
                    peer: (row["peer"] as Data?).map { NodeID(bytes: [UInt8]($0)) },
                    detectedAt: UInt64(row["detectedAt"] as Int64), resolution: row["resolution"])
            }
        }
    }

    /// An operator's decision about a forked origin: its events are accepted again from now on.
    /// The evidence stays.
    public func resolveFork(of origin: NodeID, decision: String, nowMilliseconds: UInt64) throws -> Int {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE fork SET resolvedAt = ?, resolution = ? WHERE origin = ? AND resolvedAt IS NULL",
                arguments: [Int64(nowMilliseconds), decision, Data(origin.bytes)])
            return db.changesCount
        }
    }
}

extension LedgerStore {
    /// Where each of `ids` sits in its chain, for those `remote` already holds: what lets a
    /// batch name them by position (Protocol/SYNC.md, "References"). One read for them all.
    public func positions(of ids: [EventID], heldBy remote: VersionVector) throws -> [EventID: (
        origin: NodeID, seq: UInt64
    )] {
        try pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT origin, seq FROM event WHERE id = ?")
            var found: [EventID: (origin: NodeID, seq: UInt64)] = [:]
            for id in ids {
                guard let row = try Row.fetchOne(statement, arguments: [Data(id.bytes)]) else { continue }
                let origin = NodeID(bytes: [UInt8](row["origin"] as Data))
                let seq = UInt64(row["seq"] as Int64)
                if seq <= remote[origin]?.seq ?? 0 { found[id] = (origin, seq) }
            }
            return found
        }
    }

    /// The ids at chain positions; nil where this node holds no such event.
    public func ids(at positions: [(origin: NodeID, seq: UInt64)]) throws -> [EventID?] {
        try pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT id FROM event WHERE origin = ? AND seq = ?")
            return try positions.map { position in
                // A peer names these: a seq past Int64.max, which SQLite cannot hold, is held by no
                // node, and converting it would stop the process.
                guard let seq = Int64(exactly: position.seq) else { return nil }
                return try Data.fetchOne(statement, arguments: [Data(position.origin.bytes), seq])
                    .map { EventID(bytes: [UInt8]($0)) }
            }
        }
    }
}
