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
