import Foundation
import GRDB
import LedgerCore

/// A person who may sign in to this node's web pages.
public struct StaffMember: Sendable {
    public let name: String
    public let addedAt: UInt64
    public let disabledAt: UInt64?
    /// Set while repeated wrong passwords keep the account out.
    public let lockedUntil: UInt64?
}

extension LedgerStore {
    /// Adds an account with a password already checked by the caller; refuses a name that is not
    /// one line of 1 to 64 characters, or that is taken.
    public func addStaff(name: String, password: String, nowMilliseconds: UInt64) throws {
        // The name goes into every event the person records (recordedBy) and onto the pages.
        guard !name.isEmpty, name.count <= 64,
            !name.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 } == true })
        else {
            throw LedgerError(.invalidValue, field: "NAME", "\"\(name)\" is not a name (1 to 64 characters, one line)")
        }
        let salt = StaffPassword.newSalt()
        let hash = try StaffPassword.hash(password, salt: salt)
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE name = ?", arguments: [name]) == true {
                throw LedgerError(.invalidValue, field: "NAME", "\(name) already has an account")
            }
            try db.execute(
                sql: "INSERT INTO staff (name, passwordHash, salt, addedAt, passwordSetAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, Data(hash), Data(salt), Int64(nowMilliseconds), Int64(nowMilliseconds)])
        }
    }

    public func staff() throws -> [StaffMember] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, addedAt, disabledAt, lockedUntil FROM staff ORDER BY name").map {
                row in
                StaffMember(
                    name: row["name"], addedAt: UInt64(row["addedAt"] as Int64),
                    disabledAt: (row["disabledAt"] as Int64?).map(UInt64.init),
                    lockedUntil: (row["lockedUntil"] as Int64?).map(UInt64.init))
            }
        }
    }

    /// Disables an account for good (its name stays taken, so the history keeps meaning one
    /// person). False when no account has that name.
    public func disableStaff(name: String, nowMilliseconds: UInt64) throws -> Bool {
        try pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE name = ?", arguments: [name]) == true else {
                return false
            }
            try db.execute(
                sql: "UPDATE staff SET disabledAt = coalesce(disabledAt, ?) WHERE name = ?",
                arguments: [Int64(nowMilliseconds), name])
            return true
        }
    }

    /// Sets a new password (checked by the caller) and lifts a lockout; sessions opened before
    /// now end (see `isSessionValid`). False when no account has that name.
    public func setStaffPassword(name: String, password: String, nowMilliseconds: UInt64) throws -> Bool {
        let salt = StaffPassword.newSalt()
        let hash = try StaffPassword.hash(password, salt: salt)
        return try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE staff SET passwordHash = ?, salt = ?, passwordSetAt = ?, failedLogins = 0, lockedUntil = NULL
                    WHERE name = ?
                    """,
                arguments: [Data(hash), Data(salt), Int64(nowMilliseconds), name])
            return db.changesCount > 0
        }
    }

    /// Lifts a lockout. False when no account has that name.
    public func unlockStaff(name: String) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE staff SET failedLogins = 0, lockedUntil = NULL WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    /// Whether a session opened at `openedAt` may go on: the account exists, is not disabled,
    /// and its password was not set since. Checked on every web request, so that disabling an
    /// account or changing its password ends its sessions at once.
    public func isSessionValid(staff name: String, openedAt: UInt64) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM staff WHERE name = ? AND disabledAt IS NULL AND passwordSetAt <= ?",
                arguments: [name, Int64(openedAt)]) == true
        }
    }

    /// A sign-in attempt with lockout: after `StaffLockout.attempts` wrong passwords in a row an
    /// account is refused for `StaffLockout.milliseconds`, right password or not, so that a
    /// password cannot be guessed faster than a few a quarter hour. Unknown and disabled names
    /// cost the same hashing as known ones and get the same answer as a wrong password.
    public func signIn(name: String, password: String, nowMilliseconds: UInt64) throws -> SignIn {
        let row = try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT passwordHash, salt, lockedUntil FROM staff WHERE name = ? AND disabledAt IS NULL",
                arguments: [name])
        }
        guard let row else {
            _ = try StaffPassword.hash(password, salt: StaffPassword.newSalt())
            return .refused
        }
        if let until = (row["lockedUntil"] as Int64?).map(UInt64.init), until > nowMilliseconds {
            return .locked(untilMilliseconds: until)
        }
        let matches = try StaffPassword.matches(
            password, hash: [UInt8](row["passwordHash"] as Data), salt: [UInt8](row["salt"] as Data))
        return try pool.write { db in
            if matches {
                try db.execute(
                    sql: "UPDATE staff SET failedLogins = 0, lockedUntil = NULL WHERE name = ?", arguments: [name])
                return .accepted
            }
            try db.execute(sql: "UPDATE staff SET failedLogins = failedLogins + 1 WHERE name = ?", arguments: [name])
            let failed = try Int.fetchOne(db, sql: "SELECT failedLogins FROM staff WHERE name = ?", arguments: [name])
            guard (failed ?? 0) >= StaffLockout.attempts else { return .refused }
            let until = nowMilliseconds + StaffLockout.milliseconds
            try db.execute(
                sql: "UPDATE staff SET failedLogins = 0, lockedUntil = ? WHERE name = ?",
                arguments: [Int64(until), name])
            return .locked(untilMilliseconds: until)
        }
    }
}

public enum SignIn: Equatable, Sendable {
    case accepted
    /// A wrong password, or a name with no enabled account: the two are not told apart.
    case refused
    case locked(untilMilliseconds: UInt64)
}

public enum StaffLockout {
    public static let attempts = 5
    public static let milliseconds: UInt64 = 15 * 60 * 1000
}
