import Foundation
import GRDB
import LedgerCore

/// One node's ledger in SQLite: the append-only event log and the records folded from it.
///
/// Every append runs in one immediate transaction with `synchronous = FULL`: the events and
/// the records they change are on disk together before `append` returns, or neither is.
public final class LedgerStore: Sendable {
    let pool: DatabasePool

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Ids are random hashes, so every index insert lands on a random page: a page
            // cache that holds the indexes of a large ledger keeps imports off the disk.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // Checked with a read first: a migration is a write, and every command opens the store.
            if try !pool.read({ try Schema.migrator.hasCompletedMigrations($0) }) {
                try Schema.migrator.migrate(pool)
            }
        } catch {
            throw StoreError(.io, "cannot open the ledger at \(path): \(error)")
        }
    }

    // MARK: Node settings

    func setName(_ name: String, nodeID: NodeID) throws {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO node (key, value) VALUES ('name', ?), ('nodeId', ?)", arguments: [name, nodeID.hex])
        }
    }

    public func nodeName() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM node WHERE key = 'name'") ?? "" }
    }

    // MARK: Appending

    /// Checks each draft against the ledger and the drafts before it, then signs and stores
    /// them all in one transaction. One bad draft stores nothing; with `numberLines` its
    /// error names its 1-based position.
    @discardableResult
    public func append(
        _ drafts: [EventDraft], signedBy key: NodeKey, nowMilliseconds: UInt64, numberLines: Bool = false
    ) throws -> [EventID] {
        try pool.writeWithoutTransaction { db in
            var ids: [EventID] = []
            try db.inTransaction(.immediate) {
                ids = try Self.append(drafts, key: key, now: nowMilliseconds, numberLines: numberLines, db: db)
                return .commit
            }
            return ids
        }
    }

    private static func append(_ drafts: [EventDraft], key: NodeKey, now: UInt64, numberLines: Bool, db: Database)
        throws -> [EventID]
    {
        let origin = key.nodeID
        let head = try Row.fetchOne(
            db, sql: "SELECT seq, id, clock FROM event WHERE origin = ? ORDER BY seq DESC LIMIT 1",
            arguments: [Data(origin.bytes)])
        var seq: UInt64 = head.map { UInt64($0["seq"] as Int64) } ?? 0
        var prev: EventID? = head.map { EventID(bytes: [UInt8]($0["id"] as Data)) }
        // Our own chain's last clock keeps our readings increasing; peers' clocks are not read
        // here, so one set days ahead cannot drag ours forward.
        var clock = head.map { HybridTimestamp(rawValue: UInt64(bitPattern: $0["clock"] as Int64)) }
        // Peers' events received raise this floor (capped near our wall clock), so what we record
        // after seeing them sorts after them.
        if let seen = try seenClock(db), seen > clock ?? HybridTimestamp(rawValue: 0) { clock = seen }
        if try forkedOrigins(db).contains(origin) {
            throw LedgerError(
                .ruleViolated,
                "this node's own history has forked (was it restored from a backup?); see `reunite forks` before recording"
            )
        }
        let today = Int(now / 86_400_000)
        let batch = PendingBatch(db: db)
        for (index, draft) in drafts.enumerated() {
            do {
                var references: [Field: EventID] = [:]
                for (field, reference) in draft.references {
                    references[field] = try batch.resolve(reference, field: field, line: index + 1)
                }
                let fields = try LedgerRules.check(draft, references: references, in: batch, today: today)
                clock = HybridTimestamp.next(after: clock, nowMilliseconds: now)
                seq += 1
                let event = Event(origin: origin, seq: seq, prev: prev, clock: clock!, kind: draft.kind, fields: fields)
                try batch.add(event, line: index + 1)
                prev = event.id
            } catch var error as LedgerError {
                if numberLines { error.line = index + 1 }
                throw error
            }
        }
        let signatures = Parallel.map(batch.newEvents) { key.sign($0) }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO event (id, origin, seq, clock, kind, record, body, signature, received)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (event, signature) in zip(batch.newEvents, signatures) {
            try insert.execute(arguments: [
                Data(event.id.bytes), Data(event.origin.bytes), Int64(event.seq),
                Int64(bitPattern: event.clock.rawValue), Int64(event.kind.rawValue),
                event.kind.createsRecord ? nil : Data(event.record.bytes),
                Data(event.canonicalBytes), Data(signature), Int64(now),
            ])
        }
        try save(batch.touchedRecords.map { batch.records[$0]! }, db: db)
        return batch.newEvents.map(\.id)
    }

    /// Writes records in id order, so the primary-key B-tree fills left to right; their
    /// column values are encoded on all cores first.
    static func save(_ records: [Record], db: Database) throws {
        let rows = Parallel.map(records.sorted { $0.id < $1.id }, RecordRow.init)
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO record (id, kind, origin, clock, fields, retracted, history, caseId, foundId)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for row in rows {
            statement.setUncheckedArguments([
                row.id, row.kind, row.origin, row.clock, row.fields, row.retracted, row.history, row.caseId,
                row.foundId,
            ])
            try statement.execute()
        }
    }

    // MARK: Reading

    /// The id an 8-to-64-character hex prefix names, among all events.
    public func resolve(_ reference: EventDraft.Reference, field: String) throws -> EventID {
        try pool.read { db in
            switch reference {
            case .id(let id): return id
            case .line:
                throw LedgerError(.invalidValue, field: field, "#N names a line of an import file; give an id here")
            case .prefix(let prefix):
                let matches = try Self.ids(withPrefix: prefix, db: db)
                guard matches.count == 1 else {
                    throw LedgerError(
                        .unknownRecord, field: field,
                        matches.isEmpty
                            ? "\(prefix) names no record" : "\(prefix) names more than one record; give more characters"
                    )
                }
                return matches[0]
            }
        }
    }

    static func ids(withPrefix prefix: String, db: Database) throws -> [EventID] {
        let low = Hex.decode(prefix.padding(toLength: 64, withPad: "0", startingAt: 0))!
        let high = Hex.decode(prefix.padding(toLength: 64, withPad: "f", startingAt: 0))!
        return try Data.fetchAll(
            db, sql: "SELECT id FROM event WHERE id BETWEEN ? AND ? LIMIT 2", arguments: [Data(low), Data(high)]
        ).map { EventID(bytes: [UInt8]($0)) }
    }

    public func record(_ id: EventID) throws -> Record? {
        try pool.read { db in try Self.record(id, db: db) }
    }

    static func record(_ id: EventID, db: Database) throws -> Record? {
        try recordRows(db, "\(recordQuery) WHERE record.id = ?", [Data(id.bytes)]).first?.decoded()
    }

    /// Records with what `RecordRow(_: Row)` reads: the creating event's body when the row does
    /// not repeat its fields.
    static let recordQuery = """
        SELECT record.id, record.kind, record.origin, record.clock, record.fields, record.retracted,
            record.history, record.caseId, record.foundId, CASE WHEN record.fields IS NULL THEN event.body END
        FROM record LEFT JOIN event ON event.id = record.id
        """

    /// The rows a `recordQuery` selects, as stored, for decoding once the read is over.
    static func recordRows(_ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws
        -> [RecordRow]
    {
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        var rows: [RecordRow] = []
        while let row = try cursor.next() { rows.append(RecordRow(row)) }
        return rows
    }

    /// Decodes rows on every core: reading the records of 100,000 cases is mostly decoding.
    static func decode(_ rows: [RecordRow]) throws -> [Record] {
        try Parallel.map(rows) { row in Result { try row.decoded() } }.map { try $0.get() }
    }

    /// The records a `recordQuery` selects: read in one read, decoded after it.
    private func records(_ sql: String, _ arguments: StatementArguments = []) throws -> [Record] {
        try Self.decode(pool.read { db in try Self.recordRows(db, sql, arguments) })
    }

    /// The records of a group whose current fields contain `bytes` somewhere (a cheap filter
    /// before reading them: a serial number's digits, say), oldest first.
    public func records(in group: RecordGroup, containing bytes: [UInt8]) throws -> [Record] {
        let kinds = group.kinds.map { String($0.rawValue) }.joined(separator: ",")
        return try records(
            """
            \(Self.recordQuery) WHERE record.kind IN (\(kinds))
            AND instr(coalesce(record.fields, event.body), ?) > 0 ORDER BY record.clock, record.id
            """, [Data(bytes)])
    }

    /// The records of a group, oldest first.
    public func records(in group: RecordGroup) throws -> [Record] {
        try records(Self.query(group))
    }

    /// The records of a group, oldest first, handed to `body` as they are read, decoded on every
    /// core a part at a time: a group of hundreds of thousands is never held whole. One read,
    /// which `body` must not read the store within.
    public func forEachRecord(in group: RecordGroup, _ body: (Record) throws -> Void) throws {
        try pool.read { db in
            try Self.eachPart(db, Self.query(group), size: 4_096) { part in
                for record in part { try body(record) }
            }
        }
    }

    /// The records a `recordQuery` selects, decoded on every core a part of `size` at a time,
    /// handed to `body` a part at a time.
    private static func eachPart(_ db: Database, _ sql: String, size: Int, _ body: ([Record]) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: sql)
        var part: [RecordRow] = []
        while let row = try rows.next() {
            part.append(RecordRow(row))
            if part.count == size {
                try body(decode(part))
                part.removeAll(keepingCapacity: true)
            }
        }
        if !part.isEmpty { try body(decode(part)) }
    }

    static func query(_ group: RecordGroup) -> String {
        let kinds = group.kinds.map { String($0.rawValue) }.joined(separator: ",")
        return "\(recordQuery) WHERE record.kind IN (\(kinds)) ORDER BY record.clock, record.id"
    }

    /// The cases and found children (cases first, each group oldest first), handed to `body` a
    /// part of `size` at a time as they are read, and the log position they were read at: one
    /// read, so that no event falls between the two, and no part is held past its turn.
    public func children(inPartsOf size: Int, _ body: ([Record]) throws -> Void) throws -> Int64 {
        try pool.read { db in
            for group in [RecordGroup.cases, .found] { try Self.eachPart(db, Self.query(group), size: size, body) }
            return try Self.logPosition(db)
        }
    }

    /// The id of the event stored at a log position, if one is.
    public func eventID(at position: Int64) throws -> EventID? {
        try pool.read { db in
            try Data.fetchOne(db, sql: "SELECT id FROM event WHERE position = ?", arguments: [position])
        }.map { EventID(bytes: [UInt8]($0)) }
    }

    /// Statuses as the standing match decisions and reunions make them.
    public func statusBoard() throws -> StatusBoard {
        StatusBoard(records: try records("\(Self.recordQuery) WHERE record.kind IN (4, 5, 6)"))
    }

    /// The creating event of a record and everything that amends it, in fold order.
    public func history(of record: Record) throws -> [SignedEvent] {
        let events = try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT body, signature FROM event WHERE id = ?1 OR record = ?1",
                arguments: [Data(record.id.bytes)]
            )
            .map(Self.signedEvent(row:))
        }
        let order = Dictionary(uniqueKeysWithValues: record.history.enumerated().map { ($1, $0) })
        return events.sorted { (order[$0.event.id] ?? .max) < (order[$1.event.id] ?? .max) }
    }

    /// Every event in the order this node stored it.
    public func events() throws -> [SignedEvent] {
        var events: [SignedEvent] = []
        try forEachEvent { events.append($0) }
        return events
    }

    /// Every event in the order this node stored them, or only those that make or change a
    /// record of `kinds`, handed to `body` one at a time: a log of millions is never held whole.
    /// One read, so that events stored meanwhile are not among them.
    public func forEachEvent(ofRecordsOf kinds: [EventKind]? = nil, _ body: (SignedEvent) throws -> Void) throws {
        let sql =
            if let kinds {
                """
                SELECT event.body, event.signature FROM event
                JOIN record ON record.id = coalesce(event.record, event.id)
                WHERE record.kind IN (\(kinds.map { String($0.rawValue) }.joined(separator: ","))) ORDER BY event.position
                """
            } else {
                "SELECT body, signature FROM event ORDER BY position"
            }
        try pool.read { db in try Self.eachEvent(db, sql, body) }
    }

    /// The events `sql` selects (their body and signature), handed to `body` as they are read.
    private static func eachEvent(_ db: Database, _ sql: String, _ body: (SignedEvent) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: sql)
        while let row = try rows.next() { try body(signedEvent(row: row)) }
    }

    /// How far the log's columns run: what a table of it for people needs to know before its
    /// first row, to lay out a log of millions without holding it.
    public struct LogExtent: Sendable {
        public var largestSeq: UInt64 = 0
        public var latestClock: HybridTimestamp?
        public var kinds: Set<EventKind> = []
    }

    /// Every event in the order this node stored them, as `forEachEvent`, after `measure` is
    /// told how far their columns run, in the same read.
    public func forEachEvent(measuredBy measure: (LogExtent) throws -> Void, _ body: (SignedEvent) throws -> Void)
        throws
    {
        try pool.read { db in
            // Clocks past 2^63 are stored as negative numbers (their bit pattern): the latest is
            // the largest of those, when there are any.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, max(seq), max(clock), max(CASE WHEN clock < 0 THEN clock END) FROM event GROUP BY kind
                    """)
            var extent = LogExtent()
            var latest: Int64?
            for row in rows {
                // A kind no event has (only tampering stores one) is left to `verify` to name.
                if let kind = EventKind(rawValue: UInt8(truncatingIfNeeded: row[0] as Int64)) {
                    extent.kinds.insert(kind)
                }
                extent.largestSeq = max(extent.largestSeq, UInt64(row[1] as Int64))
                let clock: Int64 = row[3] ?? row[2]
                if let last = latest {
                    latest = UInt64(bitPattern: clock) > UInt64(bitPattern: last) ? clock : last
                } else {
                    latest = clock
                }
            }
            extent.latestClock = latest.map { HybridTimestamp(rawValue: UInt64(bitPattern: $0)) }
            try measure(extent)
            try Self.eachEvent(db, "SELECT body, signature FROM event ORDER BY position", body)
        }
    }

    static func signedEvent(row: Row) throws -> SignedEvent {
        let event = try Event(canonicalBytes: [UInt8](row["body"] as Data))
        return SignedEvent(event: event, signature: (row["signature"] as Data?).map { [UInt8]($0) })
    }

    /// A number that grows with every event stored and never repeats: caches of what is read
    /// from the ledger are good while it stays the same.
    public func logPosition() throws -> Int64 {
        try pool.read(Self.logPosition)
    }

    static func logPosition(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(position) FROM event") ?? 0
    }

    /// The records that events stored after `position` created or changed, as they stand now,
    /// with the log position they were read at: what a cache kept at `position` reads again
    /// instead of every record.
    public func changes(after position: Int64) throws -> (position: Int64, records: [Record]) {
        let (now, rows) = try pool.read { db in
            (
                try Self.logPosition(db),
                try Self.recordRows(
                    db,
                    """
                    \(Self.recordQuery) WHERE record.id IN
                    (SELECT coalesce(changed.record, changed.id) FROM event AS changed WHERE changed.position > ?)
                    """, [position])
            )
        }
        return (now, try Self.decode(rows))
    }

    public func counts() throws -> (events: Int, origins: Int) {
        try pool.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(DISTINCT origin) FROM event") ?? 0
            )
        }
    }
}

/// The columns of one `record` row: made from a record to be written, or read by a
/// `recordQuery` while the database is held and decoded after.
struct RecordRow: Sendable {
    let id: Data
    let kind: Int64
    let origin: Data
    let clock: Int64
    let fields: Data?
    let retracted: Bool
    let history: Data?
    let caseId: Data?
    let foundId: Data?
    /// Read only: the creating event, when the row leaves its fields to it.
    let body: Data?

    init(_ record: Record) {
        id = Data(record.id.bytes)
        kind = Int64(record.kind.rawValue)
        origin = Data(record.origin.bytes)
        clock = Int64(bitPattern: record.createdAt.rawValue)
        // An amended record keeps its own fields and history; others read them from their event.
        let amended = record.history.count > 1
        fields = amended ? Data(record.fields.canonicalBytes) : nil
        retracted = record.retracted
        history = amended ? Data(record.history.flatMap(\.bytes)) : nil
        caseId = record.caseId.map { Data($0.bytes) }
        foundId = record.foundId.map { Data($0.bytes) }
        body = nil
    }

    /// A `recordQuery` row, by column position.
    init(_ row: Row) {
        id = row[0]
        kind = row[1]
        origin = row[2]
        clock = row[3]
        fields = row[4]
        retracted = row[5]
        history = row[6]
        caseId = row[7]
        foundId = row[8]
        body = row[9]
    }

    /// Throws when the row leaves its fields to the creating event and that event is gone,
    /// which only tampering can do.
    func decoded() throws -> Record {
        let id = EventID(bytes: [UInt8](id))
        let decodedFields: FieldSet
        if let fields {
            decodedFields = try FieldSet(canonicalBytes: [UInt8](fields))
        } else if let body {
            decodedFields = try Event(canonicalBytes: [UInt8](body)).fields
        } else {
            throw LedgerError(.malformedEvent, "record \(id.short): its creating event is not in the log")
        }
        let history = history.map { [UInt8]($0) }
        return Record(
            id: id,
            kind: EventKind(rawValue: UInt8(kind))!,
            origin: NodeID(bytes: [UInt8](origin)),
            createdAt: HybridTimestamp(rawValue: UInt64(bitPattern: clock)),
            fields: decodedFields,
            retracted: retracted,
            history: history.map { bytes in
                stride(from: 0, to: bytes.count, by: 32).map { EventID(bytes: bytes[$0..<$0 + 32]) }
            } ?? [id])
    }
}
