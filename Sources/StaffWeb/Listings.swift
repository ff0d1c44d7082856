import LedgerCore
import LedgerStore

/// The records of each group with their statuses, newest first, kept between requests and
/// read again only when the ledger has grown: decoding 100,000 cases takes seconds, searching
/// them in memory milliseconds. Lists, the dashboard and the record page read from here.
actor Listings {
    struct Entry: Sendable {
        let record: Record
        let status: RecordStatus
        /// The id and every field but DNA, lowercased: what a search looks in.
        let text: String
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
            position = now
            groups = [:]
        }
        if let entries = groups[group] { return entries }
        let entries = try await offload {
            let board = try store.statusBoard()
            return try store.records(in: group).sorted { $0.createdAt > $1.createdAt }.map { record in
                Entry(record: record, status: board.status(of: record), text: Self.searchText(record))
            }
        }
        if now == position { groups[group] = entries }
        return entries
    }

    static func searchText(_ record: Record) -> String {
        var parts = [record.id.hex]
        for (field, value) in record.fields.sorted where field.type != .dnaProfile && field.type != .parentsDNA {
            parts.append(value.displayText)
        }
        return parts.joined(separator: " ").lowercased()
    }
}
