import LedgerCore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// What GB/T 37223-2018 concludes from a parentage comparison.
public enum KinshipDecision: String, Sendable {
    /// Combined index of 10,000 or more: supports parentage.
    case supportsParentage
    /// Three or more loci inconsistent with parentage: excludes it.
    case excludesParentage
    /// Neither: the laboratory should type more loci.
    case typeMoreLoci
}

/// The comparison of a found child's STR profile with the parents' of an abduction case.
public struct KinshipResult: Sendable, Equatable {
    public enum Parents: String, Sendable { case mother, father, motherAndFather = "mother and father" }

    public let parents: Parents
    /// log10 of the combined (paternity, maternity or trio) index.
    public let log10CombinedIndex: Double
    /// Loci typed in the child and in every parent compared, and in the frequency table.
    public let lociCompared: Int
    /// Loci where no parent could have passed on the child's allele without a mutation.
    public let inconsistentLoci: [String]

    public var decision: KinshipDecision {
        if inconsistentLoci.count >= Kinship.excludingLoci { return .excludesParentage }
        return log10CombinedIndex >= 4 ? .supportsParentage : .typeMoreLoci
    }
}

/// Parent-child kinship from short-tandem-repeat profiles: the standard parentage index per
/// locus, from allele frequencies, multiplied over the loci both sides have.
///
/// A locus compares P(child's genotype | these parents) with P(child's genotype | a random
/// child): `(t_p(q) + t_q(p)) / 2pq` for a heterozygous child `pq` and one tested parent
/// (`t_x` the chance the parent passes on `x`), `t_p / p` for a homozygote, and for both parents
/// `(t_M(p) t_F(q) + t_M(q) t_F(p)) / 2pq`. Transmission allows a stepwise mutation, so an
/// inconsistent locus lowers the index by about the mutation rate instead of zeroing it, and
/// frequencies are corrected for population substructure (θ = 0.03).
public enum Kinship {
    /// Per-generation STR mutation rates, by the parent who passes the allele on: mutations
    /// arise about four times as often in fathers (studies of Chinese Han families and the AABB
    /// parentage reports put the ratio at about 3.5 to 5, and the average over the core loci at
    /// 0.1 to 0.3 % paternal).
    public static let paternalMutationRate = 0.002
    public static let maternalMutationRate = 0.0005
    /// How much likelier a one-step mutation is than each further step.
    static let stepFactor = 0.1
    /// Population substructure (F_ST). Relatives share alleles more than a table of the whole
    /// population says, so a shared rare allele is less telling than 1/p suggests. NRC II
    /// (recommendation 4.10) advises 0.01 to 0.03; a node compares each child with tens of
    /// thousands of profiles, where chance leads matter most, so it takes the cautious end (in
    /// the evaluation, 0.01 let 8 of 6,000 decoys lead with a false index above 10,000; 0.03, 2).
    public static let theta = 0.03
    /// GB/T 37223-2018 excludes parentage at this many loci inconsistent with it.
    static let excludingLoci = 3

    /// The allele frequency a comparison uses: θ + (1 - θ) p, a conservative approximation of
    /// the Balding-Nichols correction that matters only for rare alleles.
    static func structured(_ p: Double) -> Double { theta + (1 - theta) * p }

    public static func compare(
        child: DNAProfile, mother: DNAProfile?, father: DNAProfile?, frequencies: AlleleFrequencies = .chinese
    ) -> KinshipResult? {
        compare(
            child: GenotypeTable(child), mother: mother.map(GenotypeTable.init), father: father.map(GenotypeTable.init),
            frequencies: frequencies)
    }

    /// Whether three or more of the loci `compare` would score are inconsistent with parentage
    /// without a mutation (the exclusion of GB/T 37223-2018), told with integer comparisons and
    /// stopping at the third.
    public static func excludes(
        child: GenotypeTable, mother: GenotypeTable?, father: GenotypeTable?, frequencies: AlleleFrequencies = .chinese
    ) -> Bool {
        guard mother != nil || father != nil else { return false }
        var inconsistent = 0
        forEachComparedLocus(child: child, mother: mother, father: father, frequencies: frequencies) {
            _, alleles, fromMother, fromFather in
            if !isConsistent(child: alleles, mother: fromMother, father: fromFather) { inconsistent += 1 }
            return inconsistent < excludingLoci
        }
        return inconsistent >= excludingLoci
    }

    /// Calls `body` with each locus the child and every parent given have typed and the frequency
    /// table has, until it returns false. A trio locus typed in one parent only is skipped rather
    /// than scored as a duo, so the kind of index stays one.
    @inline(__always)
    static func forEachComparedLocus(
        child: GenotypeTable, mother: GenotypeTable?, father: GenotypeTable?, frequencies: AlleleFrequencies,
        _ body: (_ slot: Int, _ child: (UInt32, UInt32), _ mother: (UInt32, UInt32)?, _ father: (UInt32, UInt32)?)
            -> Bool
    ) {
        for slot in child.typedSlots where frequencies.covers(slot: slot) {
            let fromMother = mother?.alleles(at: slot)
            let fromFather = father?.alleles(at: slot)
            if (mother != nil && fromMother == nil) || (father != nil && fromFather == nil) { continue }
            guard let alleles = child.alleles(at: slot) else { continue }
            if !body(slot, alleles, fromMother, fromFather) { return }
        }
    }

    /// Whether the parents given could pass on the child's alleles without a mutation.
    @inline(__always)
    static func isConsistent(child: (UInt32, UInt32), mother: (UInt32, UInt32)?, father: (UInt32, UInt32)?) -> Bool {
        func has(_ parent: (UInt32, UInt32), _ allele: UInt32) -> Bool { parent.0 == allele || parent.1 == allele }
        return switch (mother, father) {
        case (let m?, let f?): (has(m, child.0) && has(f, child.1)) || (has(m, child.1) && has(f, child.0))
        case (let one?, nil), (nil, let one?): has(one, child.0) || has(one, child.1)
        case (nil, nil): true
        }
    }

    /// The comparison over every locus the child and each given parent have typed.
    public static func compare(
        child: GenotypeTable, mother: GenotypeTable?, father: GenotypeTable?,
        frequencies: AlleleFrequencies = .chinese
    ) -> KinshipResult? {
        let parents: KinshipResult.Parents
        switch (mother, father) {
        case (.some, .some): parents = .motherAndFather
        case (.some, nil): parents = .mother
        case (nil, .some): parents = .father
        case (nil, nil): return nil
        }
        var combined = 1.0
        var log10Index = 0.0
        var compared = 0
        var inconsistent: [String] = []
        forEachComparedLocus(child: child, mother: mother, father: father, frequencies: frequencies) {
            slot, alleles, fromMother, fromFather in
            guard
                let index = locusIndex(
                    child: alleles, mother: fromMother, father: fromFather, slot: slot, frequencies: frequencies)
            else { return true }
            compared += 1
            combined *= index.value
            // Kept within range however many loci: fold the product into the logarithm now and then.
            if combined < 1e-200 || combined > 1e200 {
                log10Index += log10(combined)
                combined = 1
            }
            if !index.consistent { inconsistent.append(DNAProfile.knownLoci[slot]) }
            return true
        }
        guard compared > 0 else { return nil }
        return KinshipResult(
            parents: parents, log10CombinedIndex: log10Index + log10(combined), lociCompared: compared,
            inconsistentLoci: inconsistent.sorted())
    }

    /// The index at one locus, and whether it is consistent with parentage without a mutation.
    static func locusIndex(
        child: DNAProfile.Genotype, mother: DNAProfile.Genotype?, father: DNAProfile.Genotype?, locus: String,
        frequencies: AlleleFrequencies
    ) -> (value: Double, consistent: Bool)? {
        guard let slot = GenotypeTable.slotByName[locus] else { return nil }
        return locusIndex(
            child: (child.first, child.second), mother: mother.map { ($0.first, $0.second) },
            father: father.map { ($0.first, $0.second) }, slot: slot, frequencies: frequencies)
    }

    @inline(__always)
    static func locusIndex(
        child: (UInt32, UInt32), mother: (UInt32, UInt32)?, father: (UInt32, UInt32)?, slot: Int,
        frequencies: AlleleFrequencies
    ) -> (value: Double, consistent: Bool)? {
        guard let p = frequencies.structuredFrequency(of: child.0, slot: slot),
            let q = frequencies.structuredFrequency(of: child.1, slot: slot)
        else { return nil }
        let homozygous = child.0 == child.1
        // P(child | parents) / P(child | random), for one tested parent or for both; without
        // mutation, only to tell whether the locus is consistent.
        func index(_ mutation: Bool) -> Double {
            let maternal = mutation ? maternalMutationRate : 0
            let paternal = mutation ? paternalMutationRate : 0
            switch (mother, father) {
            case (let m?, let f?):
                let m0 = transmission(m, child.0, rate: maternal)
                let f0 = transmission(f, child.0, rate: paternal)
                if homozygous { return m0 * f0 / (p * p) }
                let m1 = transmission(m, child.1, rate: maternal)
                let f1 = transmission(f, child.1, rate: paternal)
                return (m0 * f1 + m1 * f0) / (2 * p * q)
            case (let one?, nil), (nil, let one?):
                let rate = mother != nil ? maternal : paternal
                let t0 = transmission(one, child.0, rate: rate)
                if homozygous { return t0 / p }
                let t1 = transmission(one, child.1, rate: rate)
                return (t0 * q + t1 * p) / (2 * p * q)
            case (nil, nil):
                return 1
            }
        }
        return (index(true), isConsistent(child: child, mother: mother, father: father))
    }

    /// The chance a parent passes on `allele`: half for each of the parent's alleles that equals
    /// it (less the mutation rate), plus the chance one mutates into it.
    @inline(__always)
    static func transmission(_ parent: (UInt32, UInt32), _ allele: UInt32, rate: Double) -> Double {
        passOn(parent.0, allele, rate) + passOn(parent.1, allele, rate)
    }

    @inline(__always)
    static func passOn(_ own: UInt32, _ allele: UInt32, _ rate: Double) -> Double {
        if own == allele { return 0.5 * (1 - rate) }
        guard rate > 0 else { return 0 }
        let tenths = own > allele ? own - allele : allele - own
        // Whole repeats mutate stepwise, half up and half down; a change of part of a repeat
        // (9.3 to 10) is rarer still.
        let steps = Int((tenths + 9) / 10)
        var chance = 0.5 * rate * 0.5 * (1 - stepFactor)
        for _ in 1..<max(steps, 1) { chance *= stepFactor }
        return tenths % 10 == 0 ? chance : chance * stepFactor
    }
}
