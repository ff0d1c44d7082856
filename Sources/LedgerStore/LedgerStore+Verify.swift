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
    /// Checks every signature and hash link, then that the stored records equal a fresh fold of the log.
    public func verify() throws -> Verification {
        let (stored, storedRows) = try pool.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT id, origin, seq, body, signature FROM event ORDER BY position").map {
                    StoredEvent(
                        id: EventID(bytes: [UInt8]($0["id"] as Data)),
                        origin: NodeID(bytes: [UInt8]($0["origin"] as Data)),
                        seq: UInt64($0["seq"] as Int64), body: [UInt8]($0["body"] as Data),
                        signature: ($0["signature"] as Data?).map { [UInt8]($0) })
                },
                try Self.recordRows(db, Self.recordQuery).map { row in
                    Result { try row.decoded() }.mapError {
                        $0 as? LedgerError ?? LedgerError(.malformedEvent, "\($0)")
                    }
                }
            )
        }
        let audit = Audit.check(stored)
        let forks = try forks().filter { $0.resolution == nil }
        let (fresh, waiting) = Fold.records(from: audit.events)
        var problems = audit.problems
        for fork in forks {
            problems.append(
                "origin \(fork.origin.hex.prefix(12)) has forked at seq \(fork.seq): two signed histories; see `reunite forks`"
            )
        }
        for case .failure(let error) in storedRows { problems.append(error.message) }
        let storedRecords = storedRows.compactMap { try? $0.get() }
        let storedByID = Dictionary(storedRecords.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for record in storedRecords where fresh[record.id] == nil {
            problems.append("record \(record.id.short): its creating event is not in the log")
        }
        for (id, record) in fresh.sorted(by: { $0.key < $1.key }) {
            guard let kept = storedByID[id] else {
                problems.append("record \(id.short): in the log but missing from the read model")
                continue
            }
            if kept != record {
                problems.append("record \(id.short): the read model differs from a fold of its events")
            }
        }
        return Verification(
            events: stored.count, origins: audit.origins,
            digest: ReadModelDigest.digest(records: fresh.values, waiting: waiting), problems: problems)
    }

    /// Replaces the read model with a fresh fold of the log; returns how many records it holds.
    @discardableResult
    public func rebuild() throws -> Int {
        try pool.write { db in
            let bodies = try Data.fetchAll(db, sql: "SELECT body FROM event ORDER BY position").map { [UInt8]($0) }
            let events = try Parallel.map(bodies) { body in Result { try Event(canonicalBytes: body) } }.map {
                try $0.get()
            }
            let (records, _) = Fold.records(from: events)
            try db.execute(sql: "DROP INDEX record_kind; DROP INDEX record_pair; DELETE FROM record")
            try Self.save(Array(records.values), db: db)
            try db.execute(sql: Schema.recordIndexes)
            return records.count
        }
    }
}
