import Foundation
import LedgerCore
import Matching

/// scripts/eval-matching: generates a synthetic register with known truth, asks the matcher for
/// each found child's candidates, and prints recall and false leads. With --bench it also
/// times queries (use a release build).
struct Arguments {
    var options = Population.Options()
    var bench = false
    var json = false
    var export: String?
    var limit = 5
    /// Prints this many missed pairs (without DNA) with their evidence, to see why.
    var showMisses = 0
    /// Prints, for each kind of evidence, the ratio each stated weight has in the population.
    var evidence = false

    init(_ argv: [String]) {
        var rest = argv.dropFirst()
        while let flag = rest.popFirst() {
            func value() -> String {
                guard let next = rest.popFirst() else { fail("\(flag) needs a value") }
                return next
            }
            func number() -> Int {
                guard let n = Int(value()), n >= 0 else { fail("\(flag) needs a whole number") }
                return n
            }
            switch flag {
            case "--cases": options.cases = number()
            case "--found": options.foundWithCase = number()
            case "--decoys": options.decoys = number()
            case "--seed": options.seed = UInt64(number())
            case "--bench": bench = true
            case "--json": json = true
            case "--export": export = value()
            case "--show-misses": showMisses = number()
            case "--evidence": evidence = true
            case "--help", "-h":
                print(
                    "usage: eval-matching [--cases N] [--found N] [--decoys N] [--seed N] [--bench] [--json] [--export DIR] [--show-misses N] [--evidence]"
                )
                exit(0)
            default: fail("unknown option \(flag)")
            }
        }
        guard options.foundWithCase <= options.cases else { fail("--found cannot exceed --cases") }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(2)
}

let arguments = Arguments(CommandLine.arguments)
let clock = ContinuousClock()
let generationStart = clock.now
let population = Population(arguments.options)
let generated = clock.now - generationStart

if let directory = arguments.export {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for (name, records) in [("cases.jsonl", population.cases), ("found.jsonl", population.found)] {
        let lines = records.map { record in
            JSONValue.object([("kind", .string(record.kind.name))] + record.fields.jsonMembers).jsonText
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }
    // Which found child (line number in found.jsonl, 1-based) is which case's (line in cases.jsonl).
    let caseLine = Dictionary(uniqueKeysWithValues: population.cases.enumerated().map { ($1.id, $0 + 1) })
    let truth = population.found.enumerated().map { index, record -> JSONValue in
        .array([
            .number(Double(index + 1)), population.truth[record.id].map { .number(Double(caseLine[$0]!)) } ?? .null,
        ])
    }
    try JSONValue.array(truth).jsonText.write(toFile: directory + "/truth.json", atomically: true, encoding: .utf8)
}

let descriptions = ChildDescription.describe(population.cases + population.found)
let rarity = Rarity(descriptions: descriptions)
let indexStart = clock.now
let index = CandidateIndex(side: .abductionCase, descriptions: descriptions)
let indexed = clock.now - indexStart
let foundDescriptions = descriptions.filter { $0.side == .foundChild }
let caseByID = Dictionary(uniqueKeysWithValues: descriptions.filter { $0.side == .abductionCase }.map { ($0.id, $0) })

struct Tally {
    var pairs = 0
    var first = 0
    var topFive = 0

    func percent(_ n: Int) -> Double { pairs == 0 ? 0 : 100 * Double(n) / Double(pairs) }
}

var withDNA = Tally()
var withoutDNA = Tally()
var withoutDNAShared = Tally()
var withoutDNANothingShared = Tally()
/// Found children who give no name and have no marks described: the misses the issue expects
/// to remain; and the others.
var withoutDNASilent = Tally()
var withoutDNAGivingSomething = Tally()
var decoys = 0
var decoysLedByDNA = 0
/// Decoys whose best candidate scores 2 or more and 4 or more, whatever the evidence: how
/// high the best of many unrelated cases scores by chance.
var decoysWithCandidateAbove2 = 0
var decoysWithCandidateAbove4 = 0
/// The best candidate's probability against whether it is the child, every found child.
var calibration: [(probability: Double, right: Bool)] = []
var latencies: [Double] = []
var shownMisses = 0
let queriesStart = clock.now
for found in foundDescriptions {
    let start = clock.now
    let candidates = index.candidates(for: found, rarity: rarity, limit: arguments.limit)
    latencies.append(milliseconds(clock.now - start))
    if let best = candidates.first {
        calibration.append((best.probability, population.truth[found.id] == best.id))
    }
    if let caseID = population.truth[found.id] {
        let dna = found.childDNA != nil && (caseByID[caseID]?.hasDNA ?? false)
        let rank = candidates.firstIndex { $0.id == caseID }
        func count(_ tally: inout Tally) {
            tally.pairs += 1
            if rank == 0 { tally.first += 1 }
            if rank != nil { tally.topFive += 1 }
        }
        if dna { count(&withDNA) } else { count(&withoutDNA) }
        if dna, rank != 0, arguments.showMisses > 0, let truth = caseByID[caseID] {
            for (label, comparison) in [
                ("DNA MISS true pair", Matcher.compare(abductionCase: truth, found: found, rarity: rarity)),
                ("  top", candidates.first?.comparison),
            ] {
                print(
                    "\(label): \(comparison.map { String(format: "%.2f", $0.score) } ?? "excluded") \(comparison?.reasons.map(\.text) ?? [])"
                )
            }
        }
        if !dna, let truth = caseByID[caseID] {
            // Whether the records share any name sound or mark: the evidence a careful matcher
            // needs when there is no DNA.
            let shared =
                !truth.nameSounds.words.keys.isDisjoint(with: found.nameSounds.words.keys)
                || truth.marks.contains { mark in found.marks.contains { $0.kind == mark.kind } }
            if shared { count(&withoutDNAShared) } else { count(&withoutDNANothingShared) }
            if found.names.isEmpty && found.marks.isEmpty && found.otherFeatures.isEmpty {
                count(&withoutDNASilent)
            } else {
                count(&withoutDNAGivingSomething)
            }
            if rank != 0, shared, shownMisses < arguments.showMisses {
                shownMisses += 1
                let record = population.found.first { $0.id == found.id }!
                let caseRecord = population.cases.first { $0.id == caseID }!
                print("MISS rank \(rank.map(String.init) ?? "-")")
                print("  found: \(JSONValue.object(record.fields.jsonMembers).jsonText)")
                print("  case:  \(JSONValue.object(caseRecord.fields.jsonMembers).jsonText)")
                for (label, comparison) in [
                    ("true pair", Matcher.compare(abductionCase: truth, found: found, rarity: rarity)),
                    ("top", candidates.first?.comparison),
                ] {
                    let reasons =
                        comparison?.reasons.map { "\($0.text) [\(String(format: "%.2f", $0.log10Ratio))]" } ?? []
                    print("  \(label): \(comparison.map { String(format: "%.2f", $0.score) } ?? "excluded") \(reasons)")
                }
            }
        }
    } else {
        decoys += 1
        if let best = candidates.first?.comparison.score {
            if best >= 2 { decoysWithCandidateAbove2 += 1 }
            if best >= 4 { decoysWithCandidateAbove4 += 1 }
        }
        if let top = candidates.first?.comparison.kinship, top.log10CombinedIndex >= 4 {
            decoysLedByDNA += 1
            if arguments.showMisses > 0 {
                print("DECOY led by DNA: \(candidates[0].comparison.reasons.map(\.text))")
            }
        }
    }
}
let queried = clock.now - queriesStart

if arguments.evidence { printEvidenceCalibration() }

/// Each kind of evidence's stated weight against what it is worth in this population: for the
/// true pairs without DNA and for 40 random cases per found child, how often each weight
/// (rounded to half a log10 unit) comes up, and log10 of the ratio of those shares. Where the
/// two columns differ, the matcher's assumption and the population disagree.
func printEvidenceCalibration() {
    let kinds = ["names", "marks", "born", "found", "sex", "blood"]
    let cases = caseByID.values.sorted { $0.id < $1.id }
    var rng = SeededGenerator(seed: arguments.options.seed)
    /// By kind and rounded weight (nil: no such evidence), how many true and random pairs.
    var counts: [String: [Double?: (truePairs: Int, randomPairs: Int)]] = [:]
    var pairs = (truePairs: 0, randomPairs: 0)
    func count(_ comparison: Comparison, isTrue: Bool) {
        var weights: [String: Double] = [:]
        for reason in comparison.reasons {
            if let kind = kinds.first(where: reason.text.hasPrefix) { weights[kind, default: 0] += reason.log10Ratio }
        }
        for kind in kinds {
            let bin = weights[kind].map { ($0 * 2).rounded() / 2 }
            if isTrue {
                counts[kind, default: [:]][bin, default: (0, 0)].truePairs += 1
            } else {
                counts[kind, default: [:]][bin, default: (0, 0)].randomPairs += 1
            }
        }
        if isTrue { pairs.truePairs += 1 } else { pairs.randomPairs += 1 }
    }
    for found in foundDescriptions {
        guard let caseID = population.truth[found.id], let truth = caseByID[caseID],
            found.childDNA == nil || !truth.hasDNA
        else { continue }
        if let comparison = Matcher.compare(abductionCase: truth, found: found, rarity: rarity) {
            count(comparison, isTrue: true)
        }
        for _ in 0..<40 {
            let other = cases[Int.random(in: 0..<cases.count, using: &rng)]
            if other.id != caseID, let comparison = Matcher.compare(abductionCase: other, found: found, rarity: rarity)
            {
                count(comparison, isTrue: false)
            }
        }
    }
    print("evidence: stated log10 ratio, true pairs, random pairs, log10 of their shares' ratio")
    for kind in kinds {
        print(kind)
        for (bin, n) in (counts[kind] ?? [:]).sorted(by: { ($0.key ?? -99) < ($1.key ?? -99) }) {
            let ratio = log10(
                (Double(n.truePairs) / Double(pairs.truePairs)) / (Double(n.randomPairs) / Double(pairs.randomPairs)))
            print(
                "  " + (bin.map { String(format: "%5.1f", $0) } ?? " none")
                    + String(format: "  %6d  %7d  %6.2f", n.truePairs, n.randomPairs, ratio))
        }
    }
}

// The other way round: each case whose child was found, asking for found children (the true
// ones and the decoys alike).
let foundIndex = CandidateIndex(side: .foundChild, descriptions: descriptions)
var fromCases = Tally()
for (foundID, caseID) in population.truth.sorted(by: { $0.key < $1.key }) {
    guard let query = caseByID[caseID] else { continue }
    let rank = foundIndex.candidates(for: query, rarity: rarity, limit: arguments.limit).firstIndex { $0.id == foundID }
    fromCases.pairs += 1
    if rank == 0 { fromCases.first += 1 }
    if rank != nil { fromCases.topFive += 1 }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

/// Recall without DNA were every pair sharing a name sound or a mark found first, and those
/// sharing neither found as they are: how far better names and marks alone could take it.
let ceiling = (
    first: withoutDNA.percent(withoutDNAShared.pairs + withoutDNANothingShared.first),
    topFive: withoutDNA.percent(withoutDNAShared.pairs + withoutDNANothingShared.topFive)
)

var result: [(String, JSONValue)] = [
    ("cases", .number(Double(population.cases.count))), ("foundWithCase", .number(Double(population.truth.count))),
    ("decoys", .number(Double(decoys))), ("seed", .number(Double(arguments.options.seed))),
    ("pairsWithDNA", .number(Double(withDNA.pairs))),
    ("recallAt1WithDNA", .number(withDNA.percent(withDNA.first))),
    ("recallAt5WithDNA", .number(withDNA.percent(withDNA.topFive))),
    ("pairsWithoutDNA", .number(Double(withoutDNA.pairs))),
    ("recallAt1WithoutDNA", .number(withoutDNA.percent(withoutDNA.first))),
    ("recallAt5WithoutDNA", .number(withoutDNA.percent(withoutDNA.topFive))),
    ("pairsWithoutDNASharingNameOrMark", .number(Double(withoutDNAShared.pairs))),
    ("recallAt1WithoutDNASharingNameOrMark", .number(withoutDNAShared.percent(withoutDNAShared.first))),
    ("recallAt5WithoutDNASharingNameOrMark", .number(withoutDNAShared.percent(withoutDNAShared.topFive))),
    ("pairsWithoutDNASharingNeither", .number(Double(withoutDNANothingShared.pairs))),
    ("recallAt1WithoutDNASharingNeither", .number(withoutDNANothingShared.percent(withoutDNANothingShared.first))),
    ("recallAt5WithoutDNASharingNeither", .number(withoutDNANothingShared.percent(withoutDNANothingShared.topFive))),
    ("recallAt1WithoutDNAEverySharingPairFirst", .number(ceiling.first)),
    ("recallAt5WithoutDNAEverySharingPairFirst", .number(ceiling.topFive)),
    ("pairsWithoutDNAFoundSilent", .number(Double(withoutDNASilent.pairs))),
    (
        "recallAt1WithoutDNAFoundGivingNameOrMarks",
        .number(withoutDNAGivingSomething.percent(withoutDNAGivingSomething.first))
    ),
    (
        "recallAt5WithoutDNAFoundGivingNameOrMarks",
        .number(withoutDNAGivingSomething.percent(withoutDNAGivingSomething.topFive))
    ),
    ("decoysLedByDNAAbove10000", .number(Double(decoysLedByDNA))),
    ("decoysWithCandidateScoring2", .number(Double(decoysWithCandidateAbove2))),
    ("decoysWithCandidateScoring4", .number(Double(decoysWithCandidateAbove4))),
    ("recallAt1FromCases", .number(fromCases.percent(fromCases.first))),
    ("recallAt5FromCases", .number(fromCases.percent(fromCases.topFive))),
    ("queryMedianMs", .number(percentile(latencies, 0.5))), ("queryP99Ms", .number(percentile(latencies, 0.99))),
    ("allQueriesSeconds", .number(milliseconds(queried) / 1000)),
    ("indexSeconds", .number(milliseconds(indexed) / 1000)),
]

if arguments.bench {
    // The same queries again, spread over every core, as a nightly batch would run them.
    let batchStart = clock.now
    let batch = Parallel.map(foundDescriptions) { found in
        index.candidates(for: found, rarity: rarity, limit: arguments.limit).count
    }
    result.append(("allQueriesParallelSeconds", .number(milliseconds(clock.now - batchStart) / 1000)))
    precondition(batch.count == foundDescriptions.count)
    // Baseline in the same run: score every case for a sample of found children, no index.
    let sample = Array(foundDescriptions.prefix(500))
    let everyPairStart = clock.now
    var bestScores: [Double] = []
    for found in sample {
        var best = -Double.infinity
        for entry in caseByID.values {
            if let comparison = Matcher.compare(abductionCase: entry, found: found, rarity: rarity, explain: false) {
                best = max(best, comparison.score)
            }
        }
        bestScores.append(best)
    }
    let everyPair = milliseconds(clock.now - everyPairStart) / Double(sample.count)
    let indexedStart = clock.now
    let indexedBest = sample.map {
        index.candidates(for: $0, rarity: rarity, limit: arguments.limit).first?.comparison.score
    }
    let withIndex = milliseconds(clock.now - indexedStart) / Double(sample.count)
    // Blocking must not hide the case scoring every case would put first.
    let missedBest = zip(bestScores, indexedBest).filter { best, indexed in
        best > -Double.infinity && (indexed ?? -Double.infinity) < best - 1e-9
    }.count
    result += [
        ("everyPairMsPerQuery", .number(everyPair)), ("indexMsPerQuery", .number(withIndex)),
        ("indexSpeedup", .number(everyPair / withIndex)), ("blockingMissedBest", .number(Double(missedBest))),
        ("blockingSample", .number(Double(sample.count))),
    ]
}

// How often the best candidate is the child, by the probability given for it.
let bands: [(label: String, from: Double)] = [
    ("under 10 %", 0), ("10 to 50 %", 0.1), ("50 to 90 %", 0.5), ("90 to 99 %", 0.9), ("99 % or more", 0.99),
]
let calibrationBands = bands.indices.map { band in
    let below = band + 1 < bands.count ? bands[band + 1].from : .infinity
    let inBand = calibration.filter { $0.probability >= bands[band].from && $0.probability < below }
    let mean = inBand.isEmpty ? 0 : inBand.map(\.probability).reduce(0, +) / Double(inBand.count)
    let right = inBand.isEmpty ? 0 : Double(inBand.filter(\.right).count) / Double(inBand.count)
    return (bands[band].label, inBand.count, mean, right)
}
result.append(
    (
        "calibration",
        .array(
            calibrationBands.map { label, count, mean, right in
                .object([
                    ("band", .string(label)), ("foundChildren", .number(Double(count))),
                    ("meanProbability", .number(mean)), ("bestIsTheChild", .number(right)),
                ])
            })
    ))

if arguments.json {
    print(JSONValue.object(result).prettyText)
} else {
    func line(_ label: String, _ value: String) {
        print(label.padding(toLength: max(48, label.count + 1), withPad: " ", startingAt: 0) + value)
    }
    line("cases", "\(population.cases.count)")
    line("found children with a case / decoys", "\(population.truth.count) / \(decoys)")
    line("generated, indexed", "\(generated), \(indexed)")
    func recall(_ label: String, _ tally: Tally, indent: String) {
        line(indent + label + ": pairs", "\(tally.pairs)")
        line(
            indent + "  recall at 1 / at 5",
            String(format: "%.1f %% / %.1f %%", tally.percent(tally.first), tally.percent(tally.topFive)))
    }
    recall("with DNA on both sides", withDNA, indent: "")
    recall("without DNA on both sides", withoutDNA, indent: "")
    recall("sharing a name sound or a mark", withoutDNAShared, indent: "  ")
    recall("sharing neither", withoutDNANothingShared, indent: "  ")
    line(
        "  at most, every sharing pair first: at 1 / 5",
        String(format: "%.1f %% / %.1f %%", ceiling.first, ceiling.topFive))
    recall("found child giving a name or marks", withoutDNAGivingSomething, indent: "  ")
    recall("found child giving no name and no marks", withoutDNASilent, indent: "  ")
    line("decoys led by a case with DNA index > 10,000", "\(decoysLedByDNA) of \(decoys)")
    line(
        "decoys whose best case scores >= 2 / >= 4",
        "\(decoysWithCandidateAbove2) / \(decoysWithCandidateAbove4) of \(decoys)")
    recall("from the case's side, all pairs", fromCases, indent: "")
    line("best candidate's probability: found children", "mean given / share right")
    for (label, count, mean, right) in calibrationBands {
        line("  " + label + ": \(count)", String(format: "%.1f %% / %.1f %%", 100 * mean, 100 * right))
    }
    line(
        "query latency median / p99",
        String(format: "%.2f ms / %.2f ms", percentile(latencies, 0.5), percentile(latencies, 0.99)))
    line("all queries", "\(queried)")
    // The issue's targets, said plainly: a run that misses one says so.
    print("targets")
    func target(_ label: String, _ value: String, _ met: Bool) {
        line("  " + label, value + (met ? ": met" : ": not met"))
    }
    target(
        "with DNA, recall at 1 of 100 %", String(format: "%.1f %%", withDNA.percent(withDNA.first)),
        withDNA.first == withDNA.pairs)
    target(
        "without DNA, recall at 1 of 65 % or more", String(format: "%.1f %%", withoutDNA.percent(withoutDNA.first)),
        withoutDNA.percent(withoutDNA.first) >= 65)
    target(
        "without DNA, recall at 5 of 85 % or more", String(format: "%.1f %%", withoutDNA.percent(withoutDNA.topFive)),
        withoutDNA.percent(withoutDNA.topFive) >= 85)
    target(
        "decoys led by a DNA index > 10,000: 1 in 1,000 at most", "\(decoysLedByDNA) of \(decoys)",
        decoysLedByDNA * 1000 <= decoys)
    if arguments.bench, case .number(let a)? = result.first(where: { $0.0 == "everyPairMsPerQuery" })?.1,
        case .number(let b)? = result.first(where: { $0.0 == "indexMsPerQuery" })?.1
    {
        line("every pair scored (baseline) / index", String(format: "%.2f ms / %.2f ms per query (%.1fx)", a, b, a / b))
        if case .number(let missed)? = result.first(where: { $0.0 == "blockingMissedBest" })?.1,
            case .number(let sample)? = result.first(where: { $0.0 == "blockingSample" })?.1
        {
            line("best case hidden by blocking", "\(Int(missed)) of \(Int(sample)) found children")
        }
        if case .number(let seconds)? = result.first(where: { $0.0 == "allQueriesParallelSeconds" })?.1 {
            line("all queries on every core", String(format: "%.1f s", seconds))
        }
    }
}
