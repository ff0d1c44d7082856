import LedgerCore
import Testing

@Suite struct ParallelTests {
    final class Token: Sendable {}

    @Test func mapKeepsTheOrderOfItsInput() {
        #expect(Parallel.map(Array(0..<10_000), chunkSize: 7) { $0 * 2 } == (0..<10_000).map { $0 * 2 })
        #expect(Parallel.map([Int](), chunkSize: 1) { $0 }.isEmpty)
    }

    @Test func whatMapGivesIsFreedWithItsResult() {
        // The results are kept in a buffer while the cores fill it. It was freed without its
        // contents: every description, index and count the matcher made in parallel stayed in
        // memory for good, which a server rebuilding them for months cannot afford (found by
        // the fuzzer's AddressSanitizer, scripts/fuzz).
        weak var oneOfThem: Token?
        weak var oneOfBoth: Token?
        do {
            let tokens = Parallel.map(Array(0..<1_000), chunkSize: 10) { _ in Token() }
            oneOfThem = tokens[500]
            let (first, _) = Parallel.both({ Token() }, { 0 })
            oneOfBoth = first
            #expect(oneOfThem != nil && oneOfBoth != nil)
        }
        #expect(oneOfThem == nil)
        #expect(oneOfBoth == nil)
    }
}
