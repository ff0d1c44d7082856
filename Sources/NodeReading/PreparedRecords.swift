import Crypto
import Foundation
import LedgerCore
import LedgerStore
import Matching

/// A node's cases and found children as describing them gave, kept in the node's folder
/// between processes: a `reunite candidates` process must otherwise read and describe every
/// record before it can answer one (about 4 s at 100,000 cases), where reading them back takes
/// a fraction of that. Only a cache: the ledger is the truth, and the file is read only when
///
/// - the node is the same, up to the same event: the log position it was made at holds the
///   event it names (events are only ever appended, so the log up to there is the one it read);
/// - the same build of `reunite` made it: a matcher that reads records otherwise must not
///   inherit another's readings;
/// - it is whole: its SHA-256, at its end, is right.
///
/// Anything else, or any doubt, and the records are read and described again and the file
/// written anew. The records events changed since the file was made are read again on top of it
/// (`LedgerStore.changes`), as the server does between requests, so a correction or a
/// retraction counts at once.
enum PreparedRecords {
    static let fileName = "matching.cache"
    static let magic = Array("reunite prepared records 1\n".utf8)
    /// Records changed since the file was made that are described on top of it before it is
    /// written again: a few are quicker to read again than a whole file is to write.
    static let rewriteAfter = 1_000

    /// The descriptions of every standing case and found child: read back from `directory`'s
    /// file when it holds them, else described and written there (when the folder can be written).
    static func descriptions(store: LedgerStore, directory: String) throws -> [ChildDescription] {
        let path = directory + "/" + fileName
        guard let build = buildStamp() else { return try describeAll(store).descriptions }
        if let kept = try read(path, build: build, store: store) {
            let (now, changed) = try store.changes(after: kept.position)
            guard !changed.isEmpty else { return kept.descriptions }
            let descriptions = Replacement(changed, in: kept.descriptions).descriptions
            if changed.count > rewriteAfter, let event = try store.eventID(at: now) {
                write(descriptions, to: path, build: build, position: now, event: event)
            }
            return descriptions
        }
        let (position, descriptions) = try describeAll(store)
        if let event = try store.eventID(at: position) {
            write(descriptions, to: path, build: build, position: position, event: event)
        }
        return descriptions
    }

    static func describeAll(_ store: LedgerStore) throws -> (position: Int64, descriptions: [ChildDescription]) {
        let (position, children) = try store.children()
        return (position, ChildDescription.describe(children.filter { !$0.retracted }))
    }

    /// Descriptions with the records events changed described again: those left, then those of
    /// the changed records that stand (not retracted), described anew. What was taken out and
    /// what put in are kept apart too, for the counts and indexes made of the descriptions.
    struct Replacement {
        let changedIDs: Set<EventID>
        private(set) var removed: [ChildDescription] = []
        let fresh: [ChildDescription]
        private(set) var descriptions: [ChildDescription] = []

        init(_ changed: [Record], in kept: [ChildDescription]) {
            changedIDs = Set(changed.map(\.id))
            fresh = ChildDescription.describe(changed.filter { !$0.retracted })
            for description in kept {
                if changedIDs.contains(description.id) {
                    removed.append(description)
                } else {
                    descriptions.append(description)
                }
            }
            descriptions += fresh
        }
    }

    // MARK: - The file

    /// The header: what the file was made from.
    static func header(build: String, position: Int64, event: EventID) -> [UInt8] {
        var bytes = ByteWriter()
        bytes.raw(magic)
        bytes.text(build)
        bytes.uint64(UInt64(position))
        bytes.raw(event.bytes)
        return bytes.bytes
    }

    static func read(_ path: String, build: String, store: LedgerStore) throws -> (
        position: Int64, descriptions: [ChildDescription]
    )? {
        guard let data = FileManager.default.contents(atPath: path), data.count > 32 else { return nil }
        let bytes = [UInt8](data)
        let body = bytes[..<(bytes.count - 32)]
        guard SHA256.hash(data: body).elementsEqual(bytes[(bytes.count - 32)...]) else { return nil }
        var reader = ByteReader(Array(body.prefix(magic.count + 4096 + 64)))
        guard (try? reader.raw(magic.count)) == magic, (try? reader.text(maxBytes: 4096)) == build,
            let position = try? reader.uint64(), let event = try? reader.raw(32),
            try store.eventID(at: Int64(position))?.bytes == event
        else { return nil }
        return (try? ChildDescription.read(Array(body[reader.offset...]))).map { (Int64(position), $0) }
    }

    /// Writes the file whole under another name and renames it, so that a reader finds the old
    /// file or the new, never half of one. A folder that cannot be written keeps no cache.
    static func write(
        _ descriptions: [ChildDescription], to path: String, build: String, position: Int64, event: EventID
    ) {
        var bytes = header(build: build, position: position, event: event) + ChildDescription.bytes(of: descriptions)
        bytes += Array(SHA256.hash(data: bytes))
        removeLeftovers(of: path)
        let temporary = "\(path).\(getpid()).new"
        // Mode 0600, as the node key: the file holds what the records say about each child.
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// Removes the files a process killed while writing left (`matching.cache.PID.new`, PID no
    /// longer running): each is as large as the file, and holds what the records say.
    static func removeLeftovers(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + "."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".new") {
            guard let pid = pid_t(name.dropFirst(prefix.count).dropLast(".new".count)),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            unlink(directory + "/" + name)
        }
    }

    /// What tells this build of `reunite` from another: its executable's size, time of change and
    /// inode. Nil where there is no such file to ask about (no cache is then kept).
    static func buildStamp() -> String? {
        var status = stat()
        guard stat("/proc/self/exe", &status) == 0 else { return nil }
        return "\(status.st_dev):\(status.st_ino):\(status.st_size):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
    }
}
