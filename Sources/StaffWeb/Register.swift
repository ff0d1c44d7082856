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

    /// Every open found child's best candidate as of `position`, those under the review chance
    /// too: a case recorded later is weighed against them.
    private struct Review: Sendable {
        let position: Int64
        /// The position of the last review that asked every open found child afresh.
        let fullPosition: Int64
        let best: [EventID: ReviewPair]
        /// Those with a chance of `reviewChance` or more, likeliest first.
        let pairs: [ReviewPair]

        init(position: Int64, fullPosition: Int64, best: [EventID: ReviewPair]) {
            self.position = position
            self.fullPosition = fullPosition
            self.best = best
            pairs = best.values.filter { ($0.candidate.probability ?? 0) >= Register.reviewChance }.sorted {
                ($0.candidate.probability ?? 0, $0.candidate.score, $1.found.id)
                    > ($1.candidate.probability ?? 0, $1.candidate.score, $0.found.id)
            }
        }
    }

    /// Up to this many events since the last review, only the found children they could
    /// concern are asked again: a fraction of a second an event at 100,000 cases, where asking
    /// every open found child takes tens of seconds.
    static let eventsReviewedInPlace: Int64 = 1_000
    /// Up to this many, a request waits for it rather than show a list they may have changed
    /// (a sync bringing hundreds is worked in the background).
    static let eventsWaitedFor: Int64 = 20
    /// A case this much less likely (log10) than a found child's best, or less, cannot change
    /// the best or its chance enough to matter.
    static let reviewMargin = 2.0
    /// In a node of this many cases or more, a case made since the last review is weighed
    /// beside the best of each found child it comes near, and only those it could lead are
    /// asked again. One case more moves the rarity of what it shares too little there to change
    /// a chance (after 20 new cases on a node of 100,000, every chance was as a review worked out
    /// afresh, to 0.005), and asking again the hundreds it comes near took seconds. In a smaller
    /// node asking again costs little, and one case more does move the rest.
    static let newCasesWeighedFrom = 10_000
    /// A new case this much less likely than a found child's best cannot lead it, though its
    /// coming makes what the two share commoner: by 0.3 at most a name or mark (Rarity).
    static let newCaseMargin = 1.0

    private let store: LedgerStore
    private var prepared: Prepared?
    /// The preparation under way, which requests arriving meanwhile wait for rather than start
    /// their own.
    private var preparing: (position: Int64, task: Task<Prepared, Error>)?
    private var review: Review?
    /// The review being brought up to date. One at a time: a ledger that grows meanwhile is
    /// reviewed again by the next request after it.
    private var reviewing: Task<Void, Never>?

    /// The node's folder, where what describing the records gave is kept (PreparedRecords);
    /// nil to keep nothing.
    private let directory: String?
    private let newCasesWeighedFrom: Int

    init(store: LedgerStore, directory: String?, newCasesWeighedFrom: Int = Register.newCasesWeighedFrom) {
        self.store = store
        self.directory = directory
        self.newCasesWeighedFrom = newCasesWeighedFrom
    }

    /// Candidates for a case or a found child, best first (MatchingData.candidates).
    func candidates(for record: Record, limit: Int, field: String) async throws -> [ListedCandidate] {
        let current = try await current()
        let index = record.kind == .abductionReported ? current.found : current.cases
        return try current.data.candidates(for: record, limit: limit, field: field, index: index)
    }

    /// Found children not yet matched whose best candidate has a chance of `reviewChance` or
    /// more, with no decision between the two, likeliest first. After a few new events only the
    /// found children they concern are asked again, and this waits for it; more are worked in
    /// in the background, as is the first review and one after many events, which asks every
    /// open found child: until it is done, the last list comes back, marked incomplete.
    func reviewQueue() async throws -> (pairs: [ReviewPair], complete: Bool) {
        let store = self.store
        let position = try await offload { try store.logPosition() }
        if let review, review.position >= position { return (review.pairs, true) }
        if reviewing == nil { reviewing = Task { await self.updateReview() } }
        if let review, position - review.position <= Self.eventsWaitedFor,
            Self.inPlace(review, to: position, cases: prepared?.cases.count ?? 0), let reviewing
        {
            await reviewing.value
        }
        if let review, review.position >= position { return (review.pairs, true) }
        return (review?.pairs ?? [], false)
    }

    private func updateReview() async {
        defer { reviewing = nil }
        guard let current = try? await current() else { return }
        let store = self.store
        let last = review
        let weighing = current.cases.count >= newCasesWeighedFrom
        let updated = try? await offload {
            if let last, Self.inPlace(last, to: current.position, cases: current.cases.count) {
                let changed = try store.changes(after: last.position).records
                return try Self.review(last, after: changed, current, store, weighingNewCases: weighing)
            }
            let open = try store.records(in: .found).filter { current.data.board.status(of: $0) == .open }
            return Review(
                position: current.position, fullPosition: current.position, best: Self.best(of: open, current))
        }
        if let updated { review = updated }
    }

    /// Whether a review at `last` is brought up to `position` in place
    /// (`review(_:after:_:_:weighingNewCases:)`) rather than worked out afresh.
    private static func inPlace(_ last: Review, to position: Int64, cases: Int) -> Bool {
        position - last.position <= eventsReviewedInPlace
            && position - last.fullPosition <= max(eventsReviewedInPlace, Int64(cases / 20))
    }

    /// `last` with the found children that `changed` records could concern asked again: found
    /// children changed, those a decision or reunion names, those whose best was a case that
    /// changed or was decided, and those a new or changed case scores within `reviewMargin` of
    /// their best (when `weighingNewCases`, a case made since asks again only those it could
    /// lead, and is weighed beside the best of the rest). Others keep their best and its chance
    /// as last worked out; since every case and found child counts towards the rarity of what
    /// it shares, those drift a little, and a full review follows once a twentieth of the
    /// cases, or 1,000 events, have come since the last.
    private static func review(
        _ last: Review, after changed: [Record], _ current: Prepared, _ store: LedgerStore, weighingNewCases: Bool
    ) throws -> Review {
        var best = last.best
        let bestOfCase = Dictionary(grouping: best.values, by: \.candidate.id).mapValues { $0.map(\.found.id) }
        var again: Set<EventID> = []
        for record in changed {
            switch record.kind {
            case .childFound:
                again.insert(record.id)
            case .abductionReported:
                again.formUnion(bestOfCase[record.id] ?? [])
                guard !record.retracted, let query = ChildDescription(record: record) else { continue }
                // Made since (its creation its only event), the case is in no chance worked out yet.
                let weighed = weighingNewCases && record.history.count == 1
                for (found, score) in current.found.scores(for: query, rarity: current.data.rarity) {
                    let last = best[found]?.candidate.score ?? -.infinity
                    if score >= last - (weighed ? newCaseMargin : reviewMargin) {
                        again.insert(found)
                    } else if weighed, let pair = best[found] {
                        best[found] = ReviewPair(
                            found: pair.found, candidate: pair.candidate.weighed(besideOneScoring: score))
                    }
                }
            default:
                if let found = record.foundId { again.insert(found) }
                if let abductionCase = record.caseId { again.formUnion(bestOfCase[abductionCase] ?? []) }
            }
        }
        for id in again { best[id] = nil }
        let open = try again.compactMap { try store.record($0) }.filter { current.data.board.status(of: $0) == .open }
        best.merge(Self.best(of: open, current)) { $1 }
        return Review(position: current.position, fullPosition: last.fullPosition, best: best)
    }

    /// Each found child's best candidate case, asked on every core.
    private static func best(of found: [Record], _ current: Prepared) -> [EventID: ReviewPair] {
        let pairs = Parallel.map(found) { record in
            (try? current.data.candidates(for: record, limit: 1, field: "id", index: current.cases))?.first.map {
                ReviewPair(found: record, candidate: $0)
            }
        }
        return Dictionary(pairs.compactMap { $0 }.map { ($0.found.id, $0) }) { first, _ in first }
    }

    private func current() async throws -> Prepared {
        let store = self.store
        let directory = self.directory
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
                    data = try MatchingData(store: store, indexing: [.abductionCase, .foundChild], keptIn: directory)
                }
                let (cases, found) = data.indexes()
                return Prepared(position: readAt, data: data, cases: cases, found: found)
            }
        }
        preparing = (position, task)
        defer { if preparing?.position == position { preparing = nil } }
        let fresh = try await task.value
        if fresh.position > prepared?.position ?? -1 { prepared = fresh }
        return fresh
    }
}
