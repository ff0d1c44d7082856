import GRDB

/// The node's database (Protocol/EVENTS.md, "Storage"): the append-only `event` log and the
/// `record` read model that folds it. Only `event` is the truth; `record` can be rebuilt.
///
/// Most records are never amended, so neither table repeats what the creating event says:
/// `event.record` is NULL on an event that creates a record (its record is its own id), and
/// `record.fields` and `record.history` are NULL until an amendment changes them (the fields
/// are then read from the creating event's body).
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
                        record BLOB,
                        body BLOB NOT NULL,
                        signature BLOB,
                        received INTEGER NOT NULL,
                        UNIQUE (origin, seq)
                    );
                    CREATE INDEX event_record ON event (record) WHERE record IS NOT NULL;
                    CREATE TRIGGER event_is_append_only_update BEFORE UPDATE ON event
                    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed'); END;
                    CREATE TRIGGER event_is_append_only_delete BEFORE DELETE ON event
                    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted'); END;
                    CREATE TABLE record (
                        id BLOB PRIMARY KEY,
                        kind INTEGER NOT NULL,
                        origin BLOB NOT NULL,
                        clock INTEGER NOT NULL,
                        fields BLOB,
                        retracted INTEGER NOT NULL,
                        history BLOB,
                        caseId BLOB,
                        foundId BLOB
                    ) WITHOUT ROWID;
                    """)
            try db.execute(sql: recordIndexes)
            try db.execute(
                sql: """
                    CREATE TABLE peer (
                        nodeId BLOB PRIMARY KEY,
                        name TEXT NOT NULL,
                        url TEXT,
                        pullOnly INTEGER NOT NULL DEFAULT 0,
                        addedAt INTEGER NOT NULL,
                        lastRequestTime INTEGER NOT NULL DEFAULT 0,
                        lastSyncAt INTEGER,
                        lastSyncResult TEXT,
                        vector BLOB
                    );
                    CREATE TABLE fork (
                        position INTEGER PRIMARY KEY,
                        origin BLOB NOT NULL,
                        seq INTEGER NOT NULL,
                        ours BLOB,
                        theirs BLOB NOT NULL,
                        evidence BLOB NOT NULL,
                        peer BLOB,
                        detectedAt INTEGER NOT NULL,
                        resolvedAt INTEGER,
                        resolution TEXT
                    );
                    """)
        }
        migrator.registerMigration("v2 staff") { db in
            // Node-local, never synced: who may use this node's web pages. A password is kept
            // only as a salted scrypt hash (StaffPassword).
            try db.execute(
                sql: """
                    CREATE TABLE staff (
                        name TEXT PRIMARY KEY,
                        passwordHash BLOB NOT NULL,
                        salt BLOB NOT NULL,
                        addedAt INTEGER NOT NULL,
                        disabledAt INTEGER,
                        failedLogins INTEGER NOT NULL DEFAULT 0,
                        lockedUntil INTEGER
                    );
                    """)
        }
        migrator.registerMigration("v3 staff password time") { db in
            // Sessions opened before a password was last set end at their next request.
            try db.execute(sql: "ALTER TABLE staff ADD COLUMN passwordSetAt INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "UPDATE staff SET passwordSetAt = addedAt")
        }
        return migrator
    }
}
