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

    /// A found child not yet matched, and its best candidate case.
    struct ReviewPair: Sendable {
        let found: Record
        let candidate: ListedCandidate
    }

    /// How likely a best candidate must be to wait for review: one chance in ten. A score
    /// cannot say it: among 20,000 cases nearly every child's best scores 2 or more.
    static let reviewChance = 0.1

    private let store: LedgerStore
    private var prepared: Prepared?
    /// The preparation under way, which requests arriving meanwhile wait for rather than start
    /// their own.
    private var preparing: (position: Int64, task: Task<Prepared, Error>)?
    private var review: (position: Int64, pairs: [ReviewPair])?
    /// Whether a review is being computed. One at a time: a ledger that grows meanwhile is
    /// reviewed again by the next request after it.
    private var reviewing = false

    init(store: LedgerStore) {
        self.store = store
    }

    /// Candidates for a case or a found child, best first (MatchingData.candidates).
    func candidates(for record: Record, limit: Int, field: String) async throws -> [ListedCandidate] {
        let current = try await current()
        let index = record.kind == .abductionReported ? current.found : current.cases
        return try current.data.candidates(for: record, limit: limit, field: field, index: index)
    }

    /// Found children not yet matched whose best candidate has a chance of `reviewChance` or
    /// more, with no decision between the two, likeliest first. It takes a query per found
    /// child, so it is worked out in the background: until it is done for the ledger as it
    /// stands, the last list comes back, marked incomplete.
    func reviewQueue() async throws -> (pairs: [ReviewPair], complete: Bool) {
        let store = self.store
        let position = try await offload { try store.logPosition() }
        if let review, review.position == position { return (review.pairs, true) }
        if !reviewing {
            reviewing = true
            Task { await self.computeReview() }
        }
        return (review?.pairs ?? [], false)
    }

    private func computeReview() async {
        defer { reviewing = false }
        guard let current = try? await current() else { return }
        let store = self.store
        let pairs = try? await offload {
            let open = try store.records(in: .found).filter { current.data.board.status(of: $0) == .open }
            let best = Parallel.map(open) { record in
                (try? current.data.candidates(for: record, limit: 1, field: "id", index: current.cases))?.first.map {
                    ReviewPair(found: record, candidate: $0)
                }
            }
            return best.compactMap { $0 }.filter { ($0.candidate.probability ?? 0) >= Self.reviewChance }.sorted {
                ($0.candidate.probability ?? 0, $0.candidate.score) > (
                    $1.candidate.probability ?? 0, $1.candidate.score
                )
            }
        }
        if let pairs { review = (current.position, pairs) }
    }

    private func current() async throws -> Prepared {
        let store = self.store
        let position = try await offload { try store.logPosition() }
        if let prepared, prepared.position == position { return prepared }
        if let preparing, preparing.position == position { return try await preparing.task.value }
        let last = prepared
        let task = Task {
            try await offload {
                let data: MatchingData
                var readAt = position
                if let last {
                    // Only the records changed since are read and described again: after one
                    // more record, a fraction of a second rather than seconds at 100,000 cases.
                    let changes = try store.changes(after: last.position)
                    data = try last.data.updated(with: changes.records, store: store)
                    readAt = changes.position
                } else {
                    data = try MatchingData(store: store)
                }
                return Prepared(
                    position: readAt, data: data, cases: data.index(of: .abductionCase),
                    found: data.index(of: .foundChild))
            }
        }
        preparing = (position, task)
        defer { if preparing?.position == position { preparing = nil } }
        let fresh = try await task.value
        if fresh.position > prepared?.position ?? -1 { prepared = fresh }
        return fresh
    }
}
