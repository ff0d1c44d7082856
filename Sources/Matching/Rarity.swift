/// How common each name sound and each mark is among the records a node holds: the chance
/// that an unrelated child's record shares it, which is what a shared name or mark is worth.
public struct Rarity: Sendable {
    struct MarkKey: Hashable, Sendable {
        let kind: Mark.Kind
        let bodyPart: Mark.BodyPart?
        var side: Mark.Side? = nil
    }

    /// By code (Code): name syllables, folded keys, name sequences, place names and feature words.
    private var codeCounts: [UInt64: Int] = [:]
    private var markCounts: [MarkKey: Int] = [:]
    private var kindCounts: [Mark.Kind: Int] = [:]
    public private(set) var records = 0
    /// Parents' whole names, by code, and the records giving one: a child's father is compared
    /// with the fathers and mothers records name, not with children's names.
    private var parentNameCounts: [UInt64: Int] = [:]
    private(set) var recordsNamingAParent = 0

    public init(descriptions: some Sequence<ChildDescription>) {
        for description in descriptions { add(description) }
    }

    /// Counts one more record: a node's counts are kept up to date as records come and change.
    public mutating func add(_ description: ChildDescription) { count(description, by: 1) }

    /// Counts one record less (one corrected or retracted).
    public mutating func remove(_ description: ChildDescription) { count(description, by: -1) }

    private mutating func count(_ description: ChildDescription, by change: Int) {
        records += change
        if !description.parentNames.isEmpty { recordsNamingAParent += change }
        Self.visit(description) { counted in
            switch counted {
            case .code(let code): codeCounts[code, default: 0] += change
            case .parentName(let code): parentNameCounts[code, default: 0] += change
            case .mark(let key): markCounts[key, default: 0] += change
            case .kind(let kind): kindCounts[kind, default: 0] += change
            }
        }
    }

    /// What a record is counted under.
    enum Counted {
        case code(UInt64)
        case parentName(UInt64)
        case mark(MarkKey)
        case kind(Mark.Kind)

        /// The table a prepared file keeps the count in (0 to 3), and its key there.
        var table: (number: Int, key: UInt64) {
            switch self {
            case .code(let code): (0, code)
            case .parentName(let code): (1, code)
            case .mark(let key):
                (
                    2,
                    UInt64(Mark.Kind.allCases.firstIndex(of: key.kind)!) << 16
                        | UInt64(key.bodyPart.map { Mark.BodyPart.allCases.firstIndex(of: $0)! + 1 } ?? 0) << 8
                        | UInt64(key.side.map { $0 == .left ? 1 : 2 } ?? 0)
                )
            case .kind(let kind): (3, UInt64(Mark.Kind.allCases.firstIndex(of: kind)!))
            }
        }
    }

    /// Calls `body` with each thing a record is counted under, once a record.
    private static func visit(_ description: ChildDescription, _ body: (Counted) -> Void) {
        visitWords(description, body)
        visitMarks(description, body)
    }

    /// Its names, places, parents' names and words of its features.
    private static func visitWords(_ description: ChildDescription, _ body: (Counted) -> Void) {
        let sounds = description.nameSounds
        // Each list visited in place: joined into one, they cost an array a record.
        func each(_ codes: [UInt64]) {
            for code in codes { body(.code(code)) }
        }
        for codes in sounds.syllableCodes { body(.code(codes.syllable)) }
        each(sounds.keyCodes)
        each(sounds.sequenceCodes)
        each(sounds.foldedSequenceCodes)
        each(description.placeCodes)
        each(description.placeSoundCodes)
        for feature in description.otherFeatures { body(.code(feature.code)) }
        // A name read more than one way (乐 le or yue) has a code each way; each counted once a record.
        var counted: [UInt64] = []
        for parent in description.parentNames {
            for code in parent.wholeNameCodes where !counted.contains(code) {
                counted.append(code)
                body(.parentName(code))
            }
        }
    }

    /// Its marks, by kind and part of the body, and by side.
    private static func visitMarks(_ description: ChildDescription, _ body: (Counted) -> Void) {
        // A record has a mark or two: each key and kind counted once, found by looking back.
        let marks = description.marks
        for (index, mark) in marks.enumerated() {
            if !marks[..<index].contains(where: { $0.kind == mark.kind && $0.bodyPart == mark.bodyPart }) {
                body(.mark(MarkKey(kind: mark.kind, bodyPart: mark.bodyPart)))
            }
            if mark.side != nil, !marks[..<index].contains(mark) {
                body(.mark(MarkKey(kind: mark.kind, bodyPart: mark.bodyPart, side: mark.side)))
            }
            if !marks[..<index].contains(where: { $0.kind == mark.kind }) {
                body(.kind(mark.kind))
            }
        }
    }

    /// Every count, by table (`Counted.table`), for a prepared file to keep.
    var tables: [[UInt64: Int]] {
        [
            codeCounts, parentNameCounts,
            Dictionary(uniqueKeysWithValues: markCounts.map { (Counted.mark($0.key).table.key, $0.value) }),
            Dictionary(uniqueKeysWithValues: kindCounts.map { (Counted.kind($0.key).table.key, $0.value) }),
        ]
    }

    /// The counts that comparing `query` with any record asks for, looked up in a prepared
    /// file's tables (`count(table, key)`): what one query needs, where counting every record
    /// takes a tenth of a second at 100,000. A comparison asks for the rarity of a name sound,
    /// a place, a parent's name or a feature word only when both records have it, so the
    /// query's own are enough, with the places of home as a found child said it, compared with
    /// a case's place. It asks for the rarity of a mark by kind and part of the other record's
    /// too (one placed less precisely, "leg" against "knee", is weighed as the other describes
    /// it), so every kind and part is looked up, four hundred keys, where visiting the marks of
    /// the records a query chose took 4 ms at 30,000; by side only for a side both give.
    init(
        records: Int, recordsNamingAParent: Int, query: ChildDescription,
        count: (_ table: Int, _ key: UInt64) -> Int
    ) {
        self.records = records
        self.recordsNamingAParent = recordsNamingAParent
        func fill(_ counted: Counted) {
            let (table, key) = counted.table
            switch counted {
            case .code(let code): if codeCounts[code] == nil { codeCounts[code] = count(table, key) }
            case .parentName(let code): if parentNameCounts[code] == nil { parentNameCounts[code] = count(table, key) }
            case .mark(let mark): if markCounts[mark] == nil { markCounts[mark] = count(table, key) }
            case .kind(let kind): if kindCounts[kind] == nil { kindCounts[kind] = count(table, key) }
            }
        }
        Self.visit(query, fill)
        // Counted as sequences by other records, a name's sound in Latin order is looked up too.
        for code in query.nameSounds.wholeNameCodes { fill(.code(code)) }
        for code in (query.home?.codes ?? []) + (query.home?.soundCodes ?? []) { fill(.code(code)) }
        for kind in Mark.Kind.allCases {
            fill(.kind(kind))
            for part in [nil] + Mark.BodyPart.allCases { fill(.mark(MarkKey(kind: kind, bodyPart: part))) }
        }
    }

    /// The share of records with a feature, pulled towards a typical share while the node
    /// holds few records, so that a sound or mark seen nowhere else is rare, not impossible.
    private func share(_ count: Int, typical: Double, among records: Int? = nil) -> Double {
        let weight = 50.0
        return (Double(count) + weight * typical) / (Double(records ?? self.records) + weight)
    }

    /// The share of the parents records name who have this whole name.
    func parentNameShare(_ code: UInt64) -> Double {
        share(parentNameCounts[code] ?? 0, typical: 0.001, among: recordsNamingAParent)
    }

    /// The share of records with a folded name sound.
    func keyShare(_ code: UInt64) -> Double { share(codeCounts[code] ?? 0, typical: 0.03) }

    /// The share of records with a name of these syllables in this order, as written or folded.
    func sequenceShare(_ code: UInt64) -> Double { share(codeCounts[code] ?? 0, typical: 0.001) }

    /// The share of records with a syllable exactly as written.
    func syllableShare(_ code: UInt64) -> Double { share(codeCounts[code] ?? 0, typical: 0.02) }

    /// The share of records whose described features use this word.
    func featureShare(_ code: UInt64) -> Double { share(codeCounts[code] ?? 0, typical: 0.01) }

    /// The share of records whose place names this pair of characters.
    func placeShare(_ code: UInt64) -> Double { share(codeCounts[code] ?? 0, typical: 0.05) }

    /// The share of records with a mark of this kind, on this part of the body when given, on
    /// this side when given.
    func markShare(_ kind: Mark.Kind, _ part: Mark.BodyPart?, _ side: Mark.Side? = nil) -> Double {
        guard part != nil else { return share(kindCounts[kind] ?? 0, typical: 0.05) }
        return share(
            markCounts[MarkKey(kind: kind, bodyPart: part, side: side)] ?? 0, typical: side == nil ? 0.01 : 0.005)
    }
}
