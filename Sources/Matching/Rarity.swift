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
    private var recordsNamingAParent = 0

    public init(descriptions: some Sequence<ChildDescription>) {
        for description in descriptions { add(description) }
    }

    /// Counts one more record: a node's counts are kept up to date as records come and change.
    public mutating func add(_ description: ChildDescription) { count(description, by: 1) }

    /// Counts one record less (one corrected or retracted).
    public mutating func remove(_ description: ChildDescription) { count(description, by: -1) }

    private mutating func count(_ description: ChildDescription, by change: Int) {
        records += change
        // Each list counted in place: joined into one, they cost an array a record.
        func count(_ codes: [UInt64]) {
            for code in codes { codeCounts[code, default: 0] += change }
        }
        let sounds = description.nameSounds
        for codes in sounds.syllableCodes { codeCounts[codes.syllable, default: 0] += change }
        count(sounds.keyCodes)
        count(sounds.sequenceCodes)
        count(sounds.foldedSequenceCodes)
        count(description.placeCodes)
        count(description.placeSoundCodes)
        for feature in description.otherFeatures { codeCounts[feature.code, default: 0] += change }
        if !description.parentNames.isEmpty {
            recordsNamingAParent += change
            // A name read more than one way (乐 le or yue) has a code each way; each counted once a record.
            var counted: [UInt64] = []
            for parent in description.parentNames {
                for code in parent.wholeNameCodes where !counted.contains(code) {
                    counted.append(code)
                    parentNameCounts[code, default: 0] += change
                }
            }
        }
        // A record has a mark or two: each key and kind counted once, found by looking back.
        let marks = description.marks
        for (index, mark) in marks.enumerated() {
            if !marks[..<index].contains(where: { $0.kind == mark.kind && $0.bodyPart == mark.bodyPart }) {
                markCounts[MarkKey(kind: mark.kind, bodyPart: mark.bodyPart), default: 0] += change
            }
            if mark.side != nil, !marks[..<index].contains(mark) {
                markCounts[MarkKey(kind: mark.kind, bodyPart: mark.bodyPart, side: mark.side), default: 0] += change
            }
            if !marks[..<index].contains(where: { $0.kind == mark.kind }) {
                kindCounts[mark.kind, default: 0] += change
            }
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
