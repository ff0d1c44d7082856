import Foundation
import Testing

/// A small run of scripts/eval-matching's evaluation, so that a change that loses true pairs
/// or lets false DNA leads through fails here rather than in a nightly report.
@Suite struct MatchingEvaluationTests {
    @Test func aSmallSyntheticRegisterIsMatchedAsWellAsTheBigOne() throws {
        let binary = URL(fileURLWithPath: ReuniteProcess.binary).deletingLastPathComponent()
            .appendingPathComponent("eval-matching").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build eval-matching first")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--cases", "3000", "--found", "400", "--decoys", "400", "--seed", "7", "--json"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        func number(_ key: String) -> Double { (result[key] as? Double) ?? -1 }
        #expect(number("pairsWithDNA") > 50)
        #expect(number("recallAt1WithDNA") == 100)
        #expect(number("decoysLedByDNAAbove10000") == 0)
        // Floors a little under what this population gives (BENCHMARKS.md has the full runs).
        #expect(number("recallAt5WithoutDNA") >= 70)
        #expect(number("recallAt1WithoutDNA") >= 55)
        #expect(number("recallAt5WithoutDNASharingNameOrMark") >= 85)
    }
}
