import LedgerCore
import Testing

@Suite struct DecoderRobustnessTests {
    /// Ten thousand mutated events: each is refused, or decodes to an event whose canonical
    /// bytes are exactly the input (so no two byte strings decode to one event).
    @Test func mutatedEventsAreRefusedOrCanonical() throws {
        let document = try Vectors.load("events.json")
        let originals = try document["valid"]!.array.map { try hexBytes($0["bytes"]) }
        var rng = SeededGenerator(seed: 2026)
        var refused = 0
        for round in 0..<10_000 {
            var bytes = originals[round % originals.count]
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.removeLast(Int.random(in: 1...bytes.count, using: &rng))
            case 2:
                bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
            default:
                for _ in 0..<Int.random(in: 2...8, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8(
                        1 << Int.random(in: 0..<8, using: &rng))
                }
            }
            do {
                let event = try Event(canonicalBytes: bytes)
                let rebuilt = Event(
                    origin: event.origin, seq: event.seq, prev: event.prev, clock: event.clock, kind: event.kind,
                    fields: event.fields)
                #expect(rebuilt.canonicalBytes == bytes)
            } catch is LedgerError {
                refused += 1
            }
        }
        #expect(refused > 5_000)
    }
}
