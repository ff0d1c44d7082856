import LedgerCore
import LedgerStore
import Matching
import NodeReading

/// The cases and found children prepared for matching, with an index of each side, kept
/// between requests and prepared again only when the ledger has grown: preparing 100,000
/// records takes seconds, a candidate query milliseconds.
actor Register {
    private struct Prepared: Sendable {
        let position: Int64
        let data: MatchingData
        let cases: CandidateIndex
        let found: CandidateIndex
    }

    private let store: LedgerStore
    private var prepared: Prepared?

    init(store: LedgerStore) {
        self.store = store
    }

    /// Candidates for a case or a found child, best first (MatchingData.candidates).
    func candidates(for record: Record, limit: Int, field: String) async throws -> [ListedCandidate] {
        let current = try await current()
        let index = record.kind == .abductionReported ? current.found : current.cases
        return try current.data.candidates(for: record, limit: limit, field: field, index: index)
    }

    private func current() async throws -> Prepared {
        let store = self.store
        let position = try await offload { try store.logPosition() }
        if let prepared, prepared.position == position { return prepared }
        let fresh = try await offload {
            let data = try MatchingData(store: store)
            return Prepared(
                position: position, data: data, cases: data.index(of: .abductionCase),
                found: data.index(of: .foundChild))
        }
        prepared = fresh
        return fresh
    }
}
