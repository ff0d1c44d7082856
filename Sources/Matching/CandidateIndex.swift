import CPlatform
import LedgerCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A found child or case proposed for a record, with the evidence for it.
public struct Candidate: Sendable {
    public let id: EventID
    public let comparison: Comparison
    /// The chance that this is the child, among every record of its side the node holds (see
    /// `CandidateIndex.probability`).
    public let probability: Double
}

/// The records of one side (cases, or found children) arranged so that a query scores only the
/// plausible ones: those of a compatible sex born near the estimated birth, those sharing a name
/// sound or a mark, and, when the query has DNA, those whose DNA could be a parent's or child's
/// at (all but one of) the query's five most selective loci.
public struct CandidateIndex: Sendable {
    public let side: ChildDescription.Side
    private(set) var entries: [ChildDescription]
    /// The same, for reading in the scoring loop without counting references (`entries` keeps
    /// them alive).
    private var unretained: [Unmanaged<ChildDescription>]
    /// The places of the entries `updated` took out: in no posting, so never proposed.
    private var removed: Set<Int32> = []
    /// By sex (0 unknown, 1 male, 2 female) and month of birth (months since 1970): year-wide
    /// buckets brought a fifth more records into a query than the estimate's reach.
    private var byBirthMonth: [Int: [Int32]] = [:]
    private(set) var birthUnknown: [Int32] = []
    private var byNameSound: [UInt64: [Int32]] = [:]
    private var byMark: [Rarity.MarkKey: [Int32]] = [:]
    /// By locus slot and allele (`alleleKey`): the entries whose DNA (a child's, or either
    /// parent's) has it. An array, not a dictionary: building it makes millions of postings. Empty
    /// until an entry with DNA is filed: a process holds small indexes beside a prepared file.
    private var byAllele: [[Int32]] = []
    /// By locus slot: the entries with DNA that cannot be compared there, so cannot be ruled out.
    private var untypedAt: [[Int32]] = Array(repeating: [], count: GenotypeTable.slotCount)

    static let daysPerYear = 365.25
    static let daysPerMonth = daysPerYear / 12
    /// How many records ahead the scoring loop asks for (6 was the fastest of 3, 6, 10 and 16).
    static let prefetchDistance = 6
    /// Postings longer than this (a very common name sound or mark) are not used to propose
    /// candidates: they would add many and tell little. They still count when scoring.
    static let longestPosting = 5_000

    public init(side: ChildDescription.Side, descriptions: [ChildDescription]) {
        self.side = side
        entries = descriptions.filter { $0.side == side }
        unretained = entries.map(Unmanaged.passUnretained)
        for (position, entry) in entries.enumerated() { file(entry, at: Int32(position), remove: false) }
    }

    /// This index with the records `changed` names taken out and `fresh` (those of its side)
    /// put in: the candidates an index built anew from the records as they now stand would give,
    /// in milliseconds where building one takes a third of a second at 100,000 records. A record
    /// taken out leaves every posting but keeps its place, so the others keep theirs; once a
    /// tenth of the places are empty, the index is built anew from the records that stand.
    public func updated(removing changed: Set<EventID>, adding fresh: [ChildDescription]) -> CandidateIndex {
        var index = self
        if !changed.isEmpty {
            for (position, entry) in entries.enumerated() where changed.contains(entry.id) {
                guard index.removed.insert(Int32(position)).inserted else { continue }
                index.file(entry, at: Int32(position), remove: true)
            }
        }
        let fresh = fresh.filter { $0.side == side }
        if index.removed.count > entries.count / 10 {
            let standing = entries.indices.filter { !index.removed.contains(Int32($0)) }.map { entries[$0] }
            return CandidateIndex(side: side, descriptions: standing + fresh)
        }
        for entry in fresh {
            index.entries.append(entry)
            index.unretained.append(Unmanaged.passUnretained(entry))
            index.file(entry, at: Int32(index.entries.count - 1), remove: false)
        }
        return index
    }

    /// Files the entry at `index` under its months of birth, name sounds, marks and alleles, or
    /// takes it out of them.
    private mutating func file(_ entry: ChildDescription, at index: Int32, remove: Bool) {
        func change(_ postings: inout [Int32]) {
            guard remove else { return postings.append(index) }
            // Postings are in the order of the entries: the entry's place is found by halving.
            var low = 0
            var high = postings.count
            while low < high {
                let middle = (low + high) / 2
                if postings[middle] < index { low = middle + 1 } else { high = middle }
            }
            if low < postings.count, postings[low] == index { postings.remove(at: low) }
        }
        if let months = Self.birthMonths(of: entry) {
            for month in months { change(&byBirthMonth[Self.key(month, entry.sex), default: []]) }
        } else {
            change(&birthUnknown)
        }
        for key in entry.nameSounds.keyCodes { change(&byNameSound[key, default: []]) }
        for mark in entry.marks where mark.bodyPart != nil {
            change(&byMark[Rarity.MarkKey(kind: mark.kind, bodyPart: mark.bodyPart), default: []])
        }
        guard entry.hasDNA else { return }
        if byAllele.isEmpty { byAllele = Array(repeating: [], count: GenotypeTable.slotCount * Self.alleleValues) }
        let tables = Self.tables(of: entry)
        // At most six alleles a locus: a short array, not a set, since this runs for every
        // locus of every profile each time the index is built.
        var alleles: [UInt32] = []
        alleles.reserveCapacity(6)
        for slot in 0..<GenotypeTable.slotCount {
            alleles.removeAll(keepingCapacity: true)
            var typedInAll = true
            for table in tables {
                guard let (first, second) = table.alleles(at: slot) else {
                    typedInAll = false
                    break
                }
                if !alleles.contains(first) { alleles.append(first) }
                if !alleles.contains(second) { alleles.append(second) }
            }
            guard typedInAll else {
                change(&untypedAt[slot])
                continue
            }
            for allele in alleles { change(&byAllele[Self.alleleKey(slot, allele)]) }
        }
    }

    /// The records that stand: those taken out by `updated` not counted.
    public var count: Int { entries.count - removed.count }

    static func key(_ month: Int, _ sex: Sex?) -> Int { month * 4 + Int(sex?.rawValue ?? 0) }

    /// Alleles are tenths of a repeat, from 0.1 to 100 repeats (DNAProfile).
    static let alleleValues = 1_001

    static func alleleKey(_ slot: Int, _ allele: UInt32) -> Int { slot * alleleValues + Int(allele) }

    /// A found child's profile, or the parents' of a case.
    static func tables(of entry: ChildDescription) -> [GenotypeTable] {
        [entry.childDNA, entry.motherDNA, entry.fatherDNA].compactMap { $0 }
    }

    /// The months a record's birth could fall in: a case's birth date, or a found child's
    /// estimate widened by two and a half spreads.
    static func birthMonths(of entry: ChildDescription) -> ClosedRange<Int>? {
        if let days = entry.bornDays {
            return month(of: Double(days.lowerBound))...month(of: Double(days.upperBound))
        }
        if let estimate = entry.estimatedBirth {
            let reach = min(2.5 * estimate.spread, 10 * daysPerYear)
            return month(of: estimate.day - reach)...month(of: estimate.day + reach)
        }
        return nil
    }

    static func month(of day: Double) -> Int { Int((day / daysPerMonth).rounded(.down)) }

    /// The best `limit` candidates for `query` (a record of the other side), best first.
    /// Records in `excluded` (rejected pairs) are never proposed.
    public func candidates(
        for query: ChildDescription, rarity: Rarity, limit: Int, excluded: Set<EventID> = []
    ) -> [Candidate] {
        let plausible = Self.plausible(for: query, in: self)
        // A long list (a child with no age estimate is compared with every record of their
        // sex) is scored in two halves at once, so one query does not wait on one core.
        let halves = plausible.count >= Self.splitAbove ? 2 : 1
        let ranges = (0..<halves).map { plausible.count * $0 / halves..<plausible.count * ($0 + 1) / halves }
        let tallies = Parallel.map(ranges, chunkSize: 1) { range in
            score(plausible[range], against: query, rarity: rarity, limit: limit, excluded: excluded)
        }
        var scores = tallies[0]
        for half in 1..<halves { scores.merge(tallies[half], limit: limit) }
        return Self.explained(scores, for: query, rarity: rarity, among: count)
    }

    /// The best of `scores`, each with its reasons and its chance among `records`.
    static func explained(_ scores: Scores, for query: ChildDescription, rarity: Rarity, among records: Int)
        -> [Candidate]
    {
        scores.best.compactMap { scored in
            compare(query, scored.entry, rarity, explain: true).map {
                Candidate(
                    id: scored.entry.id, comparison: $0,
                    probability: probability(score: $0.score, log10Sum: scores.log10Sum, records: records))
            }
        }
    }

    /// The score of every plausible record against `query`, unexplained and in no order: what
    /// a list of each record's best candidate needs, to tell whose best a new record could change.
    public func scores(for query: ChildDescription, rarity: Rarity) -> [(id: EventID, score: Double)] {
        Self.plausible(for: query, in: self).compactMap { index in
            let entry = entries[Int(index)]
            return Self.compare(query, entry, rarity, explain: false).map { (entry.id, $0.score) }
        }
    }

    /// Lists scored in two halves at once from this many records on.
    static let splitAbove = 20_000

    /// The entries a query scores, each once: those of a compatible sex whose birth could fall
    /// in the query's months, those with no birth date, the DNA candidates, and those sharing a
    /// name sound or a mark. From the postings of an index in memory or of a prepared file alike.
    static func plausible<Side: Postings>(for query: ChildDescription, in postings: Side) throws(Side.Failure)
        -> [Int32]
    {
        var seen = [Bool](repeating: false, count: postings.entryCount)
        func add(_ postings: [Int32]) {
            for index in postings { seen[Int(index)] = true }
        }
        let sexes: [Sex?] = query.sex.map { [$0, nil] } ?? [nil, .male, .female]
        if let months = Self.birthMonths(of: query) {
            // A found child's estimate already carries its spread; a case's birth date is widened
            // by a year each way for the found children whose estimates lie just outside it.
            let margin = query.side == .abductionCase ? 12 : 0
            for month in (months.lowerBound - margin)...(months.upperBound + margin) {
                for sex in sexes { add(try postings.born(inMonth: Self.key(month, sex))) }
            }
        } else {
            for key in postings.birthMonthKeys where sexes.contains(where: { Self.key(0, $0) == key & 3 }) {
                add(try postings.born(inMonth: key))
            }
        }
        add(try postings.birthUnknown)
        add(try dnaCandidates(of: query, in: postings))
        for key in query.nameSounds.keyCodes {
            let list = try postings.sharing(nameSound: key)
            if list.count <= Self.longestPosting { add(list) }
        }
        for mark in query.marks where mark.bodyPart != nil {
            let list = try postings.sharing(mark: Rarity.MarkKey(kind: mark.kind, bodyPart: mark.bodyPart))
            if list.count <= Self.longestPosting { add(list) }
        }
        // In the order the records were read, not the order found: the scoring loop then reads
        // the table of records, and the records, front to back, where gathered order had it
        // wait on memory for a fifth of a query.
        var plausible: [Int32] = []
        for index in seen.indices where seen[index] { plausible.append(Int32(index)) }
        return plausible
    }

    /// The best of some scored entries, and the sum of all their ratios for the chance.
    struct Scores {
        /// Best first: a short list, so insertion beats sorting thousands.
        var best: [(score: Double, entry: ChildDescription)] = []
        /// log10 of the sum of every scored pair's ratio, kept as a largest term and the sum
        /// relative to it.
        var largest = -Double.infinity
        var relativeSum = 0.0

        var log10Sum: Double { largest + log10(max(relativeSum, 1)) }

        mutating func add(_ score: Double, _ entry: ChildDescription, limit: Int) {
            addToSum(largest: score, relativeSum: 1)
            rank((score, entry), limit: limit)
        }

        /// Scores `entry` against `query` and adds it, unless it is in `excluded` (rejected pairs)
        /// or the evidence rules the pair out: the one way both the index in memory and a
        /// prepared file read in place score what they chose.
        mutating func score(
            _ entry: ChildDescription, against query: ChildDescription, rarity: Rarity, limit: Int,
            excluded: Set<EventID>
        ) {
            guard excluded.isEmpty || !excluded.contains(entry.id),
                let comparison = CandidateIndex.compare(query, entry, rarity, explain: false)
            else { return }
            add(comparison.score, entry, limit: limit)
        }

        /// Adds the sum and list of other entries scored.
        mutating func merge(_ other: Scores, limit: Int) {
            addToSum(largest: other.largest, relativeSum: other.relativeSum)
            for scored in other.best { rank(scored, limit: limit) }
        }

        private mutating func addToSum(largest other: Double, relativeSum otherSum: Double) {
            // Terms 10^-12 below the largest add nothing the sum can show.
            if other > largest {
                relativeSum = relativeSum * exp((largest - other) * M_LN10) + otherSum
                largest = other
            } else if other > largest - 12 {
                relativeSum += otherSum * exp((other - largest) * M_LN10)
            }
        }

        private mutating func rank(_ scored: (score: Double, entry: ChildDescription), limit: Int) {
            func outranks(_ a: (score: Double, entry: ChildDescription), _ b: (score: Double, entry: ChildDescription))
                -> Bool
            { a.score != b.score ? a.score > b.score : a.entry.id < b.entry.id }
            if best.count == limit, let last = best.last, !outranks(scored, last) { return }
            // Binary search for the first entry this one outranks, so a long --limit stays cheap.
            var low = 0
            var high = best.count
            while low < high {
                let middle = (low + high) / 2
                if outranks(scored, best[middle]) { high = middle } else { low = middle + 1 }
            }
            best.insert(scored, at: low)
            if best.count > limit { best.removeLast() }
        }
    }

    private func score(
        _ plausible: ArraySlice<Int32>, against query: ChildDescription, rarity: Rarity, limit: Int,
        excluded: Set<EventID>
    ) -> Scores {
        var scores = Scores()
        for position in plausible.indices {
            // The records lie all over memory: ask for the one a few places ahead while this one
            // is scored (`perf` put 85 % of a comparison's own time on its first read of one).
            if position + Self.prefetchDistance < plausible.endIndex {
                let ahead = unretained[Int(plausible[position + Self.prefetchDistance])].toOpaque()
                for line in 0..<6 { reunite_prefetch(ahead + 64 * line) }
            }
            // Borrowed, not retained: counting a reference up and down for each of tens of
            // thousands of records scored took a fifth of a query's time.
            unretained[Int(plausible[position])]._withUnsafeGuaranteedRef { entry in
                scores.score(entry, against: query, rarity: rarity, limit: limit, excluded: excluded)
            }
        }
        return scores
    }

    /// The share of found children whose family reported to the registers a node holds:
    /// an assumption (see Protocol/MATCHING.md).
    static let reportedShare = 0.5
    /// The fewest records a found child is weighed against: a node holding a few cases holds a
    /// few of the tens of thousands reported, and must not make a weak lead look strong.
    static let fewestRecords = 10_000

    /// The chance that a pair scoring `score` is one child, when every one of `records`
    /// records (at least `fewestRecords`) is a priori as likely and the child may have no
    /// record here at all: the pair's ratio against the sum of all (`log10Sum`, log10 of the
    /// sum over every pair scored; those the index passes over add next to nothing).
    static func probability(score: Double, log10Sum: Double, records: Int) -> Double {
        let prior = log10(reportedShare / Double(max(records, fewestRecords)))
        return pow(10, score + prior) / ((1 - reportedShare) + pow(10, log10Sum + prior))
    }

    /// The chance `probability` of a pair scoring `score` once one more record, scoring
    /// `other` against the same query, is weighed beside it: the sum it is a share of grows by
    /// that record's ratio. The prior moves too, by one record in thousands, and is left as it was.
    public static func probability(_ probability: Double, scoring score: Double, besideOneScoring other: Double)
        -> Double
    {
        probability / (1 + probability * pow(10, other - score))
    }

    /// A parent passes on one of their two alleles, so a child's parent has one of the child's
    /// alleles at every locus, barring a mutation; and a found child has one of the parents'.
    /// The DNA candidates are the entries that pass this test (or cannot be tested) at no fewer
    /// than four of the query's five most selective loci: one mutation among them still leaves
    /// the true pair in, and the age window, names and marks bring in any other.
    static func dnaCandidates<Side: Postings>(of query: ChildDescription, in postings: Side) throws(Side.Failure)
        -> [Int32]
    {
        let tables = Self.tables(of: query)
        guard !tables.isEmpty else { return [] }
        var loci: [(slot: Int, alleles: Set<UInt32>, cost: Int)] = []
        for slot in 0..<GenotypeTable.slotCount {
            let typed = tables.compactMap { $0.alleles(at: slot) }
            guard typed.count == tables.count else { continue }
            let alleles = Set(typed.flatMap { [$0.0, $0.1] })
            let cost = try alleles.reduce(postings.untyped(at: slot).count) {
                $0 + postings.count(having: Self.alleleKey(slot, $1))
            }
            loci.append((slot, alleles, cost))
        }
        let chosen = loci.sorted { $0.cost < $1.cost }.prefix(5)
        guard !chosen.isEmpty else { return [] }
        var passes = [UInt8](repeating: 0, count: postings.entryCount)
        // A locus passed counts once, however many of the query's alleles the entry has there.
        var lastPassed = [UInt8](repeating: 0, count: postings.entryCount)
        for (ordinal, locus) in zip(UInt8(1)..., chosen) {
            func pass(_ index: Int32) {
                guard lastPassed[Int(index)] != ordinal else { return }
                lastPassed[Int(index)] = ordinal
                passes[Int(index)] += 1
            }
            for allele in locus.alleles {
                for index in try postings.having(Self.alleleKey(locus.slot, allele)) { pass(index) }
            }
            for index in try postings.untyped(at: locus.slot) { pass(index) }
        }
        let needed = UInt8(max(chosen.count - 1, 1))
        return passes.indices.filter { passes[$0] >= needed }.map { Int32($0) }
    }

    /// Scores one pair whichever side the query is on.
    public static func compare(
        _ query: ChildDescription, _ entry: ChildDescription, _ rarity: Rarity, explain: Bool = true
    ) -> Comparison? {
        query.side == .abductionCase
            ? Matcher.compare(abductionCase: query, found: entry, rarity: rarity, explain: explain)
            : Matcher.compare(abductionCase: entry, found: query, rarity: rarity, explain: explain)
    }
}

/// The lists an index files its records under, by their places among the side's records:
/// kept in memory by a `CandidateIndex`, or where they lie in a prepared file (PreparedMatching).
protocol Postings {
    /// What reading a list can throw: nothing in memory; a damaged list, in a file.
    associatedtype Failure: Error
    /// How many records the side holds, counting any taken out.
    var entryCount: Int { get }
    /// By `CandidateIndex.key(month, sex)`.
    func born(inMonth key: Int) throws(Failure) -> [Int32]
    var birthMonthKeys: [Int] { get }
    var birthUnknown: [Int32] { get throws(Failure) }
    func sharing(nameSound code: UInt64) throws(Failure) -> [Int32]
    func sharing(mark key: Rarity.MarkKey) throws(Failure) -> [Int32]
    /// By `CandidateIndex.alleleKey(slot, allele)`.
    func having(_ alleleKey: Int) throws(Failure) -> [Int32]
    func count(having alleleKey: Int) -> Int
    func untyped(at slot: Int) throws(Failure) -> [Int32]
}

extension CandidateIndex: Postings {
    typealias Failure = Never
    var entryCount: Int { entries.count }
    func born(inMonth key: Int) -> [Int32] { byBirthMonth[key] ?? [] }
    var birthMonthKeys: [Int] { Array(byBirthMonth.keys) }
    func sharing(nameSound code: UInt64) -> [Int32] { byNameSound[code] ?? [] }
    var nameSoundCodes: [UInt64] { Array(byNameSound.keys) }
    var markKeys: [Rarity.MarkKey] { Array(byMark.keys) }
    func sharing(mark key: Rarity.MarkKey) -> [Int32] { byMark[key] ?? [] }
    func having(_ alleleKey: Int) -> [Int32] { byAllele.isEmpty ? [] : byAllele[alleleKey] }
    func count(having alleleKey: Int) -> Int { byAllele.isEmpty ? 0 : byAllele[alleleKey].count }
    func untyped(at slot: Int) -> [Int32] { untypedAt[slot] }
}
