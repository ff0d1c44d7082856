import Foundation
import GRDB
import LedgerCore

/// A node this node trusts to sync with it.
public struct Peer: Sendable {
    public let nodeID: NodeID
    public let name: String
    public let url: String?
    /// May pull from this node but not push to it.
    public let pullOnly: Bool
    public let lastSyncAt: UInt64?
    public let lastSyncResult: String?
    /// What the peer held when the two last spoke.
    public let vector: VersionVector?
}

extension LedgerStore {
    public func addPeer(name: String, nodeID: NodeID, url: String?, pullOnly: Bool, nowMilliseconds: UInt64) throws {
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM peer WHERE nodeId = ?", arguments: [Data(nodeID.bytes)])
                == true
            {
                throw LedgerError(.invalidValue, field: "--key", "\(nodeID.hex.prefix(12)) is already a peer")
            }
            if let url, try Bool.fetchOne(db, sql: "SELECT 1 FROM peer WHERE url = ?", arguments: [url]) == true {
                throw LedgerError(.invalidValue, field: "--url", "\(url) already belongs to another peer")
            }
            try db.execute(
                sql: "INSERT INTO peer (nodeId, name, url, pullOnly, addedAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [Data(nodeID.bytes), name, url, pullOnly, Int64(nowMilliseconds)])
        }
    }

    public func removePeer(_ nodeID: NodeID) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM peer WHERE nodeId = ?", arguments: [Data(nodeID.bytes)])
            return db.changesCount > 0
        }
    }

    public func peers() throws -> [Peer] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM peer ORDER BY name").map(Self.peer(row:)) }
    }

    public func peer(url: String) throws -> Peer? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM peer WHERE url = ?", arguments: [url]).map(Self.peer(row:))
        }
    }

    private static func peer(row: Row) -> Peer {
        Peer(
            nodeID: NodeID(bytes: [UInt8](row["nodeId"] as Data)), name: row["name"], url: row["url"],
            pullOnly: row["pullOnly"], lastSyncAt: (row["lastSyncAt"] as Int64?).map(UInt64.init),
            lastSyncResult: row["lastSyncResult"], vector: (row["vector"] as Data?).map { decodeVector([UInt8]($0)) })
    }

    /// The server's check of a signed request's caller and time: a trusted peer, and a time
    /// after the last one it accepted from that peer, which it then remembers. A replayed
    /// request fails; so does a request from a stranger, with no hint of who is trusted.
    public func acceptRequest(from node: NodeID, time: UInt64) throws -> Peer? {
        try pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM peer WHERE nodeId = ?", arguments: [Data(node.bytes)])
            else { return nil }
            // The caller sets the time: past Int64.max, which SQLite cannot hold, it is refused
            // (converting it would stop the process), and it is never remembered.
            guard let time = Int64(exactly: time) else {
                throw LedgerError(.ruleViolated, "request time \(time) is past any clock")
            }
            guard time > row["lastRequestTime"] as Int64 else {
                throw LedgerError(.ruleViolated, "replayed request: time \(time) is not after the last one accepted")
            }
            try db.execute(
                sql: "UPDATE peer SET lastRequestTime = ? WHERE nodeId = ?", arguments: [time, Data(node.bytes)])
            return Self.peer(row: row)
        }
    }

    /// The time for this node's next signed request: its wall clock, or one past the last
    /// time it used, whichever is later, so a server never sees it go backwards.
    public func nextRequestTime(nowMilliseconds: UInt64) throws -> UInt64 {
        try pool.write { db in
            let last = try String.fetchOne(db, sql: "SELECT value FROM node WHERE key = 'requestClock'").flatMap(
                UInt64.init)
            let next = max(nowMilliseconds, (last ?? 0) + 1)
            try db.execute(
                sql: "INSERT OR REPLACE INTO node (key, value) VALUES ('requestClock', ?)", arguments: [String(next)])
            return next
        }
    }

    public func recordSync(with node: NodeID, at time: UInt64, result: String, vector: VersionVector?) throws {
        try pool.write { db in
            try db.execute(
                sql:
                    "UPDATE peer SET lastSyncAt = ?, lastSyncResult = ?, vector = coalesce(?, vector) WHERE nodeId = ?",
                arguments: [Int64(time), result, vector.map { Data(Self.encodeVector($0)) }, Data(node.bytes)])
        }
    }

    static func encodeVector(_ vector: VersionVector) -> [UInt8] {
        vector.origins.flatMap { origin -> [UInt8] in
            let head = vector[origin]!
            return origin.bytes + withUnsafeBytes(of: head.seq.bigEndian, Array.init) + head.id.bytes
        }
    }

    static func decodeVector(_ bytes: [UInt8]) -> VersionVector {
        var vector = VersionVector()
        for start in stride(from: 0, to: bytes.count - bytes.count % 72, by: 72) {
            let seq = bytes[start + 32..<start + 40].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            vector[NodeID(bytes: bytes[start..<start + 32])] = ChainHead(
                seq: seq, id: EventID(bytes: bytes[start + 40..<start + 72]))
        }
        return vector
    }
}
