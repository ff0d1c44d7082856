import LedgerCore

/// Allele frequencies per STR locus (Protocol/allele-frequencies.txt names the study), with
/// rare and unseen alleles floored at 5/2N so one unusual allele cannot make a huge index.
public struct AlleleFrequencies: Sendable {
    struct Locus: Sendable {
        /// Frequency by allele in tenths of a repeat.
        var frequencies: [UInt32: Double]
        /// 5/2N, N being the number of people the study typed.
        var floor: Double

        /// The listed frequency of an allele in tenths, never below the floor.
        func frequency(of allele: UInt32) -> Double { max(frequencies[allele] ?? 0, floor) }
    }

    let loci: [String: Locus]
    /// By locus slot (GenotypeTable) and allele in tenths: the floored frequency raised for
    /// substructure, as comparisons use it; empty for loci the table lacks.
    let structuredBySlot: [[Double]]
    static let largestAllele = 1000

    /// The table shipped with reunite.
    public static let chinese = AlleleFrequencies(parsing: tableText)

    /// Reads the `locus<TAB>allele=frequency ...` lines of Protocol/allele-frequencies.txt.
    init(parsing text: String) {
        var loci: [String: Locus] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t")
            precondition(columns.count == 2, "allele table line without a tab: \(line)")
            var frequencies: [UInt32: Double] = [:]
            for pair in columns[1].split(separator: " ") {
                let parts = pair.split(separator: "=")
                guard parts.count == 2, let allele = Double(parts[0]), let frequency = Double(parts[1]) else {
                    preconditionFailure("allele table pair \(pair) is not allele=frequency")
                }
                frequencies[UInt32((allele * 10).rounded())] = frequency
            }
            // The table gives no sample size: its smallest frequency is taken as one allele in 2N.
            let twiceN = 1 / (frequencies.values.min() ?? 1)
            loci[String(columns[0])] = Locus(frequencies: frequencies, floor: 5 / twiceN)
        }
        self.loci = loci
        structuredBySlot = DNAProfile.knownLoci.map { name in
            guard let locus = loci[name] else { return [] }
            return (0...Self.largestAllele).map { tenths in
                Kinship.structured(locus.frequency(of: UInt32(tenths)))
            }
        }
    }

    /// Whether the table has the locus at `slot`: loci it lacks are not compared.
    @inline(__always)
    func covers(slot: Int) -> Bool { !structuredBySlot[slot].isEmpty }

    @inline(__always)
    func structuredFrequency(of allele: UInt32, slot: Int) -> Double? {
        let row = structuredBySlot[slot]
        guard !row.isEmpty else { return nil }
        return row[min(Int(allele), Self.largestAllele)]
    }

    public var lociNames: Set<String> { Set(loci.keys) }

    /// The frequency the study lists for `allele`, without the floor; nil when it lists none.
    public func listedFrequency(of allele: UInt32, at locus: String) -> Double? {
        loci[locus]?.frequencies[allele]
    }

    /// The frequency of `allele` (tenths of a repeat) at `locus`, never below the floor; nil
    /// when the table has no such locus.
    public func frequency(of allele: UInt32, at locus: String) -> Double? {
        loci[locus]?.frequency(of: allele)
    }
}
