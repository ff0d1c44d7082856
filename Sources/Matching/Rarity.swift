/// How common each name sound and each mark is among the records a node holds: the chance
/// that an unrelated child's record shares it, which is what a shared name or mark is worth.
public struct Rarity: Sendable {
    struct MarkKey: Hashable, Sendable {
        let kind: Mark.Kind
        let bodyPart: Mark.BodyPart?
    }

    private var nameCounts: [String: Int] = [:]
    private var markCounts: [MarkKey: Int] = [:]
    private var kindCounts: [Mark.Kind: Int] = [:]
    public private(set) var records = 0

    public init(descriptions: some Sequence<ChildDescription>) {
        for description in descriptions {
            records += 1
            for key in description.nameSounds.keys { nameCounts[key, default: 0] += 1 }
            for key in Set(description.marks.map { MarkKey(kind: $0.kind, bodyPart: $0.bodyPart) }) {
                markCounts[key, default: 0] += 1
            }
            for kind in Set(description.marks.map(\.kind)) { kindCounts[kind, default: 0] += 1 }
        }
    }

    /// The share of records with a feature, pulled towards a typical share while the node
    /// holds few records, so that a sound or mark seen nowhere else is rare, not impossible.
    private func share(_ count: Int, typical: Double) -> Double {
        let weight = 50.0
        return (Double(count) + weight * typical) / (Double(records) + weight)
    }

    func nameShare(_ key: String) -> Double { share(nameCounts[key] ?? 0, typical: 0.02) }

    func markShare(_ kind: Mark.Kind, _ part: Mark.BodyPart?) -> Double {
        part == nil
            ? share(kindCounts[kind] ?? 0, typical: 0.05)
            : share(markCounts[MarkKey(kind: kind, bodyPart: part)] ?? 0, typical: 0.01)
    }
}
