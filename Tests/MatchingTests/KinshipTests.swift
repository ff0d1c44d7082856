import Foundation
import LedgerCore
import Testing

@testable import Matching

/// Hand-computed parentage indices at D3S1358 (p15 = 0.3493, p16 = 0.3288, p17 = 0.2124) and
/// TPOX (p8 = 0.5211) from Protocol/allele-frequencies.txt, each raised to θ + (1 - θ) p with
/// θ = 0.03 for population substructure.
@Suite struct KinshipTests {
    let table = AlleleFrequencies.chinese
    let motherMu = Kinship.maternalMutationRate
    let mu = Kinship.paternalMutationRate
    let p15 = 0.03 + 0.97 * 0.3493
    let p16 = 0.03 + 0.97 * 0.3288
    let p8 = 0.03 + 0.97 * 0.5211

    func index(
        _ child: DNAProfile.Genotype, mother: DNAProfile.Genotype? = nil, father: DNAProfile.Genotype? = nil,
        at locus: String = "D3S1358"
    ) throws -> (value: Double, consistent: Bool) {
        try #require(Kinship.locusIndex(child: child, mother: mother, father: father, locus: locus, frequencies: table))
    }

    @Test func aSharedRareAlleleIsWorthLessUnderSubstructure() throws {
        // vWA 20 (p = 0.0143) from a homozygous parent: 1 / (2 p) would be 35; with θ, 1/(2 p~).
        let result = try index(genotype(14, 20), father: genotype(20, 20), at: "vWA")
        #expect(isClose(result.value, (1 - mu) / (2 * (0.03 + 0.97 * 0.0143)), within: 1e-3))
        #expect(result.value < 12)
    }

    @Test func homozygousParentOfHeterozygousChildGivesOneOverTwoP() throws {
        let result = try index(genotype(15, 16), father: genotype(15, 15))
        // 1 / (2 p15); the mutation model moves it by the chance of not mutating, and adds the
        // negligible chance that a 15 mutated into the 16.
        #expect(isClose(result.value, (1 - mu) / (2 * p15), within: 1e-3))
        #expect(result.consistent)
    }

    @Test func parentSharingBothAllelesGivesPPlusQOverFourPQ() throws {
        let result = try index(genotype(15, 16), mother: genotype(15, 16))
        #expect(isClose(result.value, (1 - motherMu) * (p15 + p16) / (4 * p15 * p16), within: 1e-3))
    }

    @Test func homozygousChildAndHomozygousParentGiveOneOverP() throws {
        let result = try index(genotype(16, 16), father: genotype(16, 16))
        #expect(isClose(result.value, (1 - mu) / p16, within: 1e-3))
    }

    @Test func trioIndexUsesBothParents() throws {
        // The mother can pass only 15, the father 16 half the time: 0.5 / (2 p15 p16).
        let result = try index(genotype(15, 16), mother: genotype(15, 15), father: genotype(16, 17))
        #expect(isClose(result.value, 0.5 / (2 * p15 * p16), within: 5e-3))
    }

    @Test func inconsistentLocusIsScoredAsAMutationNotZero() throws {
        // TPOX: child 8/8, father 9/11. Only a mutation explains it: a one-step 9 -> 8 (half the
        // father's alleles, half of mutations go down, 90 % of them one step) or three steps
        // from 11. PI = t(8) / p8.
        let result = try index(genotype(8, 8), father: genotype(9, 11), at: "TPOX")
        let transmission = 0.5 * mu * 0.5 * 0.9 * (1 + 0.01)
        #expect(!result.consistent)
        #expect(isClose(result.value, transmission / p8, within: 1e-6))
        #expect(result.value > 0 && result.value < 0.01)
    }

    @Test func aMotherPassesOnAMutationMoreRarelyThanAFather() throws {
        // The same inconsistent TPOX, the parent tested being the mother: a quarter the father's rate.
        let fromFather = try index(genotype(8, 8), father: genotype(9, 11), at: "TPOX")
        let fromMother = try index(genotype(8, 8), mother: genotype(9, 11), at: "TPOX")
        #expect(isClose(fromMother.value, fromFather.value * motherMu / mu, within: 1e-9))
    }

    @Test func rareAllelesAreFlooredAtFiveOverTwoN() throws {
        // vWA lists no allele 25; its smallest frequency 0.0001 makes 2N = 10,000.
        #expect(table.frequency(of: 250, at: "vWA") == 0.0005)
        #expect(table.frequency(of: 140, at: "vWA") == 0.2494)
        #expect(table.frequency(of: 100, at: "D15S659") == 0.0185)
        #expect(isClose(try #require(table.frequency(of: 50, at: "D15S659")), 5 * 0.0019, within: 1e-9))
        #expect(table.frequency(of: 100, at: "D99S999") == nil)
    }

    @Test func lociMissingOnEitherSideAreNotScored() throws {
        let child = try profile(["D3S1358": [15, 16], "TPOX": [8, 11], "FGA": [22, 23]])
        let mother = try profile(["D3S1358": [15, 17], "TPOX": [8, 8]])
        let result = try #require(Kinship.compare(child: child, mother: mother, father: nil))
        #expect(result.lociCompared == 2)
        #expect(result.parents == .mother)
        let expected = log10(0.5 * (1 - motherMu) / (2 * p15)) + log10((1 - motherMu) / (2 * p8))
        #expect(abs(result.log10CombinedIndex - expected) < 1e-3)
    }

    @Test func threeInconsistentLociExcludeAndFewLociAskForMore() throws {
        let child = try profile(["D3S1358": [15, 16], "TPOX": [8, 8], "FGA": [22, 23], "vWA": [14, 17]])
        let stranger = try profile(["D3S1358": [17, 18], "TPOX": [11, 11], "FGA": [19, 20], "vWA": [14, 16]])
        let excluded = try #require(Kinship.compare(child: child, mother: nil, father: stranger))
        #expect(excluded.inconsistentLoci == ["D3S1358", "FGA", "TPOX"])
        #expect(excluded.decision == .excludesParentage)
        let parent = try profile(["D3S1358": [15, 18], "TPOX": [8, 11], "FGA": [19, 22], "vWA": [14, 16]])
        let few = try #require(Kinship.compare(child: child, mother: nil, father: parent))
        #expect(few.inconsistentLoci.isEmpty)
        #expect(few.decision == .typeMoreLoci)
    }

    @Test func theQuickExclusionAgreesWithTheFullComparison() throws {
        // Matcher asks `excludes` before computing any index; it must exclude exactly the pairs
        // whose full comparison has three or more inconsistent loci: one parent or two, a
        // homozygous child, loci one side lacks.
        let child = try profile(["D3S1358": [15, 16], "TPOX": [8, 8], "FGA": [22, 23], "vWA": [14, 17]])
        let parents: [[String: [Double]]] = [
            ["D3S1358": [17, 18], "TPOX": [11, 11], "FGA": [19, 20], "vWA": [14, 16]],
            ["D3S1358": [17, 18], "TPOX": [11, 11], "FGA": [19, 22], "vWA": [13, 16]],
            ["D3S1358": [17, 18], "TPOX": [11, 11], "vWA": [13, 16]],
            ["D3S1358": [15, 18], "TPOX": [8, 11], "FGA": [19, 22], "vWA": [14, 16]],
            ["D3S1358": [16, 18], "TPOX": [9, 11], "FGA": [23, 20], "vWA": [17, 16]],
        ]
        for mother in parents + [nil] {
            for father in parents + [nil] where mother != nil || father != nil {
                let m = try mother.map(profile)
                let f = try father.map(profile)
                let full = Kinship.compare(child: child, mother: m, father: f)
                let quick = Kinship.excludes(
                    child: GenotypeTable(child), mother: m.map(GenotypeTable.init), father: f.map(GenotypeTable.init))
                #expect(quick == (full?.decision == .excludesParentage))
            }
        }
        let stranger = try profile(parents[0])
        #expect(Kinship.excludes(child: GenotypeTable(child), mother: nil, father: GenotypeTable(stranger)))
    }

    @Test func trueTrioOverTwentyLociSupportsParentage() throws {
        // At each locus the mother has the 1st and 3rd commonest alleles, the father the 2nd and
        // 4th, and the child the mother's 1st and the father's 4th: a trio index of 1/(8 p q) a locus.
        var mother: [String: DNAProfile.Genotype] = [:]
        var father: [String: DNAProfile.Genotype] = [:]
        var child: [String: DNAProfile.Genotype] = [:]
        for locus in Self.twentyLoci {
            let alleles = try #require(table.loci[locus]).frequencies.sorted { $0.value > $1.value }.map(\.key)
            mother[locus] = DNAProfile.Genotype(alleles[0], alleles[2])
            father[locus] = DNAProfile.Genotype(alleles[1], alleles[3])
            child[locus] = DNAProfile.Genotype(alleles[0], alleles[3])
        }
        let result = try #require(
            Kinship.compare(
                child: DNAProfile(loci: child), mother: DNAProfile(loci: mother), father: DNAProfile(loci: father)))
        #expect(result.lociCompared == 20)
        #expect(result.inconsistentLoci.isEmpty)
        #expect(result.decision == .supportsParentage)
        #expect(result.parents == .motherAndFather)
    }

    static let twentyLoci = [
        "CSF1PO", "FGA", "TH01", "TPOX", "vWA", "D3S1358", "D5S818", "D7S820", "D8S1179", "D13S317", "D16S539",
        "D18S51", "D21S11", "D2S1338", "D19S433", "D12S391", "D6S1043", "Penta D", "Penta E", "D1S1656",
    ]

    @Test func embeddedTableIsTheProtocolFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Protocol/allele-frequencies.txt").standardized
        let file = try String(contentsOf: url, encoding: .utf8)
        #expect(file == AlleleFrequencies.tableText + "\n")
        #expect(table.lociNames.isSuperset(of: ["D6S1043", "Penta D", "Penta E", "D3S1358", "D22S1045"]))
    }
}
