import LedgerCore
import LedgerStore
import Matching

/// A candidate as people read it: the matcher's evidence, plus what staff decided.
public struct ListedCandidate: Sendable {
    public let id: EventID
    public let score: Double
    /// The chance that this is the child (Candidate.probability); none for a pair staff decided.
    public let probability: Double?
    public let reasons: [String]
    /// The same reasons in Simplified Chinese.
    public let chineseReasons: [String]
    /// `confirmed` or `disputed` when staff recorded a confirmation of the pair.
    public let decision: String?
    public let kinship: KinshipResult?

    /// This candidate with its chance once a new record scoring `score` against the same query
    /// is weighed beside it (CandidateIndex.probability(_:scoring:besideOneScoring:)).
    public func weighed(besideOneScoring score: Double) -> ListedCandidate {
        ListedCandidate(
            id: id, score: self.score,
            probability: probability.map {
                CandidateIndex.probability($0, scoring: self.score, besideOneScoring: score)
            },
            reasons: reasons, chineseReasons: chineseReasons, decision: decision, kinship: kinship)
    }

    /// The probability for people: "37 %", "<1 %" or ">99 %"; nil for a pair staff decided.
    public var chance: String? {
        probability.map { $0 < 0.01 ? "<1 %" : $0 > 0.99 ? ">99 %" : "\(Int(($0 * 100).rounded())) %" }
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id.hex)), ("score", .number((score * 100).rounded() / 100)),
            ("reasons", .array(reasons.map { .string($0) })),
        ]
        if let probability { members.append(("probability", .number((probability * 1000).rounded() / 1000))) }
        if let decision { members.append(("match", .string(decision))) }
        if let kinship {
            members.append(
                (
                    "dna",
                    .object([
                        ("parents", .string(kinship.parents.rawValue)),
                        ("log10CombinedIndex", .number((kinship.log10CombinedIndex * 100).rounded() / 100)),
                        ("lociCompared", .number(Double(kinship.lociCompared))),
                        ("inconsistentLoci", .array(kinship.inconsistentLoci.map { .string($0) })),
                        ("decision", .string(kinship.decision.rawValue)),
                    ])
                ))
        }
        return .object(members)
    }
}

/// The cases and found children that stand (not retracted), read for matching, with the match
/// decisions that stand.
public struct MatchingData: Sendable {
    public let descriptions: [ChildDescription]
    public let rarity: Rarity
    public let board: StatusBoard
    public let decisions: [Record]
    /// The indexes `init(store:indexing:)` was asked to build.
    private let built: [CandidateIndex]

    /// Reads every case and found child, and builds the index of each side in `indexing`
    /// (`index(of:)`) while the rarity counts are made, on the other core. Given the node's
    /// folder, what describing the records gave is kept there between processes (PreparedRecords):
    /// read back from there, brought up to date first if events came since it was written, or,
    /// when it cannot be, made anew from every record and written there.
    public init(store: LedgerStore, indexing sides: [ChildDescription.Side] = [], keptIn directory: String? = nil)
        throws
    {
        let kept = try directory.flatMap { try PreparedRecords.upToDate(store: store, directory: $0) }
        let descriptions: [ChildDescription]
        // Where every record was read when no file could be: the file is written at it.
        var readAt: Int64?
        if let read = kept.flatMap({ try? $0.descriptions() }) {
            descriptions = read
        } else {
            // Described as read, so that a node's records are never all held at once beside what
            // describing them gives: on a node of 800,000 children, 3.5 GB at the peak before, 2.7 after.
            var described: [ChildDescription] = []
            readAt = try store.children(inPartsOf: 16_384) { part in
                described += ChildDescription.describe(part.filter { !$0.retracted })
            }
            descriptions = described
        }
        // The file keeps both sides' indexes, so both are built when it is written.
        let writing = directory != nil && readAt != nil
        let indexed: [ChildDescription.Side] = writing ? [.abductionCase, .foundChild] : sides
        (rarity, built) = Parallel.both(
            { Rarity(descriptions: descriptions) },
            { Parallel.map(indexed, chunkSize: 1) { CandidateIndex(side: $0, descriptions: descriptions) } })
        if writing, let directory, let readAt {
            let body = PreparedMatching.bytes(rarity: rarity, cases: built[0], found: built[1])
            try PreparedRecords.write(body, in: directory, position: readAt, store: store)
        }
        self.descriptions = descriptions
        board = try store.statusBoard()
        decisions = try Self.standingDecisions(store)
    }

    /// At most this many records are asked about one by one from a node's prepared file, each
    /// reading the records its query could be; for more, every record is read once for all.
    static let fewQueries = 8

    /// The candidates of each of `records` (cases or found children; any other is refused,
    /// naming `field`), as `init(store:indexing:keptIn:)` and `candidates(for:limit:field:)`
    /// give them. For a few records, the node's prepared file is read where it lies (brought up
    /// to date first if events came since it was made): each query reads only the postings it
    /// names and the records they name, a few thousand of a hundred thousand, one at a time. For
    /// more, every record is read, and handed to `keep` before it would be freed: a process about
    /// to end can keep it rather than free a hundred thousand records one by one (half a second).
    public static func candidates(
        for records: [Record], limit: Int, field: String, store: LedgerStore, keptIn directory: String,
        keep: (any Sendable) -> Void = { _ in }
    ) throws -> [[ListedCandidate]] {
        if records.count <= fewQueries, let prepared = try PreparedRecords.upToDate(store: store, directory: directory)
        {
            if let lists = try inPlace(records, limit: limit, field: field, store: store, prepared: prepared) {
                return lists
            }
            // A part the queries read was damaged: the file is made anew from every record below.
            PreparedRecords.remove(in: directory)
        }
        let sides: [ChildDescription.Side] =
            (records.contains { $0.kind != .abductionReported } ? [.abductionCase] : [])
            + (records.contains { $0.kind == .abductionReported } ? [.foundChild] : [])
        let data = try MatchingData(store: store, indexing: sides, keptIn: directory)
        let cases = sides.contains(.abductionCase) ? data.index(of: .abductionCase) : nil
        let found = sides.contains(.foundChild) ? data.index(of: .foundChild) : nil
        keep((data, cases, found))
        return try Parallel.map(records, chunkSize: 1) { record in
            Result {
                try data.candidates(
                    for: record, limit: limit, field: field,
                    index: record.kind == .abductionReported ? found : cases)
            }
        }.map { try $0.get() }
    }

    /// The candidates of each of `records` from the node's prepared file, read where it lies; nil
    /// when the file cannot answer (a record in it does not read back), for every record to.
    private static func inPlace(
        _ records: [Record], limit: Int, field: String, store: LedgerStore, prepared: PreparedMatching
    ) throws -> [[ListedCandidate]]? {
        let board = try store.statusBoard()
        let decisions = try standingDecisions(store)
        var lists: [[ListedCandidate]] = []
        for record in records {
            guard let query = try query(record, field: field) else {
                lists.append([])
                continue
            }
            // The pairs staff confirmed are listed whatever the postings choose, so read from the ledger.
            let confirmed = try decisions.filter { $0.kind == .identityMatched }.compactMap { decision in
                decision.caseId == query.id ? decision.foundId : decision.foundId == query.id ? decision.caseId : nil
            }.compactMap { try store.record($0) }.filter { !$0.retracted }
            let rarity = prepared.rarity(for: query)
            let data = MatchingData(
                descriptions: ChildDescription.describe(confirmed), rarity: rarity, board: board, decisions: decisions,
                built: [])
            guard
                let listed = try? data.listed(
                    for: query, limit: limit,
                    proposing: { try prepared.candidates(for: query, rarity: rarity, limit: $0, excluded: $1) })
            else { return nil }
            lists.append(listed)
        }
        return lists
    }

    private init(
        descriptions: [ChildDescription], rarity: Rarity, board: StatusBoard, decisions: [Record],
        built: [CandidateIndex]
    ) {
        self.descriptions = descriptions
        self.rarity = rarity
        self.board = board
        self.decisions = decisions
        self.built = built
    }

    /// This data with the records events changed since it was read (`LedgerStore.changes`)
    /// read again: only those are described, counted and indexed anew; statuses and decisions,
    /// which are few, are read afresh. Gives the candidates `init(store:)` would.
    public func updated(with changed: [Record], store: LedgerStore) throws -> MatchingData {
        let fresh = ChildDescription.describe(changed.filter { !$0.retracted })
        // Which of the records held changed: most often none (a record just made). A few ids are
        // compared in a short array: hashing each of 100,000 ids, even once, made the candidates
        // of a child just recorded take 32 ms on a server, against 17 (medians of 20).
        let changedIDs = changed.map(\.id)
        let changedSet = Set(changedIDs)
        let held = descriptions.indices.filter { index in
            changedIDs.count <= 16
                ? changedIDs.contains(descriptions[index].id) : changedSet.contains(descriptions[index].id)
        }
        var rarity = rarity
        var kept = descriptions
        if !held.isEmpty {
            for index in held { rarity.remove(descriptions[index]) }
            let heldSet = Set(held)
            kept = descriptions.indices.filter { !heldSet.contains($0) }.map { descriptions[$0] }
        }
        for description in fresh { rarity.add(description) }
        // The indexes need look for none of the others.
        let removing = Set(held.map { descriptions[$0].id })
        return MatchingData(
            descriptions: kept + fresh, rarity: rarity, board: try store.statusBoard(),
            decisions: try Self.standingDecisions(store),
            built: built.map { $0.updated(removing: removing, adding: fresh) })
    }

    public static func standingDecisions(_ store: LedgerStore) throws -> [Record] {
        try store.records(in: .matches).filter { !$0.retracted }
    }

    /// Records naming a birth-certificate serial that another record names too (see
    /// BirthCertificates), among every case and found child (`list`), read a part at a time:
    /// only the records naming a serial are kept.
    public static func sharedCertificates(_ store: LedgerStore) throws -> [EventID: [EventID]] {
        var holders: [BirthCertificates.Holder] = []
        for group in [RecordGroup.cases, .found] {
            try store.forEachRecord(in: group) { record in
                if let holder = BirthCertificates.Holder(record: record) { holders.append(holder) }
            }
        }
        return try sharedCertificates(store, holders)
    }

    /// The other records that name one record's serial (`show`, the record page), or nil.
    public static func sharedCertificate(_ store: LedgerStore, of record: Record) throws -> [EventID]? {
        try sharedCertificates(store, of: record)[record.id]
    }

    /// The same for one record: only the records that could share its serial are read.
    static func sharedCertificates(_ store: LedgerStore, of record: Record) throws -> [EventID: [EventID]] {
        guard let holder = BirthCertificates.Holder(record: record) else { return [:] }
        // The serial's digits as typed: in ASCII, or full width (１２３), which `serial(in:)` reads alike.
        let digits = holder.serial.filter(\.isNumber)
        var children: [EventID: Record] = [:]
        for typed in [digits, ChineseText.fullWidth(digits)] {
            for group in [RecordGroup.cases, .found] {
                for child in try store.records(in: group, containing: Array(typed.utf8)) { children[child.id] = child }
            }
        }
        return try sharedCertificates(store, children.values.compactMap(BirthCertificates.Holder.init(record:)))
    }

    private static func sharedCertificates(_ store: LedgerStore, _ holders: [BirthCertificates.Holder]) throws
        -> [EventID: [EventID]]
    {
        guard holders.count > 1 else { return [:] }
        let confirmed = try standingDecisions(store).filter { $0.kind == .identityMatched }.compactMap { decision in
            decision.caseId.flatMap { caseId in decision.foundId.map { [caseId, $0] } }
        }
        return BirthCertificates.shared(among: holders, confirmedPairs: Set(confirmed))
    }

    /// Candidates for a case or a found child; none for a retracted one. Any other record is
    /// refused, naming `field`.
    public func candidates(for record: Record, limit: Int, field: String, index: CandidateIndex? = nil) throws
        -> [ListedCandidate]
    {
        try Self.query(record, field: field).map { candidates(for: $0, limit: limit, index: index) } ?? []
    }

    /// A case or a found child described for matching; nil for a retracted one, which has no
    /// candidates. Any other record is refused, naming `field`.
    private static func query(_ record: Record, field: String) throws -> ChildDescription? {
        guard let query = ChildDescription(record: record) else {
            throw LedgerError(
                .wrongRecord, field: field,
                "\(record.id.short) is a \(record.kind.name), not an abduction case or a found child")
        }
        return record.retracted ? nil : query
    }

    /// The index of one side's records, for a process that answers many queries (the server)
    /// to build once: the one `init(store:indexing:)` built, else built now.
    public func index(of side: ChildDescription.Side) -> CandidateIndex {
        built.first { $0.side == side } ?? CandidateIndex(side: side, descriptions: descriptions)
    }

    /// Both sides' indexes, one on each core.
    public func indexes() -> (cases: CandidateIndex, found: CandidateIndex) {
        Parallel.both({ index(of: .abductionCase) }, { index(of: .foundChild) })
    }

    /// `index`, when given, must be `index(of:)` the other side from this data.
    public func candidates(for query: ChildDescription, limit: Int, index given: CandidateIndex? = nil)
        -> [ListedCandidate]
    {
        let otherSide: ChildDescription.Side = query.side == .abductionCase ? .foundChild : .abductionCase
        let index = given ?? self.index(of: otherSide)
        return listed(for: query, limit: limit) {
            index.candidates(for: query, rarity: rarity, limit: $0, excluded: $1)
        }
    }

    /// The pairs staff decided for `query` (confirmed ones listed first, rejected ones never),
    /// then what `propose` gives for the places left (`limit`), passing over those decided
    /// (`excluded`).
    private func listed(
        for query: ChildDescription, limit: Int,
        proposing propose: (_ limit: Int, _ excluded: Set<EventID>) throws -> [Candidate]
    ) rethrows -> [ListedCandidate] {
        var confirmed: [EventID: String] = [:]
        var rejected: Set<EventID> = []
        for decision in decisions {
            guard let caseId = decision.caseId, let foundId = decision.foundId,
                caseId == query.id || foundId == query.id
            else { continue }
            let partner = caseId == query.id ? foundId : caseId
            if decision.kind == .identityMatched {
                let status = board.status(of: decision)
                if confirmed[partner] != RecordStatus.disputed.rawValue { confirmed[partner] = status.rawValue }
            } else {
                rejected.insert(partner)
            }
        }
        var listed: [ListedCandidate] = []
        for (partner, decision) in confirmed.sorted(by: { $0.key < $1.key }) {
            guard let entry = descriptions.first(where: { $0.id == partner }) else { continue }
            let comparison = CandidateIndex.compare(query, entry, rarity)
            listed.append(
                ListedCandidate(
                    id: partner, score: comparison?.score ?? 0, probability: nil,
                    reasons: ["\(decision) match"]
                        + (comparison?.reasons.map(\.text) ?? ["the recorded evidence rules this pair out"]),
                    chineseReasons: [decision == RecordStatus.disputed.rawValue ? "比对有争议" : "已确认比对"]
                        + (comparison?.reasons.map(\.chinese) ?? ["登记的证据排除了这一对"]),
                    decision: decision, kinship: comparison?.kinship))
        }
        let proposed = try propose(max(0, limit - listed.count), rejected.union(confirmed.keys))
        listed += proposed.map { candidate in
            let decided = decidedElsewhere(candidate.id)
            return ListedCandidate(
                id: candidate.id, score: candidate.comparison.score, probability: candidate.probability,
                reasons: (decided.map { [$0.english] } ?? []) + candidate.comparison.reasons.map(\.text),
                chineseReasons: (decided.map { [$0.chinese] } ?? []) + candidate.comparison.reasons.map(\.chinese),
                decision: nil, kinship: candidate.comparison.kinship)
        }
        return Array(listed.prefix(limit))
    }

    /// A candidate staff already confirmed as another record's child, or reunited: said first
    /// among its reasons, not scored, since a confirmation can be wrong and staff decide. (The
    /// query's own decided partners are listed as decisions, never proposed.)
    func decidedElsewhere(_ id: EventID) -> (english: String, chinese: String)? {
        let partners = board.confirmedPartners(of: id)
        guard !partners.isEmpty else { return nil }
        let named = partners.sorted().map(\.short).joined(separator: ", ")
        if board.isReunited(id) {
            return (
                "already reunited (with \(named)): if this is the child, a decision recorded was wrong",
                "已团聚（与 \(named)）：如果这就是要找的孩子，已记录的决定有误"
            )
        }
        return (
            "already confirmed as the same child as \(named): if this is the child, one of the matches is wrong",
            "已确认与 \(named) 为同一个孩子：如果这就是要找的孩子，其中一个比对有误"
        )
    }
}
