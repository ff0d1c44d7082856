import Foundation
import LedgerCore
import Testing

@testable import Matching

@Suite struct CandidateIndexTests {
    /// Fifty boys born 2008 to 2012 and missing in 2013; one of them, 王浩, has a scar on the
    /// right knee and his parents gave DNA.
    func population() throws -> (cases: [ChildDescription], truth: ChildDescription) {
        var cases: [ChildDescription] = []
        for n in 0..<50 {
            cases.append(
                try description(
                    .abductionReported,
                    [
                        ("sex", "male"), ("born", .string("\(2008 + n % 5)-0\(1 + n % 9)")), ("missingSince", "2013"),
                        ("place", "x"), ("reporterName", "x"), ("childName", n % 2 == 0 ? "李强" : "陈杰"),
                    ],
                    number: UInt8(n + 1)))
        }
        let truth = try description(
            .abductionReported,
            [
                ("sex", "male"), ("born", "2010-06"), ("missingSince", "2013-02-01"), ("place", "x"),
                ("reporterName", "x"), ("childName", "王浩"), ("marks", "右膝盖有疤"),
            ],
            number: 100)
        return (cases + [truth], truth)
    }

    @Test func proposesTheRightCaseFirstAndNeverARejectedOne() throws {
        let (cases, truth) = try population()
        let found = try description(
            .childFound,
            [
                ("foundOn", "2016-05"), ("place", "y"), ("sex", "male"), ("reportedBy", "y"), ("name", "Wang Hao"),
                ("ageMonths", 71), ("marks", "scar on right knee"),
            ],
            number: 200)
        let rarity = Rarity(descriptions: cases + [found])
        let index = CandidateIndex(side: .abductionCase, descriptions: cases)
        let candidates = index.candidates(for: found, rarity: rarity, limit: 5)
        #expect(candidates.count == 5)
        #expect(candidates.first?.id == truth.id)
        #expect(zip(candidates, candidates.dropFirst()).allSatisfy { $0.comparison.score >= $1.comparison.score })
        // A long limit lists every possible case, still best first, the same five at the top.
        let all = index.candidates(for: found, rarity: rarity, limit: 1_000)
        #expect(all.count == cases.count)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.comparison.score >= $1.comparison.score })
        #expect(all.prefix(5).map(\.id) == candidates.map(\.id))
        let afterRejection = index.candidates(for: found, rarity: rarity, limit: 5, excluded: [truth.id])
        #expect(!afterRejection.contains { $0.id == truth.id })
        // Every pair scored shares one sum: the chances of all fifty-one cases add up to at most 1.
        #expect(all.map(\.probability).reduce(0, +) <= 1 + 1e-9)
        #expect(candidates[0].probability > 0.5 && candidates[0].probability > 10 * candidates[1].probability)
    }

    @Test func scoresKeptInTwoHalvesMergeToTheScoresKeptInOne() throws {
        // A long list is scored in two halves at once: merged, the halves must give the same
        // best entries and the same sum as scoring it in one go.
        let (cases, _) = try population()
        var generator = SeededGenerator(seed: 4)
        let scored = cases.indices.map { (Double.random(in: -6...9, using: &generator), Int32($0)) }
        for split in [0, 1, 17, scored.count] {
            var whole = CandidateIndex.Scores()
            for (score, index) in scored { whole.add(score, index, limit: 5, entries: cases) }
            var first = CandidateIndex.Scores()
            var second = CandidateIndex.Scores()
            for (score, index) in scored.prefix(split) { first.add(score, index, limit: 5, entries: cases) }
            for (score, index) in scored.dropFirst(split) { second.add(score, index, limit: 5, entries: cases) }
            first.merge(second, limit: 5, entries: cases)
            #expect(first.best.map(\.index) == whole.best.map(\.index))
            #expect(isClose(first.log10Sum, whole.log10Sum, within: 1e-12))
            let sum = log10(scored.map { pow(10, $0.0) }.reduce(0, +))
            #expect(isClose(whole.log10Sum, sum, within: 1e-12))
        }
    }

    @Test func theChanceWeighsAScoreAgainstEveryRecordOfTheOtherSide() {
        // Half of all found children have a case here: a prior of 0.5 / N for each case.
        // One pair scoring 5 among 10,000 cases: 10^5 x 0.00005 / (0.5 + 10^5 x 0.00005) = 5 / 5.5.
        #expect(isClose(CandidateIndex.probability(score: 5, log10Sum: 5, records: 10_000), 5 / 5.5, within: 1e-9))
        // Two pairs scoring 5: 5 / (0.5 + 10).
        #expect(
            isClose(CandidateIndex.probability(score: 5, log10Sum: log10(2e5), records: 10_000), 5 / 10.5, within: 1e-9)
        )
        // The same score among 100,000 cases is a weaker lead: 0.5 / 1.
        #expect(isClose(CandidateIndex.probability(score: 5, log10Sum: 5, records: 100_000), 0.5, within: 1e-9))
        // A node of 1,000 cases weighs a child against 10,000 all the same.
        #expect(
            CandidateIndex.probability(score: 5, log10Sum: 5, records: 1_000)
                == CandidateIndex.probability(score: 5, log10Sum: 5, records: 10_000))
    }

    @Test func findsAChildWhoseAgeWasBadlyEstimatedByNameAndMark() throws {
        let (cases, truth) = try population()
        // Estimated born 2004: far outside the case's 2010, but the name and the mark remain.
        let found = try description(
            .childFound,
            [
                ("foundOn", "2016-05"), ("place", "y"), ("sex", "male"), ("reportedBy", "y"), ("name", "浩浩"),
                ("ageMonths", 145), ("ageUncertaintyMonths", 12), ("marks", "scar right knee"),
            ],
            number: 201)
        let index = CandidateIndex(side: .abductionCase, descriptions: cases)
        let candidates = index.candidates(for: found, rarity: Rarity(descriptions: cases + [found]), limit: 3)
        #expect(candidates.first?.id == truth.id)
    }

    @Test func aDNACandidatePassesFourOfTheFiveLociNotFourAlleles() throws {
        let child = ["D3S1358": [15.0, 16], "vWA": [14, 17], "FGA": [22, 23], "TH01": [7, 9], "TPOX": [8, 11]]
        func mother(_ number: UInt8, _ loci: [String: [Double]]) throws -> ChildDescription {
            try description(
                .abductionReported,
                [
                    ("sex", "male"), ("born", "2010"), ("missingSince", "2011"), ("place", "x"),
                    ("reporterName", "x"), ("dna", .object([("mother", try profile(loci).json)])),
                ],
                number: number)
        }
        // Both of the child's alleles at two loci, one at a third, none at two: three loci.
        let threeLoci = try mother(
            1, ["D3S1358": [15, 16], "vWA": [14, 17], "FGA": [22, 24], "TH01": [6, 8], "TPOX": [9, 12]])
        // One allele at each of four loci: a mother with one mutation.
        let fourLoci = try mother(
            2, ["D3S1358": [15, 18], "vWA": [17, 19], "FGA": [21, 23], "TH01": [9, 9.3], "TPOX": [9, 12]])
        let found = try description(
            .childFound,
            [
                ("foundOn", "2012"), ("place", "y"), ("sex", "male"), ("reportedBy", "y"),
                ("dna", try profile(child).json),
            ],
            number: 3)
        let index = CandidateIndex(side: .abductionCase, descriptions: [threeLoci, fourLoci])
        #expect(index.dnaCandidates(of: found) == [1])
    }

    @Test func worksFromTheCaseSideToo() throws {
        let (cases, truth) = try population()
        var found: [ChildDescription] = []
        for n in 0..<30 {
            found.append(
                try description(
                    .childFound,
                    [
                        ("foundOn", "2015"), ("place", "y"), ("sex", n % 3 == 0 ? "female" : "male"),
                        ("reportedBy", "y"),
                        ("ageMonths", .number(Double(40 + n))),
                    ],
                    number: UInt8(n + 1)))
        }
        let child = try description(
            .childFound,
            [
                ("foundOn", "2014-03-01"), ("place", "y"), ("sex", "male"), ("reportedBy", "y"), ("name", "hao"),
                ("ageMonths", 45), ("marks", "knee scar, right"),
            ],
            number: 99)
        let index = CandidateIndex(side: .foundChild, descriptions: found + [child])
        let candidates = index.candidates(for: truth, rarity: Rarity(descriptions: cases + found + [child]), limit: 10)
        #expect(candidates.first?.id == child.id)
        let femaleIDs = Set(found.filter { $0.sex == .female }.map(\.id))
        #expect(candidates.allSatisfy { !femaleIDs.contains($0.id) })
    }
}
