import LedgerStore
import NodeReading

/// The cases and found children prepared for matching, kept between requests and read
/// again only when the ledger has grown: preparing 100,000 records takes seconds, a
/// candidate query milliseconds.
actor Register {
    private let store: LedgerStore
    private var prepared: (position: Int64, data: MatchingData)?

    init(store: LedgerStore) {
        self.store = store
    }

    func current() async throws -> MatchingData {
        let store = self.store
        let position = try await offload { try store.logPosition() }
        if let prepared, prepared.position == position { return prepared.data }
        let data = try await offload { try MatchingData(store: store) }
        prepared = (position, data)
        return data
    }
}
