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
        let scored = cases.map { (Double.random(in: -6...9, using: &generator), $0) }
        for split in [0, 1, 17, scored.count] {
            var whole = CandidateIndex.Scores()
            for (score, entry) in scored { whole.add(score, entry, limit: 5) }
            var first = CandidateIndex.Scores()
            var second = CandidateIndex.Scores()
            for (score, entry) in scored.prefix(split) { first.add(score, entry, limit: 5) }
            for (score, entry) in scored.dropFirst(split) { second.add(score, entry, limit: 5) }
            first.merge(second, limit: 5)
            #expect(first.best.map(\.entry.id) == whole.best.map(\.entry.id))
            #expect(isClose(first.log10Sum, whole.log10Sum, within: 1e-12))
            let sum = log10(scored.map { pow(10, $0.0) }.reduce(0, +))
            #expect(isClose(whole.log10Sum, sum, within: 1e-12))
        }
    }

    /// Records drawn from a few names, marks, birth months and alleles, so that many share
    /// postings; a third with DNA. Ids from `first` on.
    func varied(_ kind: EventKind, count: Int, from first: Int, seed: UInt64) throws -> [ChildDescription] {
        var generator = SeededGenerator(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &generator)] }
        func pick(_ numbers: ClosedRange<Int>) -> Int { Int.random(in: numbers, using: &generator) }
        let loci = ["D3S1358", "vWA", "FGA", "TH01", "TPOX", "D8S1179"]
        return try (first..<first + count).map { number in
            var members: [(String, JSONValue)] = [("sex", .string(pick(["male", "female"]))), ("place", "x")]
            if kind == .abductionReported {
                members += [
                    ("born", .string("\(pick(2006...2012))-\(pick(["01", "04", "07", "11"]))")),
                    ("missingSince", "2013"), ("reporterName", "x"),
                    ("childName", .string(pick(["李明", "王浩", "陈杰", "张伟", "刘洋", "黄磊"]))),
                ]
            } else {
                members += [
                    ("foundOn", "2015"), ("reportedBy", "y"), ("ageMonths", .number(Double(pick(30...100)))),
                    ("name", .string(pick(["Li Ming", "浩浩", "Chen Jie", "小伟"]))),
                ]
            }
            if let marks = pick(["左脸有痣", "右膝盖有疤", "两个旋", "背有胎记", "scar on left arm", nil]) {
                members.append(("marks", .string(marks)))
            }
            if number % 3 == 0 {
                var alleles: [String: [Double]] = [:]
                for locus in loci { alleles[locus] = [Double(pick(8...12)), Double(pick(12...16))] }
                let dna = try profile(alleles).json
                members.append(("dna", kind == .abductionReported ? .object([("mother", dna)]) : dna))
            }
            var id = [UInt8](repeating: 0, count: 32)
            id[0] = UInt8(number / 256)
            id[1] = UInt8(number % 256)
            return try #require(ChildDescription(record: try record(kind, members, id: EventID(bytes: id))))
        }
    }

    @Test func anIndexUpdatedInPlaceAnswersAsOneBuiltAnew() throws {
        let queries = try varied(.childFound, count: 25, from: 5_000, seed: 2)
        func answers(_ index: CandidateIndex, _ descriptions: [ChildDescription]) -> [String] {
            let rarity = Rarity(descriptions: descriptions + queries)
            return queries.flatMap { query in
                index.candidates(for: query, rarity: rarity, limit: 8).map {
                    "\(query.id.short) \($0.id.short) \($0.comparison.score) \($0.probability)"
                }
            }
        }
        var descriptions = try varied(.abductionReported, count: 300, from: 0, seed: 1)
        var index = CandidateIndex(side: .abductionCase, descriptions: descriptions)
        let first = (index: index, answers: answers(index, descriptions))
        // Rounds of changes as the server meets them, as MatchingData.updated orders the records:
        // those left, then those described anew. Retracted, corrected (the same ids described
        // otherwise), recorded; found children among them are not the index's. The third round
        // takes out more than a tenth, and the index is built anew.
        for (round, taken) in [(1, 12), (2, 20), (3, 40)] {
            let corrected = try varied(.abductionReported, count: taken / 2, from: round * 7, seed: UInt64(round) + 10)
            let retracted = descriptions.filter { entry in
                Int(entry.id.bytes[1]) % 29 == round && !corrected.contains { $0.id == entry.id }
            }.prefix(taken / 2).map(\.id)
            let recorded = try varied(.abductionReported, count: 15, from: 1_000 * round, seed: UInt64(round) + 20)
            let changed = Set(retracted + corrected.map(\.id))
            descriptions = descriptions.filter { !changed.contains($0.id) } + corrected + recorded
            index = index.updated(
                removing: changed,
                adding: corrected + recorded + (try varied(.childFound, count: 3, from: 9_000, seed: 3)))
            let anew = CandidateIndex(side: .abductionCase, descriptions: descriptions)
            #expect(index.count == descriptions.count)
            let updatedAnswers = answers(index, descriptions)
            #expect(updatedAnswers == answers(anew, descriptions), "round \(round)")
            #expect(!updatedAnswers.contains { line in retracted.contains { line.contains(" \($0.short) ") } })
        }
        // Updating gave a new index and left the first as it was.
        #expect(answers(first.index, try varied(.abductionReported, count: 300, from: 0, seed: 1)) == first.answers)
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
        // A record more, scoring 4, weighed beside the pair scoring 5: 5 / (0.5 + 5 + 0.5).
        #expect(isClose(CandidateIndex.probability(5 / 5.5, scoring: 5, besideOneScoring: 4), 5 / 6, within: 1e-9))
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
        #expect(CandidateIndex.dnaCandidates(of: found, in: index) == [1])
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

    /// A prepared file read where it lies (PreparedMatching.index(for:)) gives each query the
    /// candidates the index of every record gives: the same ids, scores, chances and reasons,
    /// whichever side asks, with DNA or without, with a birth date or none.
    @Test func aPreparedFileReadInPlaceAnswersAsTheIndexOfEveryRecord() throws {
        let cases = try varied(.abductionReported, count: 400, from: 0, seed: 5)
        let found = try varied(.childFound, count: 150, from: 5_000, seed: 6)
        // No age, and home as the child said it, in the place of the case below; a scar on the leg,
        // where the case says knee.
        let undated = try description(
            .childFound,
            [
                ("foundOn", "2015"), ("place", "y"), ("reportedBy", "y"), ("name", "Hao Wang"),
                ("marks", "左脸有痣，腿上有疤"), ("circumstances", "孩子说家在河南周口"),
            ],
            number: 250)
        // "Hao Wang" both sides: the name turned about, wang-hao, is counted as the sequence of
        // the cases named 王浩, and looked up when the two whole names meet.
        let westernOrder = try description(
            .abductionReported,
            [
                ("sex", "male"), ("born", "2010"), ("missingSince", "2013"), ("place", "河南周口"),
                ("reporterName", "x"), ("childName", "Hao Wang"), ("marks", "右膝盖有疤"),
            ], number: 251)
        // Enough scars on the leg that their rarity is not capped.
        let legs = try (0..<4).map { n in
            try description(
                .childFound,
                [
                    ("foundOn", "2015"), ("place", "y"), ("reportedBy", "y"), ("ageMonths", 60),
                    ("marks", "腿上有疤"),
                ],
                number: UInt8(240 + n))
        }
        // Born before 1970: months of birth below zero, keys with the top bit set, which the
        // undated child's query reads every one of (found by `scripts/fuzz`).
        let bornBefore1970 = try description(
            .abductionReported,
            [
                ("sex", "male"), ("born", "1969-05"), ("missingSince", "1972"), ("place", "x"),
                ("reporterName", "x"), ("childName", "李明"),
            ], number: 252)
        let descriptions = cases + [westernOrder, bornBefore1970] + found + [undated] + legs
        let rarity = Rarity(descriptions: descriptions)
        let indexes = (
            cases: CandidateIndex(side: .abductionCase, descriptions: descriptions),
            found: CandidateIndex(side: .foundChild, descriptions: descriptions)
        )
        let prepared = try PreparedMatching(
            bytes: PreparedMatching.bytes(rarity: rarity, cases: indexes.cases, found: indexes.found))
        #expect(try prepared.descriptions().map(\.encoded) == descriptions.map(\.encoded))
        func listed(_ candidates: [Candidate]) -> [String] {
            candidates.map {
                "\($0.id.short) \($0.comparison.score) \($0.probability) \($0.comparison.reasons.map(\.text))"
            }
        }
        var chosen: [Int] = []
        for query in found + [undated] + cases.prefix(60) + [westernOrder] {
            let whole = query.side == .abductionCase ? indexes.found : indexes.cases
            chosen.append(CandidateIndex.plausible(for: query, in: whole).count)
            let inPlace = try prepared.candidates(for: query, rarity: prepared.rarity(for: query), limit: 8)
            #expect(
                listed(inPlace) == listed(whole.candidates(for: query, rarity: rarity, limit: 8)), "\(query.id.short)")
        }
        // The postings chose fewer records than the side holds, for most queries.
        #expect(chosen.filter { $0 < 300 }.count > chosen.count / 2)
    }

    /// Records made or changed since a file was, held beside it (`adding`), the file's own
    /// versions of those it holds taken out: every query, theirs or another's, from either side,
    /// is answered as from a file made anew from the records as they stand, their counts counted
    /// and the taken-out ones' not; every record is read back in the order such a file holds
    /// them, and bringing the file up to date writes that file.
    @Test func recordsMadeOrChangedSinceAreAnsweredBesideTheFile() throws {
        let cases = try varied(.abductionReported, count: 300, from: 0, seed: 11)
        let found = try varied(.childFound, count: 100, from: 5_000, seed: 12)
        // On both sides; the found child shares a rare name and a mark with the new case, so the
        // new case must lead its list, counted as rare as it is among all records.
        let newCases =
            try varied(.abductionReported, count: 5, from: 2_000, seed: 13) + [
                description(
                    .abductionReported,
                    [
                        ("sex", "female"), ("born", "2009-05"), ("missingSince", "2013"), ("place", "x"),
                        ("reporterName", "x"), ("childName", "欧阳婷婷"), ("marks", "左耳后有胎记"),
                    ], number: 200)
            ]
        let newFound =
            try varied(.childFound, count: 4, from: 8_000, seed: 14) + [
                description(
                    .childFound,
                    [
                        ("sex", "female"), ("foundOn", "2015"), ("place", "y"), ("reportedBy", "y"),
                        ("ageMonths", 70), ("name", "婷婷"), ("marks", "左耳后有胎记"),
                    ], number: 201)
            ]
        // Records of the file described otherwise (the same ids; some with DNA), and retracted.
        let correctedCases = try varied(.abductionReported, count: 4, from: 10, seed: 15)
        let correctedFound = try varied(.childFound, count: 3, from: 5_010, seed: 16)
        let rounds: [(fresh: [ChildDescription], retracted: [EventID])] = [
            (Array(newFound.prefix(3)) + correctedCases, [cases[20].id]),
            // A record made since retracted, and one of the first round's corrected again.
            (
                Array(newFound.dropFirst(3)) + newCases + correctedFound
                    + (try varied(.abductionReported, count: 1, from: 11, seed: 17)),
                [found[20].id, newFound[0].id]
            ),
        ]
        func bytes(_ descriptions: [ChildDescription]) -> [UInt8] {
            PreparedMatching.bytes(
                rarity: Rarity(descriptions: descriptions),
                cases: CandidateIndex(side: .abductionCase, descriptions: descriptions),
                found: CandidateIndex(side: .foundChild, descriptions: descriptions))
        }
        var beside = try PreparedMatching(bytes: bytes(cases + found))
        // As a file made anew orders them: on each side, the file's records that stand, then
        // those since.
        var standing = cases + found
        var since: [ChildDescription] = []
        for round in rounds {
            let changed = Set(round.fresh.map(\.id) + round.retracted)
            beside = try beside.adding(round.fresh, removing: changed)
            standing.removeAll { changed.contains($0.id) }
            since = since.filter { !changed.contains($0.id) } + round.fresh
        }
        let all = [ChildDescription.Side.abductionCase, .foundChild].flatMap { side in
            (standing + since).filter { $0.side == side }
        }
        #expect(all.count == 300 + 100 + 6 + 4 - 2)
        let anew = try PreparedMatching(bytes: bytes(all))
        #expect(try beside.descriptions().map(\.encoded) == all.map(\.encoded))
        #expect(try beside.updated(removing: [], adding: []) == bytes(all))
        // The counts a query with DNA chooses its loci by are the file made anew's.
        for side in [ChildDescription.Side.abductionCase, .foundChild] {
            let (mine, theirs) = (beside.standing(side), anew.standing(side))
            #expect(mine.standing == theirs.standing)
            let alleleKeys = 0..<GenotypeTable.slotCount * CandidateIndex.alleleValues
            #expect(alleleKeys.filter { mine.count(having: $0) != theirs.count(having: $0) }.isEmpty)
        }
        func listed(_ candidates: [Candidate]) -> [String] {
            candidates.map {
                "\($0.id.short) \($0.comparison.score) \($0.probability) \($0.comparison.reasons.map(\.text))"
            }
        }
        for query in since + found.prefix(30) + cases.prefix(30) {
            let answer = try beside.candidates(for: query, rarity: beside.rarity(for: query), limit: 8)
            #expect(
                listed(answer) == listed(try anew.candidates(for: query, rarity: anew.rarity(for: query), limit: 8)),
                "\(query.id.short)")
            if query.id == newFound.last!.id { #expect(answer.first?.id == newCases.last!.id) }
            #expect(!answer.contains { [cases[20].id, found[20].id, newFound[0].id].contains($0.id) })
        }
    }

    /// A prepared file whose offsets or counts point outside it is refused whole, not read, its
    /// sums not asked (a file written wrong, by a bug, would have them right).
    @Test func aPreparedFileWithAPlaceOutsideItIsRefused() throws {
        let descriptions = try varied(.abductionReported, count: 20, from: 0, seed: 5)
        let bytes = PreparedMatching.bytes(
            rarity: Rarity(descriptions: descriptions),
            cases: CandidateIndex(side: .abductionCase, descriptions: descriptions),
            found: CandidateIndex(side: .foundChild, descriptions: descriptions))
        _ = try PreparedMatching(bytes: bytes)
        // The first record's offset (after the count of records) far past the end; the count of
        // records below zero; a file cut in half.
        for damaged in [
            bytes.prefix(8) + [0xFF, 0, 0, 0, 0, 0, 0, 0x7F] + bytes.dropFirst(16),
            [UInt8](repeating: 0xFF, count: 8) + bytes.dropFirst(8), Array(bytes.prefix(bytes.count / 2)),
        ] {
            #expect(throws: LedgerError.self) { try PreparedMatching(bytes: Array(damaged), verifying: false) }
        }
    }

    /// A byte of a prepared file changed anywhere, as a disk can change one: the file is refused
    /// when opened (its structure), or a query or a reading of every record that reads the part
    /// changed throws (a record, a list); no answer is ever given from it otherwise than from the
    /// file as written. Queries that do not read the part answer as before.
    @Test func aChangedByteIsFoundWhereverItIsRead() throws {
        let cases = try varied(.abductionReported, count: 120, from: 0, seed: 5)
        let found = try varied(.childFound, count: 40, from: 5_000, seed: 6)
        let descriptions = cases + found
        let bytes = PreparedMatching.bytes(
            rarity: Rarity(descriptions: descriptions),
            cases: CandidateIndex(side: .abductionCase, descriptions: descriptions),
            found: CandidateIndex(side: .foundChild, descriptions: descriptions))
        let queries = Array(found.prefix(6)) + Array(cases.prefix(3))
        func answers(_ prepared: PreparedMatching) -> [String?] {
            queries.map { query in
                (try? prepared.candidates(for: query, rarity: prepared.rarity(for: query), limit: 8)).map {
                    $0.map { "\($0.id.short) \($0.comparison.score) \($0.probability)" }.joined(separator: ", ")
                }
            }
        }
        let written = answers(try PreparedMatching(bytes: bytes))
        #expect(written.allSatisfy { $0 != nil })
        // Two records held beside as if corrected: their places, and they, are read too.
        let (corrected, correctedIDs) = ([cases[3], found[2]], Set([cases[3].id, found[2].id]))
        let writtenBeside = answers(try PreparedMatching(bytes: bytes).adding(corrected, removing: correctedIDs))
        #expect(writtenBeside.allSatisfy { $0 != nil })
        var (atOpening, byAQuery, byReadingAll, byHoldingBeside) = (0, 0, 0, 0)
        var generator = SeededGenerator(seed: 2026)
        for _ in 0..<400 {
            var changed = bytes
            let position = Int.random(in: 0..<changed.count, using: &generator)
            changed[position] ^= UInt8.random(in: 1...255, using: &generator)
            guard let prepared = try? PreparedMatching(bytes: changed) else {
                atOpening += 1
                continue
            }
            let after = answers(prepared)
            #expect(zip(after, written).allSatisfy { $0 == nil || $0 == $1 }, "byte \(position)")
            if after.contains(nil) { byAQuery += 1 }
            if (try? prepared.descriptions()) == nil { byReadingAll += 1 }
            if let beside = try? prepared.adding(corrected, removing: correctedIDs) {
                #expect(zip(answers(beside), writtenBeside).allSatisfy { $0 == nil || $0 == $1 }, "byte \(position)")
            } else {
                byHoldingBeside += 1
            }
        }
        // Records are most of the file: most changes are found only when a record is read.
        #expect(atOpening > 0 && byAQuery > 0 && byReadingAll > atOpening && byHoldingBeside > 0)
    }

    /// A prepared file brought up to date (`updated(removing:adding:)`) is, byte for byte, the
    /// file made anew from the records as they then stand: corrected, retracted and new, on
    /// both sides, a case born before 1970 among them.
    @Test func aPreparedFileBroughtUpToDateIsTheFileMadeAnew() throws {
        func prepared(_ descriptions: [ChildDescription]) -> [UInt8] {
            PreparedMatching.bytes(
                rarity: Rarity(descriptions: descriptions),
                cases: CandidateIndex(side: .abductionCase, descriptions: descriptions),
                found: CandidateIndex(side: .foundChild, descriptions: descriptions))
        }
        let old = try description(
            .abductionReported,
            [("sex", "male"), ("born", "1969-05"), ("missingSince", "1972"), ("place", "x"), ("reporterName", "x")],
            number: 252)
        var descriptions =
            try varied(.abductionReported, count: 300, from: 0, seed: 7) + [old]
            + varied(.childFound, count: 100, from: 5_000, seed: 8)
        var file = prepared(descriptions)
        for round in 1...3 {
            // Corrected (the same ids described otherwise), retracted, and recorded, on both sides.
            let corrected =
                try varied(.abductionReported, count: 5, from: round * 11, seed: UInt64(round) + 30)
                + varied(.childFound, count: 3, from: 5_000 + round * 7, seed: UInt64(round) + 40)
            let retracted = descriptions.filter { Int($0.id.bytes[1]) % 37 == round }.map(\.id)
            let recorded =
                try varied(.childFound, count: 4, from: 8_000 + 10 * round, seed: UInt64(round) + 50)
                + varied(.abductionReported, count: 6, from: 2_000 + 10 * round, seed: UInt64(round) + 60)
            let changed = Set(retracted + corrected.map(\.id) + recorded.map(\.id))
            let fresh = (corrected + recorded).filter { !retracted.contains($0.id) }
            descriptions = descriptions.filter { !changed.contains($0.id) } + fresh
            file = try PreparedMatching(bytes: file).updated(removing: changed, adding: fresh)
            #expect(file == prepared(descriptions), "round \(round)")
        }
        #expect(descriptions.contains { $0.id == old.id })

        // A file that says it holds fewer records than are taken out of it (a damaged one, or one
        // a bug wrote) is refused, not brought up to date with counts below zero.
        let five = Array(descriptions.prefix(5))
        let understated = PreparedMatching.bytes(
            rarity: Rarity(descriptions: Array(five.prefix(2))),
            cases: CandidateIndex(side: .abductionCase, descriptions: five),
            found: CandidateIndex(side: .foundChild, descriptions: five))
        #expect(throws: LedgerError.self) {
            try PreparedMatching(bytes: understated).updated(removing: Set(five.map(\.id)), adding: [])
        }
        #expect(
            try PreparedMatching(bytes: understated).updated(removing: Set(five.prefix(2).map(\.id)), adding: []).count
                > 0)
    }
}
