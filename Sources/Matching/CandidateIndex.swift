import LedgerCore

/// A found child or case proposed for a record, with the evidence for it.
public struct Candidate: Sendable {
    public let id: EventID
    public let comparison: Comparison
    let index: Int32
}

/// The records of one side (cases, or found children) arranged so that a query scores only the
/// plausible ones: those born near the estimated birth, those sharing a name sound or a mark,
/// and, when the query has DNA, every record with DNA to compare.
public struct CandidateIndex: Sendable {
    public let side: ChildDescription.Side
    let entries: [ChildDescription]
    private var byBirthYear: [Int: [Int32]] = [:]
    private var birthUnknown: [Int32] = []
    private var withDNA: [Int32] = []
    private var byNameSound: [String: [Int32]] = [:]
    private var byMark: [Rarity.MarkKey: [Int32]] = [:]

    static let daysPerYear = 365.25
    /// Postings longer than this (a very common name sound or mark) are not used to propose
    /// candidates: they would add many and tell little. They still count when scoring.
    static let longestPosting = 5_000

    public init(side: ChildDescription.Side, descriptions: [ChildDescription]) {
        self.side = side
        entries = descriptions.filter { $0.side == side }
        for (position, entry) in entries.enumerated() {
            let index = Int32(position)
            if let years = Self.birthYears(of: entry) {
                for year in years { byBirthYear[year, default: []].append(index) }
            } else {
                birthUnknown.append(index)
            }
            if entry.hasDNA { withDNA.append(index) }
            for key in entry.nameSounds.keys { byNameSound[key, default: []].append(index) }
            for mark in entry.marks where mark.bodyPart != nil {
                byMark[Rarity.MarkKey(kind: mark.kind, bodyPart: mark.bodyPart), default: []].append(index)
            }
        }
    }

    public var count: Int { entries.count }

    /// The years a record's birth could fall in: a case's birth date, or a found child's
    /// estimate widened by three spreads.
    static func birthYears(of entry: ChildDescription) -> ClosedRange<Int>? {
        if let days = entry.bornDays {
            return year(of: Double(days.lowerBound))...year(of: Double(days.upperBound))
        }
        if let estimate = entry.estimatedBirth {
            let reach = min(3 * estimate.spread, 10 * daysPerYear)
            return year(of: estimate.day - reach)...year(of: estimate.day + reach)
        }
        return nil
    }

    static func year(of day: Double) -> Int { Int((day / daysPerYear).rounded(.down)) }

    /// The best `limit` candidates for `query` (a record of the other side), best first.
    /// Records in `excluded` (rejected pairs) are never proposed.
    public func candidates(
        for query: ChildDescription, rarity: Rarity, limit: Int, excluded: Set<EventID> = []
    ) -> [Candidate] {
        var seen = Set<Int32>()
        var scored: [Candidate] = []
        func consider(_ postings: [Int32]) {
            for index in postings where seen.insert(index).inserted {
                let entry = entries[Int(index)]
                guard !excluded.contains(entry.id), let comparison = compare(query, entry, rarity, explain: false)
                else { continue }
                scored.append(Candidate(id: entry.id, comparison: comparison, index: index))
            }
        }
        if let years = Self.birthYears(of: query) {
            // A found child's estimate already carries its spread; a case's birth date is widened
            // by a year each way for the found children whose estimates lie just outside it.
            let margin = query.side == .abductionCase ? 1 : 0
            for year in (years.lowerBound - margin)...(years.upperBound + margin) { consider(byBirthYear[year] ?? []) }
            consider(birthUnknown)
        } else {
            for postings in byBirthYear.values { consider(postings) }
            consider(birthUnknown)
        }
        if query.hasDNA { consider(withDNA) }
        for key in query.nameSounds.keys {
            if let postings = byNameSound[key], postings.count <= Self.longestPosting { consider(postings) }
        }
        for mark in query.marks where mark.bodyPart != nil {
            if let postings = byMark[Rarity.MarkKey(kind: mark.kind, bodyPart: mark.bodyPart)],
                postings.count <= Self.longestPosting
            {
                consider(postings)
            }
        }
        return scored.sorted(by: Self.ranks).prefix(limit).compactMap { best in
            compare(query, entries[Int(best.index)], rarity, explain: true).map {
                Candidate(id: best.id, comparison: $0, index: best.index)
            }
        }
    }

    /// Scores one pair whichever side the query is on.
    public func compare(
        _ query: ChildDescription, _ entry: ChildDescription, _ rarity: Rarity, explain: Bool = true
    ) -> Comparison? {
        query.side == .abductionCase
            ? Matcher.compare(abductionCase: query, found: entry, rarity: rarity, explain: explain)
            : Matcher.compare(abductionCase: entry, found: query, rarity: rarity, explain: explain)
    }

    static func ranks(_ a: Candidate, _ b: Candidate) -> Bool {
        a.comparison.score != b.comparison.score ? a.comparison.score > b.comparison.score : a.id < b.id
    }
}
