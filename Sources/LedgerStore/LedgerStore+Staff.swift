import Foundation
import GRDB
import LedgerCore

/// A person who may sign in to this node's web pages.
public struct StaffMember: Sendable {
    public let name: String
    public let addedAt: UInt64
    public let disabledAt: UInt64?
}

extension LedgerStore {
    /// Adds an account with a password already checked by the caller; refuses a name taken.
    public func addStaff(name: String, password: String, nowMilliseconds: UInt64) throws {
        let salt = StaffPassword.newSalt()
        let hash = try StaffPassword.hash(password, salt: salt)
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE name = ?", arguments: [name]) == true {
                throw LedgerError(.invalidValue, field: "NAME", "\(name) already has an account")
            }
            try db.execute(
                sql: "INSERT INTO staff (name, passwordHash, salt, addedAt) VALUES (?, ?, ?, ?)",
                arguments: [name, Data(hash), Data(salt), Int64(nowMilliseconds)])
        }
    }

    public func staff() throws -> [StaffMember] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, addedAt, disabledAt FROM staff ORDER BY name").map { row in
                StaffMember(
                    name: row["name"], addedAt: UInt64(row["addedAt"] as Int64),
                    disabledAt: (row["disabledAt"] as Int64?).map(UInt64.init))
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

    /// Whether `password` is this enabled account's. The web sign-in will add lockout on top.
    public func checkStaffPassword(name: String, password: String) throws -> Bool {
        let row = try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT passwordHash, salt FROM staff WHERE name = ? AND disabledAt IS NULL", arguments: [name]
            )
        }
        guard let row else { return false }
        return try StaffPassword.matches(
            password, hash: [UInt8](row["passwordHash"] as Data), salt: [UInt8](row["salt"] as Data))
    }
}
