import Foundation
import LedgerCore

#if canImport(Glibc)
    import Glibc
#endif

/// A node's folder: `node.key` (the Ed25519 seed in hex, mode 0600) and `ledger.sqlite`.
public struct Node: Sendable {
    public let directory: String
    public let key: NodeKey
    public let store: LedgerStore

    static let keyFile = "node.key"
    static let databaseFile = "ledger.sqlite"

    /// Makes a new node. Refuses a folder that already holds one.
    public static func create(in directory: String, name: String) throws -> Node {
        let files = FileManager.default
        let keyPath = directory + "/" + keyFile
        let databasePath = directory + "/" + databaseFile
        guard !files.fileExists(atPath: keyPath), !files.fileExists(atPath: databasePath) else {
            throw StoreError(.nodeExists, "\(directory) already holds a node; it was not touched")
        }
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.io, "cannot create \(directory): \(error.localizedDescription)")
        }
        let key = NodeKey()
        // The key is written before anyone could read it with wider permissions: created 0600.
        let descriptor = Glibc.open(keyPath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw StoreError(.io, "cannot create \(keyPath)") }
        let text = Array((Hex.encode(key.seed) + "\n").utf8)
        let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        Glibc.close(descriptor)
        guard written == text.count, synced == 0 else { throw StoreError(.io, "cannot write \(keyPath)") }
        let store = try LedgerStore(path: databasePath)
        try store.setName(name, nodeID: key.nodeID)
        return Node(directory: directory, key: key, store: store)
    }

    /// Opens an existing node.
    public static func open(_ directory: String) throws -> Node {
        let keyPath = directory + "/" + keyFile
        let databasePath = directory + "/" + databaseFile
        guard FileManager.default.fileExists(atPath: databasePath),
            let keyText = try? String(contentsOfFile: keyPath, encoding: .utf8)
        else {
            throw StoreError(.noNode, "no node in \(directory); create one with `reunite init --name NAME`")
        }
        guard let seed = Hex.decode(keyText.trimmingCharacters(in: .whitespacesAndNewlines)), seed.count == 32,
            let key = try? NodeKey(seed: seed)
        else {
            throw StoreError(.badKeyFile, "\(keyPath) does not hold a node key")
        }
        return Node(directory: directory, key: key, store: try LedgerStore(path: databasePath))
    }
}
