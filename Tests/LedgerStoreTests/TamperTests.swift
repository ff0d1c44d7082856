import Foundation
import GRDB
import LedgerCore
import LedgerStore
import Testing

/// Someone with the SQLite file changes history behind the node's back; `verify` must say so
/// and name the event.
@Suite struct TamperTests {
    private func ledgerOfThree() throws -> (TemporaryNode, [EventID]) {
        let temporary = try TemporaryNode()
        let ids = [try temporary.abduction(), try temporary.foundChild(), try temporary.abduction("王芳")]
        #expect(try temporary.node.store.verify().ok)
        return (temporary, ids)
    }

    private func dropTriggers(_ db: Database) throws {
        try db.execute(sql: "DROP TRIGGER event_is_append_only_update; DROP TRIGGER event_is_append_only_delete")
    }

    @Test func oneChangedByteOfABodyIsFoundAndNamed() throws {
        let (temporary, ids) = try ledgerOfThree()
        try temporary.rawDatabase().write { db in
            try dropTriggers(db)
            var body = try #require(try Data.fetchOne(db, sql: "SELECT body FROM event WHERE seq = 2"))
            body[body.count - 3] ^= 0x01
            try db.execute(sql: "UPDATE event SET body = ? WHERE seq = 2", arguments: [body])
        }
        let result = try temporary.node.store.verify()
        #expect(!result.ok)
        #expect(result.problems.contains { $0.hasPrefix("event \(ids[1].short)") })
    }

    /// A rebuild folds what the log says: a body cut short stops it, and the read model stays as
    /// it was, for `verify` to name the event.
    @Test func aBodyThatDoesNotDecodeStopsARebuildAndChangesNothing() throws {
        let (temporary, ids) = try ledgerOfThree()
        let readModel =
            "SELECT quote(id), kind, clock, quote(fields), retracted, quote(history) FROM record ORDER BY id"
        let before = try temporary.rawDatabase().write { db in
            try dropTriggers(db)
            let body = try #require(try Data.fetchOne(db, sql: "SELECT body FROM event WHERE seq = 2"))
            try db.execute(sql: "UPDATE event SET body = ? WHERE seq = 2", arguments: [body.prefix(body.count / 2)])
            return try Row.fetchAll(db, sql: readModel)
        }
        #expect(before.count == 3)
        #expect(throws: LedgerError.self) { try temporary.node.store.rebuild() }
        #expect(try temporary.rawDatabase().read { try Row.fetchAll($0, sql: readModel) } == before)
        #expect(try temporary.node.store.verify().problems.contains { $0.hasPrefix("event \(ids[1].short)") })
    }

    @Test func aDeletedEventInTheMiddleOfAChainIsFound() throws {
        let (temporary, ids) = try ledgerOfThree()
        try temporary.rawDatabase().write { db in
            try dropTriggers(db)
            try db.execute(sql: "DELETE FROM event WHERE seq = 2")
        }
        let result = try temporary.node.store.verify()
        #expect(!result.ok)
        #expect(result.problems.contains { $0.contains("events 2 to 2 are missing before event \(ids[2].short)") })
        #expect(result.problems.contains { $0 == "record \(ids[1].short): its creating event is not in the log" })
    }

    @Test func aDeletedLastEventIsFoundThroughTheReadModel() throws {
        let (temporary, ids) = try ledgerOfThree()
        try temporary.rawDatabase().write { db in
            try dropTriggers(db)
            try db.execute(sql: "DELETE FROM event WHERE seq = 3")
        }
        let result = try temporary.node.store.verify()
        #expect(result.problems == ["record \(ids[2].short): its creating event is not in the log"])
    }

    @Test func aForgedSignatureIsFound() throws {
        let (temporary, ids) = try ledgerOfThree()
        try temporary.rawDatabase().write { db in
            try dropTriggers(db)
            try db.execute(sql: "UPDATE event SET signature = zeroblob(64) WHERE seq = 1")
        }
        #expect(
            try temporary.node.store.verify().problems == ["event \(ids[0].short): the signature is not its origin's"])
    }

    @Test func aRecordColumnPointingElsewhereIsFound() throws {
        let (temporary, ids) = try ledgerOfThree()
        try temporary.rawDatabase().write { db in
            try dropTriggers(db)
            try db.execute(sql: "UPDATE event SET record = ? WHERE seq = 2", arguments: [Data(ids[0].bytes)])
        }
        let result = try temporary.node.store.verify()
        #expect(
            result.problems.contains {
                $0.hasPrefix("event \(ids[1].short)")
                    && $0.hasSuffix("the stored origin, seq, kind or record differs from the signed event")
            })
        #expect(result.problems.contains("record \(ids[1].short): its creating event is not in the log"))
    }

    @Test func aKindColumnSayingAnotherKindIsFound() throws {
        let (temporary, ids) = try ledgerOfThree()
        try temporary.rawDatabase().write { db in
            try dropTriggers(db)
            try db.execute(
                sql: "UPDATE event SET kind = ? WHERE seq = 1", arguments: [EventKind.identityMatched.rawValue])
        }
        #expect(
            try temporary.node.store.verify().problems.contains {
                $0.hasPrefix("event \(ids[0].short)") && $0.hasSuffix("kind or record differs from the signed event")
            })
    }

    /// Verify reads the log a part at a time; what it says is what folding it whole says.
    @Test func aLogOfManyPartsIsVerifiedAndRebuiltAsAWhole() throws {
        let temporary = try TemporaryNode()
        var drafts: [EventDraft] = []
        for n in 1...4_500 {
            drafts.append(
                try EventDraft(
                    kind: n % 3 == 0 ? .childFound : .abductionReported,
                    members: n % 3 == 0
                        ? [("sex", "male"), ("foundOn", "2013-01"), ("place", "深圳"), ("reportedBy", "医院")]
                        : [
                            ("childName", .string("孩子\(n)")), ("sex", "female"), ("missingSince", "2012"),
                            ("place", "成都"), ("reporterName", "家属"),
                        ]))
        }
        // A confirmed and reunited pair, a pair both confirmed and rejected, a correction and a retraction.
        for (kind, members) in [
            (EventKind.identityMatched, [("caseId", "#1"), ("foundId", "#3"), ("decidedBy", "陈丽")]),
            (.reunited, [("caseId", "#1"), ("foundId", "#3"), ("on", "2014")]),
            (.identityMatched, [("caseId", "#2"), ("foundId", "#6"), ("decidedBy", "陈丽")]),
            (.matchRejected, [("caseId", "#2"), ("foundId", "#6"), ("decidedBy", "王强")]),
            (.corrected, [("target", "#4"), ("reason", "核对")]),
            (.retracted, [("target", "#5"), ("reason", "重复")]),
        ] as [(EventKind, [(String, JSONValue)])] {
            let changes: [(String, JSONValue)] = kind == .corrected ? [("changes", .object([("place", "重庆")]))] : []
            drafts.append(try EventDraft(importLine: .object([("kind", .string(kind.name))] + members + changes)))
        }
        try temporary.node.store.append(
            drafts, signedBy: temporary.node.key, nowMilliseconds: 1_764_000_000_000, numberLines: true)
        let events = try temporary.node.store.events().map(\.event)
        let (records, waiting) = Fold.records(from: events)
        let result = try temporary.node.store.verify()
        #expect(result.ok)
        #expect(result.events == 4_506)
        #expect(result.digest == ReadModelDigest.digest(records: records.values, waiting: waiting))
        let board = StatusBoard(records: records.values)
        #expect(board.status(of: try #require(records[events[0].id])) == .reunited)
        #expect(board.status(of: try #require(records[events[1].id])) == .disputed)

        // Read a part at a time, as `list` and `export` read a group: all of it, in order.
        var cases: [LedgerCore.Record] = []
        try temporary.node.store.forEachRecord(in: .cases) { cases.append($0) }
        #expect(cases.count == 3_000)
        #expect(cases == (try temporary.node.store.records(in: .cases)))

        // Rebuilt from nothing, a part at a time: every record as the fold of the whole log.
        try temporary.rawDatabase().write { db in try db.execute(sql: "DELETE FROM record") }
        #expect(try temporary.node.store.rebuild() == records.count)
        for record in records.values { #expect(try temporary.node.store.record(record.id) == record) }
        #expect(try temporary.node.store.verify().digest == result.digest)
    }

    @Test func anEditedReadModelIsFound() throws {
        let (temporary, ids) = try ledgerOfThree()
        try temporary.rawDatabase().write { db in
            try db.execute(sql: "UPDATE record SET retracted = 1 WHERE id = ?", arguments: [Data(ids[0].bytes)])
        }
        #expect(
            try temporary.node.store.verify().problems == [
                "record \(ids[0].short): the read model differs from a fold of its events"
            ])
        try temporary.node.store.rebuild()
        #expect(try temporary.node.store.verify().ok)
    }
}
