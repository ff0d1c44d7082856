import Foundation
import LedgerCore
import LedgerStore
import Matching

/// A node's cases and found children as describing them gave, with their indexes and counts
/// (PreparedMatching), kept in the node's folder between processes: a `reunite candidates`
/// process must otherwise read and describe every record before it can answer one (about 4 s at
/// 100,000 cases). A process asking about a few records reads the file where it lies, only the
/// records its queries could be; one asking about many reads every record back. Only a cache:
/// the ledger is the truth, and the file is read only when
///
/// - the node is the same, up to the same event: the log position it was made at holds the
///   event it names (events are only ever appended, so the log up to there is the one it read);
/// - the same build of `reunite` made it: a matcher that reads records otherwise must not
///   inherit another's readings;
/// - it is whole: the CRC-32 of its header, after it, and of its structure (PreparedMatching),
///   at its end, are right, and every offset in it lies within it. Each record and each list
///   has a CRC-32 of its own, checked when it is read: a query reads a few megabytes of the file,
///   and checking all of it took a fifth of its time.
///
/// Anything else, or any doubt, and the records are read and described again and the file
/// written anew; so too when a record or list a query reads is not what was summed. When events
/// came since the file was made (`LedgerStore.changes`), the records they made or changed count
/// at once (`upToDate`): a few are described again by each process and held beside the file,
/// the file's own versions of those it holds left out; more, and the file is brought up to date
/// from its own parts and the records changed, described again, and written back.
enum PreparedRecords {
    static let fileName = "matching.cache"
    static let magic = Array("reunite prepared records 4\n".utf8)

    /// At most this many records changed since the file was made are brought into it
    /// (`PreparedMatching.updated`); past that, every record is read and described again.
    static let updateAtMost = 1_000

    /// At most this many records made or changed since the file was are held beside it, not
    /// written into it: fifty held beside cost a query about 3 ms at 100,000 cases (30 against
    /// 33 ms at the median of 15 found children), where writing the file takes half a second.
    static let besideAtMost = 50

    /// The file in `directory`, read where it lies, answering as the node's records stand now:
    /// with the few records made or changed since it was beside it, or else brought up to date
    /// and written back first. Nil when there is no file that can be read, or too much changed.
    static func upToDate(store: LedgerStore, directory: String) throws -> PreparedMatching? {
        guard let kept = try read(directory, store: store) else { return nil }
        let (position, changed) = try store.changes(after: kept.position)
        guard !changed.isEmpty else { return kept.prepared }
        let fresh = ChildDescription.describe(changed.filter { !$0.retracted })
        if changed.count <= besideAtMost,
            let beside = try? kept.prepared.adding(fresh, removing: Set(changed.map(\.id)))
        {
            return beside
        }
        guard changed.count <= updateAtMost,
            let body = try? kept.prepared.updated(removing: Set(changed.map(\.id)), adding: fresh)
        else { return nil }
        try write(body, in: directory, position: position, store: store)
        return try PreparedMatching(bytes: body)
    }

    /// The file in `directory`, made at `position`, if it holds what the node's records gave
    /// there.
    static func read(_ directory: String, store: LedgerStore) throws -> (position: Int64, prepared: PreparedMatching)? {
        guard let build = buildStamp(), let bytes = mapped(directory + "/" + fileName) else { return nil }
        var reader = ByteReader(Array(bytes.raw.prefix(magic.count + 4096 + 64)))
        guard (try? reader.raw(magic.count)) == magic, (try? reader.text(maxBytes: 4096)) == build,
            let position = try? reader.uint64(), let event = try? reader.raw(32),
            let sum = try? reader.raw(4), sum == headerSum(bytes.raw.prefix(reader.offset - 4)),
            try store.eventID(at: Int64(position))?.bytes == event,
            let prepared = try? PreparedMatching(bytes: bytes, from: reader.offset)
        else { return nil }
        return (Int64(position), prepared)
    }

    // MARK: - The file

    /// The header: what the file was made from, and its CRC-32.
    static func header(build: String, position: Int64, event: EventID) -> [UInt8] {
        var bytes = ByteWriter()
        bytes.raw(magic)
        bytes.text(build)
        bytes.uint64(UInt64(position))
        bytes.raw(event.bytes)
        return bytes.bytes + headerSum(bytes.bytes)
    }

    /// The CRC-32 of a header, four bytes little-endian.
    static func headerSum(_ header: some Collection<UInt8>) -> [UInt8] {
        let sum = Array(header).withUnsafeBytes { PreparedMatching.crc32($0) }
        return withUnsafeBytes(of: sum.littleEndian) { Array($0) }
    }

    /// A file mapped into memory; nil if there is none. Its pages are read as they are first
    /// touched: a query reads a few thousand records of a hundred thousand. Never changed in
    /// place (a new file is renamed over it), so what is mapped stays as it was read.
    static func mapped(_ path: String) -> PreparedBytes? {
        let file = open(path, O_RDONLY)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var status = stat()
        guard fstat(file, &status) == 0, status.st_size > 0 else { return nil }
        let size = Int(status.st_size)
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, file, 0), address != MAP_FAILED
        else { return nil }
        return PreparedBytes(raw: UnsafeRawBufferPointer(start: address, count: size)) { munmap(address, size) }
    }

    /// Writes the file whole under another name and renames it, so that a reader finds the old
    /// file or the new, never half of one. A folder that cannot be written keeps no cache.
    static func write(_ body: [UInt8], in directory: String, position: Int64, store: LedgerStore) throws {
        guard let build = buildStamp(), let event = try store.eventID(at: position) else { return }
        let path = directory + "/" + fileName
        let bytes = header(build: build, position: position, event: event) + body
        removeLeftovers(of: path)
        let temporary = "\(path).\(getpid()).new"
        // Mode 0600, as the node key: the file holds what the records say about each child.
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// Removes the file, so that the next process to read the records makes it anew.
    static func remove(in directory: String) {
        unlink(directory + "/" + fileName)
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
