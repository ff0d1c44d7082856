/// How common each name sound and each mark is among the records a node holds: the chance
/// that an unrelated child's record shares it, which is what a shared name or mark is worth.
public struct Rarity: Sendable {
    struct MarkKey: Hashable, Sendable {
        let kind: Mark.Kind
        let bodyPart: Mark.BodyPart?
        var side: Mark.Side? = nil
    }

    private var nameCounts: [String: Int] = [:]
    private var syllableCounts: [String: Int] = [:]
    private var sequenceCounts: [String: Int] = [:]
    private var placeCounts: [String: Int] = [:]
    private var markCounts: [MarkKey: Int] = [:]
    private var kindCounts: [Mark.Kind: Int] = [:]
    public private(set) var records = 0

    public init(descriptions: some Sequence<ChildDescription>) {
        for description in descriptions {
            records += 1
            for key in description.nameSounds.keys { nameCounts[key, default: 0] += 1 }
            for syllable in description.nameSounds.syllables { syllableCounts[syllable, default: 0] += 1 }
            for sequence in description.nameSounds.sequences { sequenceCounts[sequence, default: 0] += 1 }
            for key in description.placeKeys { placeCounts[key, default: 0] += 1 }
            var marks = Set(description.marks.map { MarkKey(kind: $0.kind, bodyPart: $0.bodyPart) })
            marks.formUnion(
                description.marks.filter { $0.side != nil }.map {
                    MarkKey(kind: $0.kind, bodyPart: $0.bodyPart, side: $0.side)
                })
            for key in marks { markCounts[key, default: 0] += 1 }
            for kind in Set(description.marks.map(\.kind)) { kindCounts[kind, default: 0] += 1 }
        }
    }

    /// The share of records with a feature, pulled towards a typical share while the node
    /// holds few records, so that a sound or mark seen nowhere else is rare, not impossible.
    private func share(_ count: Int, typical: Double) -> Double {
        let weight = 50.0
        return (Double(count) + weight * typical) / (Double(records) + weight)
    }

    /// The share of records with a folded name sound.
    func nameShare(_ key: String) -> Double { share(nameCounts[key] ?? 0, typical: 0.03) }

    /// The share of records with a name of these syllables in this order.
    func sequenceShare(_ sequence: String) -> Double { share(sequenceCounts[sequence] ?? 0, typical: 0.001) }

    /// The share of records whose place names this pair of characters.
    func placeShare(_ key: String) -> Double { share(placeCounts[key] ?? 0, typical: 0.05) }

    /// The share of records with a syllable exactly as written.
    func syllableShare(_ syllable: String) -> Double { share(syllableCounts[syllable] ?? 0, typical: 0.02) }

    /// The share of records with a mark of this kind, on this part of the body when given, on
    /// this side when given.
    func markShare(_ kind: Mark.Kind, _ part: Mark.BodyPart?, _ side: Mark.Side? = nil) -> Double {
        guard part != nil else { return share(kindCounts[kind] ?? 0, typical: 0.05) }
        return share(
            markCounts[MarkKey(kind: kind, bodyPart: part, side: side)] ?? 0, typical: side == nil ? 0.01 : 0.005)
    }
}
