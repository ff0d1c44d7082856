import ArgumentParser
import LedgerCore
import LedgerStore
import Matching

struct Candidates: NodeCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "The found children most likely to be a case's child, or the cases most likely to be a found child's.",
        discussion: """
            The score is log10 of the combined likelihood ratio: 4 means the evidence is 10,000 times likelier \
            if the pair is one child than if not. Each reason says what it rests on. A DNA result is a lead \
            for a laboratory to confirm, never a decision. Rejected pairs are never proposed; confirmed \
            ones are listed first, as such.
            """)

    @OptionGroup var node: NodeOptions
    @Argument(help: "An abduction case or a found child: its id, or 8 or more of its first characters.") var id: String
    @Option(help: "How many candidates to list.") var limit = 10
    @Flag(help: "Print an array of {\"id\", \"score\", \"reasons\"}, best first.") var json = false

    func execute() throws {
        guard limit > 0 else {
            throw LedgerError(.invalidValue, field: "--limit", "\(limit) is not a positive number of candidates")
        }
        let store = try node.openNode().store
        let recordID = try store.resolve(EventDraft.Reference(parsing: .string(id), field: "ID"), field: "ID")
        guard let record = try store.record(recordID) else {
            throw LedgerError(
                .wrongRecord, field: "ID", "\(recordID.short) is a correction or retraction, not a record")
        }
        guard let query = ChildDescription(record: record) else {
            throw LedgerError(
                .wrongRecord, field: "ID",
                "\(recordID.short) is a \(record.kind.name), not an abduction case or a found child")
        }
        let people = try MatchingData(store: store)
        let listed = record.retracted ? [] : people.candidates(for: query, limit: limit)
        if json {
            Console.printJSON(.array(listed.map(\.json)))
            return
        }
        if listed.isEmpty {
            print(record.retracted ? "\(recordID.short) is retracted: no candidates" : "no candidates")
            return
        }
        for (rank, candidate) in listed.enumerated() {
            let decision = candidate.decision.map { " (\($0) match)" } ?? ""
            print("\(rank + 1). \(candidate.id.short)  score \(Console.decimal(candidate.score))\(decision)")
            if let other = try store.record(candidate.id) { print("     " + Self.summary(of: other)) }
            for reason in candidate.reasons { print("     - \(reason)") }
        }
    }

    /// Who the candidate is, in one line: name, sex, birth or age, when and where.
    static func summary(of record: Record) -> String {
        let parts: [String] =
            record.kind == .abductionReported
            ? [
                record.text(.childName), record.text(.sex), record.fields[.born].map { "born \($0.displayText)" } ?? "",
                "missing since \(record.text(.missingSince))", record.text(.place),
            ]
            : [
                record.text(.name), record.text(.sex),
                record.fields[.ageMonths].map { "about \($0.displayText) months old" } ?? "",
                "found on \(record.text(.foundOn))", record.text(.place),
            ]
        return parts.filter { !$0.isEmpty }.joined(separator: " · ")
    }
}

/// A candidate as the command prints it: the matcher's evidence, plus what staff decided.
struct ListedCandidate {
    let id: EventID
    let score: Double
    let reasons: [String]
    /// `confirmed` or `disputed` when staff recorded a confirmation of the pair.
    let decision: String?
    let kinship: KinshipResult?

    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id.hex)), ("score", .number((score * 100).rounded() / 100)),
            ("reasons", .array(reasons.map { .string($0) })),
        ]
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
struct MatchingData {
    let descriptions: [ChildDescription]
    let rarity: Rarity
    let board: StatusBoard
    let decisions: [Record]

    init(store: LedgerStore) throws {
        let children = try store.records(in: .cases) + store.records(in: .found)
        // Reading marks and names is pure work, spread over the cores.
        descriptions = Parallel.map(children.filter { !$0.retracted }) { ChildDescription(record: $0) }.compactMap {
            $0
        }
        rarity = Rarity(descriptions: descriptions)
        board = try store.statusBoard()
        decisions = try Self.standingDecisions(store)
    }

    static func standingDecisions(_ store: LedgerStore) throws -> [Record] {
        try store.records(in: .matches).filter { !$0.retracted }
    }

    /// Records naming a birth-certificate serial that another record names too (see
    /// BirthCertificates), for the records of `group` already read (`list`): only the other
    /// group is read besides.
    static func sharedCertificates(_ store: LedgerStore, among read: [Record], of group: RecordGroup) throws
        -> [EventID: [EventID]]
    {
        try sharedCertificates(store, children: read + store.records(in: group == .cases ? .found : .cases))
    }

    /// The same for one record (`show`): only the records that could share its serial are read.
    static func sharedCertificates(_ store: LedgerStore, of record: Record) throws -> [EventID: [EventID]] {
        guard let holder = BirthCertificates.Holder(record: record) else { return [:] }
        let digits = Array(holder.serial.filter(\.isNumber).utf8)
        return try sharedCertificates(
            store,
            children: store.records(in: .cases, containing: digits) + store.records(in: .found, containing: digits))
    }

    private static func sharedCertificates(_ store: LedgerStore, children: [Record]) throws -> [EventID: [EventID]] {
        let holders = children.compactMap(BirthCertificates.Holder.init(record:))
        guard holders.count > 1 else { return [:] }
        let confirmed = try standingDecisions(store).filter { $0.kind == .identityMatched }.compactMap { decision in
            decision.caseId.flatMap { caseId in decision.foundId.map { [caseId, $0] } }
        }
        return BirthCertificates.shared(among: holders, confirmedPairs: Set(confirmed))
    }

    func candidates(for query: ChildDescription, limit: Int) -> [ListedCandidate] {
        let otherSide: ChildDescription.Side = query.side == .abductionCase ? .foundChild : .abductionCase
        let index = CandidateIndex(side: otherSide, descriptions: descriptions)
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
            let comparison = index.compare(query, entry, rarity)
            listed.append(
                ListedCandidate(
                    id: partner, score: comparison?.score ?? 0,
                    reasons: ["\(decision) match"]
                        + (comparison?.reasons.map(\.text) ?? ["the recorded evidence rules this pair out"]),
                    decision: decision, kinship: comparison?.kinship))
        }
        let proposed = index.candidates(
            for: query, rarity: rarity, limit: max(0, limit - listed.count),
            excluded: rejected.union(confirmed.keys))
        listed += proposed.map { candidate in
            ListedCandidate(
                id: candidate.id, score: candidate.comparison.score,
                reasons: candidate.comparison.reasons.map(\.text),
                decision: nil, kinship: candidate.comparison.kinship)
        }
        return Array(listed.prefix(limit))
    }
}
