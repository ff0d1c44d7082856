import LedgerCore

/// A profile as integers: for each locus slot (its position in `DNAProfile.knownLoci`) the two
/// alleles in tenths packed as `first << 16 | second`, 0 where the locus is not typed. A node
/// compares one found child with tens of thousands of parents; this keeps each comparison to
/// integer work without strings or allocations.
public struct GenotypeTable: Sendable {
    public static let slotCount = DNAProfile.knownLoci.count
    static let slotByName: [String: Int] = Dictionary(
        uniqueKeysWithValues: DNAProfile.knownLoci.enumerated().map { ($1, $0) })

    let packed: [UInt32]
    /// Bit n set where slot n is typed: a number, not a list, so that reading a profile back
    /// from a prepared file takes one allocation, not two.
    private let typed: UInt64

    public init(_ profile: DNAProfile) {
        var packed = [UInt32](repeating: 0, count: Self.slotCount)
        for locus in profile.sortedLoci {
            guard let slot = Self.slotByName[locus.name] else { continue }
            packed[slot] = locus.genotype.first << 16 | locus.genotype.second
        }
        self.init(packed: packed)
    }

    /// Each slot's alleles as `first << 16 | second`, 0 where the locus was not typed.
    init(packed: [UInt32]) {
        precondition(packed.count <= 64, "a slot for each bit of `typed`")
        self.packed = packed
        typed = packed.indices.reduce(0) { packed[$1] == 0 ? $0 : $0 | 1 << UInt64($1) }
    }

    /// The slots typed, ascending.
    var typedSlots: Slots { Slots(remaining: typed) }

    struct Slots: Sequence, IteratorProtocol {
        var remaining: UInt64

        var count: Int { remaining.nonzeroBitCount }

        mutating func next() -> Int? {
            guard remaining != 0 else { return nil }
            defer { remaining &= remaining - 1 }
            return remaining.trailingZeroBitCount
        }
    }

    @inline(__always)
    func alleles(at slot: Int) -> (UInt32, UInt32)? {
        let value = packed[slot]
        return value == 0 ? nil : (value >> 16, value & 0xFFFF)
    }
}
