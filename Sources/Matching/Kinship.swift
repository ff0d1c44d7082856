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
        if inconsistentLoci.count >= 3 { return .excludesParentage }
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
/// frequencies are corrected for population substructure (θ = 0.01).
public enum Kinship {
    /// Per-generation STR mutation rate; the average of the CODIS loci is about 0.1 to 0.3 %.
    public static let mutationRate = 0.002
    /// How much likelier a one-step mutation is than each further step.
    static let stepFactor = 0.1
    /// Population substructure (F_ST). Relatives share alleles more than a table of the whole
    /// population says, so a shared rare allele is less telling than 1/p suggests; NRC II
    /// (recommendation 4.10) advises θ of 0.01 for large populations.
    public static let theta = 0.01

    /// The allele frequency a comparison uses: θ + (1 - θ) p, a conservative approximation of
    /// the Balding-Nichols correction that matters only for rare alleles.
    static func structured(_ p: Double) -> Double { theta + (1 - theta) * p }

    public static func compare(
        child: DNAProfile, mother: DNAProfile?, father: DNAProfile?,
        frequencies: AlleleFrequencies = .chinese, stopWhenExcluded: Bool = false
    ) -> KinshipResult? {
        let parents: KinshipResult.Parents
        switch (mother, father) {
        case (.some, .some): parents = .motherAndFather
        case (.some, nil): parents = .mother
        case (nil, .some): parents = .father
        case (nil, nil): return nil
        }
        var log10Index = 0.0
        var compared = 0
        var inconsistent: [String] = []
        // The profiles keep their loci sorted by name, so one pass walks all three together.
        var m = 0
        var f = 0
        let motherLoci = mother?.sortedLoci ?? []
        let fatherLoci = father?.sortedLoci ?? []
        func genotype(_ loci: [DNAProfile.Locus], _ position: inout Int, _ name: String) -> DNAProfile.Genotype? {
            while position < loci.count, loci[position].name.utf8.lexicographicallyPrecedes(name.utf8) { position += 1 }
            return position < loci.count && loci[position].name == name ? loci[position].genotype : nil
        }
        for locus in child.sortedLoci {
            let fromMother = mother == nil ? nil : genotype(motherLoci, &m, locus.name)
            let fromFather = father == nil ? nil : genotype(fatherLoci, &f, locus.name)
            // Every parent given must have the locus typed; a trio locus typed in one parent only
            // is skipped rather than scored as a duo, so the kind of index stays one.
            if (mother != nil && fromMother == nil) || (father != nil && fromFather == nil) { continue }
            guard
                let index = locusIndex(
                    child: locus.genotype, mother: fromMother, father: fromFather, locus: locus.name,
                    frequencies: frequencies)
            else { continue }
            compared += 1
            log10Index += log10(index.value)
            if !index.consistent {
                inconsistent.append(locus.name)
                // Excluded already; the rest cannot change the decision.
                if stopWhenExcluded && inconsistent.count == 3 { break }
            }
        }
        guard compared > 0 else { return nil }
        return KinshipResult(
            parents: parents, log10CombinedIndex: log10Index, lociCompared: compared, inconsistentLoci: inconsistent)
    }

    /// The index at one locus, and whether it is consistent with parentage without a mutation.
    static func locusIndex(
        child: DNAProfile.Genotype, mother: DNAProfile.Genotype?, father: DNAProfile.Genotype?, locus: String,
        frequencies: AlleleFrequencies
    ) -> (value: Double, consistent: Bool)? {
        guard let rawP = frequencies.frequency(of: child.first, at: locus),
            let rawQ = frequencies.frequency(of: child.second, at: locus)
        else { return nil }
        let (p, q) = (structured(rawP), structured(rawQ))
        let parents = [mother, father].compactMap { $0 }
        func likelihood(mutation: Bool) -> Double {
            let passes = parents.map { parent in
                (
                    first: transmission(parent, child.first, mutation: mutation),
                    second: transmission(parent, child.second, mutation: mutation)
                )
            }
            if child.first == child.second {
                let random = p * p
                return parents.count == 2 ? passes[0].first * passes[1].first / random : passes[0].first / p
            }
            let random = 2 * p * q
            if parents.count == 2 {
                return (passes[0].first * passes[1].second + passes[0].second * passes[1].first) / random
            }
            return (passes[0].first * q + passes[0].second * p) / random
        }
        return (likelihood(mutation: true), likelihood(mutation: false) > 0)
    }

    /// The chance a parent passes on `allele`: half for each of the parent's alleles that equals
    /// it (less the mutation rate), plus, with `mutation`, the chance one mutates into it.
    static func transmission(_ parent: DNAProfile.Genotype, _ allele: UInt32, mutation: Bool) -> Double {
        [parent.first, parent.second].reduce(0.0) { total, own in
            if own == allele { return total + 0.5 * (mutation ? 1 - mutationRate : 1) }
            guard mutation else { return total }
            let tenths = own > allele ? own - allele : allele - own
            // Whole repeats mutate stepwise, half up and half down; a change of part of a
            // repeat (9.3 to 10) is rarer still.
            let steps = Double((tenths + 9) / 10)
            let partial = tenths % 10 == 0 ? 1 : stepFactor
            return total + 0.5 * mutationRate * 0.5 * (1 - stepFactor) * pow(stepFactor, steps - 1) * partial
        }
    }
}
