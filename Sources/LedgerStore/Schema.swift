import GRDB

/// The node's database (Protocol/EVENTS.md, "Storage"): the append-only `event` log and the
/// `record` read model that folds it. Only `event` is the truth; `record` can be rebuilt.
enum Schema {
    /// The read model's secondary indexes; a rebuild drops them and builds them once at the end.
    static let recordIndexes = """
        CREATE INDEX record_kind ON record (kind, clock);
        CREATE INDEX record_pair ON record (caseId, foundId) WHERE caseId IS NOT NULL;
        """

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE node (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE event (
                        position INTEGER PRIMARY KEY,
                        id BLOB NOT NULL UNIQUE,
                        origin BLOB NOT NULL,
                        seq INTEGER NOT NULL,
                        clock INTEGER NOT NULL,
                        kind INTEGER NOT NULL,
                        record BLOB NOT NULL,
                        body BLOB NOT NULL,
                        signature BLOB,
                        UNIQUE (origin, seq)
                    );
                    CREATE INDEX event_record ON event (record);
                    CREATE TRIGGER event_is_append_only_update BEFORE UPDATE ON event
                    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed'); END;
                    CREATE TRIGGER event_is_append_only_delete BEFORE DELETE ON event
                    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted'); END;
                    CREATE TABLE record (
                        id BLOB PRIMARY KEY,
                        kind INTEGER NOT NULL,
                        origin BLOB NOT NULL,
                        clock INTEGER NOT NULL,
                        fields BLOB NOT NULL,
                        retracted INTEGER NOT NULL,
                        history BLOB NOT NULL,
                        caseId BLOB,
                        foundId BLOB
                    ) WITHOUT ROWID;
                    """)
            try db.execute(sql: recordIndexes)
        }
        return migrator
    }
}
