import Foundation
import Testing

/// A small run of scripts/eval-matching's evaluation, so that a change that loses true pairs
/// or lets false DNA leads through fails here rather than in a nightly report.
@Suite struct MatchingEvaluationTests {
    static let population = ["--cases", "3000", "--found", "400", "--decoys", "400", "--seed", "7"]

    @Test func aSmallSyntheticRegisterIsMatchedAsWellAsTheBigOne() throws {
        let result = try Self.evaluate(Self.population)
        func number(_ key: String) -> Double { (result[key] as? Double) ?? -1 }
        #expect(number("pairsWithDNA") > 50)
        #expect(number("recallAt1WithDNA") == 100)
        #expect(number("decoysLedByDNAAbove10000") == 0)
        // Floors a little under what this population gives (BENCHMARKS.md has the full runs).
        #expect(number("recallAt5WithoutDNA") >= 70)
        #expect(number("recallAt1WithoutDNA") >= 55)
        #expect(number("recallAt5WithoutDNASharingNameOrMark") >= 85)
    }

    /// What someone checking the matcher from outside does: the register exported as JSON Lines,
    /// imported into a node, and every found child's candidates asked of the real binary, then
    /// counted against the truth file. The binary must find what the evaluation, which asks
    /// the matcher in its own process, says it finds: pair for pair.
    @Test func theBinaryFindsWhatTheEvaluationSaysItFinds() throws {
        let r = ReuniteProcess()
        let export = r.root + "/population"
        let result = try Self.evaluate(Self.population + ["--export", export])
        try r.succeed(["init", "--name", "evaluation"])
        for file in ["cases.jsonl", "found.jsonl"] { try r.succeed(["import", export + "/" + file]) }
        // An import stores its lines in file order: the log gives each line's record.
        let log = try #require(try r.json(["log"]) as? [[String: Any]])
        let cases = log.filter { $0.string("kind") == "abductionReported" }.compactMap { $0.string("id") }
        let found = log.filter { $0.string("kind") == "childFound" }.compactMap { $0.string("id") }
        func lines(_ file: String) throws -> [[String: Any]] {
            try String(contentsOfFile: export + "/" + file, encoding: .utf8).split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }
        let caseLines = try lines("cases.jsonl")
        let foundLines = try lines("found.jsonl")
        try #require(cases.count == caseLines.count && found.count == foundLines.count)
        let answers = try #require(
            try r.json(["candidates", "-", "--limit", "5"], stdin: found.joined(separator: "\n")) as? [[String: Any]])
        var candidates: [String: [[String: Any]]] = [:]
        for answer in answers { candidates[answer.string("id") ?? ""] = answer["candidates"] as? [[String: Any]] }

        let truth = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: export + "/truth.json")))
                as? [[Any]])
        // By the evaluation's names for the two groups: "WithDNA" (on both sides) and "WithoutDNA".
        var tally: [String: (pairs: Int, atOne: Int, atFive: Int)] = [:]
        var decoysLedByDNA = 0
        for entry in truth {
            let foundLine = try #require(entry[0] as? Int)
            let listed = try #require(candidates[found[foundLine - 1]])
            guard let caseLine = entry[1] as? Int else {
                let dna = listed.first?["dna"] as? [String: Any]
                if let index = dna?["log10CombinedIndex"] as? Double, index > 4 { decoysLedByDNA += 1 }
                continue
            }
            let ids = listed.compactMap { $0.string("id") }
            let child = cases[caseLine - 1]
            let hasDNA = foundLines[foundLine - 1]["dna"] != nil && caseLines[caseLine - 1]["dna"] != nil
            let group = hasDNA ? "WithDNA" : "WithoutDNA"
            tally[group, default: (0, 0, 0)].pairs += 1
            if ids.first == child { tally[group]!.atOne += 1 }
            if ids.prefix(5).contains(child) { tally[group]!.atFive += 1 }
        }
        // The evaluation gives shares of pairs: as counts, they must be the binary's.
        func number(_ key: String) -> Double { (result[key] as? Double) ?? -1 }
        func count(_ recall: String, of pairs: String) -> Int { Int((number(recall) * number(pairs) / 100).rounded()) }
        for group in ["WithDNA", "WithoutDNA"] {
            let counts = tally[group, default: (0, 0, 0)]
            #expect(Double(counts.pairs) == number("pairs" + group), "\(group)")
            #expect(counts.atOne == count("recallAt1" + group, of: "pairs" + group), "\(group)")
            #expect(counts.atFive == count("recallAt5" + group, of: "pairs" + group), "\(group)")
        }
        #expect(Double(decoysLedByDNA) == number("decoysLedByDNAAbove10000"))

        // A process asking about a few records reads the file the one above left prepared where
        // it lies, and only the records each query could be: the answers must be the same, to the
        // last digit, whichever side asks.
        let preparedFile = r.data + "/matching.cache"
        let written = try FileManager.default.attributesOfItem(atPath: preparedFile)[.modificationDate] as? Date
        let someCases = stride(from: 0, to: cases.count, by: 331).map { cases[$0] }
        let asked = try #require(
            try r.json(["candidates", "-", "--limit", "5"], stdin: someCases.joined(separator: "\n"))
                as? [[String: Any]])
        try #require(someCases.count > PreparedFewQueries.count)
        for answer in asked { candidates[answer.string("id") ?? ""] = answer["candidates"] as? [[String: Any]] }
        let someFound = stride(from: 0, to: found.count, by: 23).map { found[$0] }
        for group in stride(from: 0, to: someFound.count + someCases.count, by: PreparedFewQueries.count) {
            let ids = Array((someFound + someCases).dropFirst(group).prefix(PreparedFewQueries.count))
            let answers = try #require(try r.json(["candidates"] + ids + ["--limit", "5"]) as? [[String: Any]])
            for answer in answers {
                let id = try #require(answer.string("id"))
                #expect(
                    try canonical(answer["candidates"]) == canonical(candidates[id]), "\(id)")
            }
        }
        // Read, not written again: nothing changed since.
        #expect(try FileManager.default.attributesOfItem(atPath: preparedFile)[.modificationDate] as? Date == written)
    }

    /// How many ids one `reunite candidates` process asks about from the prepared file in place
    /// (MatchingData.fewQueries).
    enum PreparedFewQueries { static let count = 8 }

    func canonical(_ value: Any?) throws -> String {
        String(
            decoding: try JSONSerialization.data(withJSONObject: value ?? NSNull(), options: [.sortedKeys]),
            as: UTF8.self)
    }

    /// Runs eval-matching, built beside `reunite`, with `arguments` and --json.
    static func evaluate(_ arguments: [String]) throws -> [String: Any] {
        let binary = URL(fileURLWithPath: ReuniteProcess.binary).deletingLastPathComponent()
            .appendingPathComponent("eval-matching").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build eval-matching first")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments + ["--json"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
