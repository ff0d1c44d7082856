import LedgerCore
import LedgerStore
import Matching

/// The records of each group with their statuses, newest first, kept between requests and
/// read again only when the ledger has grown: decoding 100,000 cases takes seconds, searching
/// them in memory milliseconds. Lists, the dashboard and the record page read from here.
actor Listings {
    /// A class, not a struct: lists of a hundred thousand are filtered, copied and sorted after
    /// every event, and retaining a record's fields at each copy took most of that time (`perf`).
    final class Entry: Sendable {
        let record: Record
        let status: RecordStatus
        /// The id and every field but DNA, lowercased and normalized (ChineseText.normalized:
        /// traditional characters as simplified, full-width letters as ASCII), as UTF-8: what a
        /// search looks in.
        let text: [UInt8]

        init(record: Record, status: RecordStatus, text: [UInt8]) {
            self.record = record
            self.status = status
            self.text = text
        }

        /// Whether `word` (lowercased UTF-8) occurs in the text: a byte search, since a
        /// search runs over every record of a group.
        func contains(_ word: [UInt8]) -> Bool {
            guard let first = word.first else { return true }
            guard text.count >= word.count else { return false }
            return text.withUnsafeBufferPointer { haystack in
                word.withUnsafeBufferPointer { needle in
                    var start = 0
                    let last = haystack.count - needle.count
                    while start <= last {
                        if haystack[start] == first {
                            var matched = 1
                            while matched < needle.count && haystack[start + matched] == needle[matched] {
                                matched += 1
                            }
                            if matched == needle.count { return true }
                        }
                        start += 1
                    }
                    return false
                }
            }
        }
    }

    private let store: LedgerStore
    private var position: Int64 = -1
    private var groups: [RecordGroup: [Entry]] = [:]

    init(store: LedgerStore) {
        self.store = store
    }

    func entries(_ group: RecordGroup) async throws -> [Entry] {
        let store = self.store
        let now = try await offload { try store.logPosition() }
        if now != position {
            if groups.isEmpty {
                position = now
            } else {
                // Only the records changed since are read again; every status is worked out
                // afresh, since one decision changes the status of two records.
                let since = position
                let cached = groups
                let (readAt, updated) = try await offload {
                    let changes = try store.changes(after: since)
                    let board = try store.statusBoard()
                    let changedIDs = Set(changes.records.map(\.id))
                    let updated = cached.map { group, entries in
                        // An entry whose status stands is kept as it is.
                        let kept = entries.compactMap { entry -> Entry? in
                            guard !changedIDs.contains(entry.record.id) else { return nil }
                            let status = board.status(of: entry.record)
                            return status == entry.status
                                ? entry : Entry(record: entry.record, status: status, text: entry.text)
                        }
                        let added = changes.records.filter { group.kinds.contains($0.kind) }.map {
                            Entry(record: $0, status: board.status(of: $0), text: Self.searchText($0))
                        }
                        return (group, (kept + added).sorted(by: Self.newestFirst))
                    }
                    return (changes.position, Dictionary(uniqueKeysWithValues: updated))
                }
                if position == since {
                    position = readAt
                    groups = updated
                }
            }
        }
        if let entries = groups[group] { return entries }
        let readFor = position
        let entries = try await offload {
            let board = try store.statusBoard()
            return try store.records(in: group).map { record in
                Entry(record: record, status: board.status(of: record), text: Self.searchText(record))
            }
            .sorted(by: Self.newestFirst)
        }
        if readFor == position { groups[group] = entries }
        return entries
    }

    /// Newest first; records of the same moment by id, so that a list reads the same however
    /// it was brought up to date.
    static func newestFirst(_ a: Entry, _ b: Entry) -> Bool {
        a.record.createdAt != b.record.createdAt ? a.record.createdAt > b.record.createdAt : a.record.id < b.record.id
    }

    static func searchText(_ record: Record) -> [UInt8] {
        var parts = [record.id.hex]
        for (field, value) in record.fields.sorted where field.type != .dnaProfile && field.type != .parentsDNA {
            parts.append(value.displayText)
        }
        return Array(ChineseText.normalized(parts.joined(separator: " ")).lowercased().utf8)
    }
}
