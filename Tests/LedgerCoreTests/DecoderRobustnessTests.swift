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

    /// A coordinate of -2^63, the farthest a signed varint reaches, is refused: it was a crash,
    /// since it has no absolute value, so any peer could stop a node syncing with it (found by
    /// scripts/fuzz).
    @Test func theFarthestCoordinateIsRefusedNotACrash() throws {
        var ledger = MemoryLedger()
        let id = try ledger.append(
            .childFound,
            [
                ("sex", "male"), ("foundOn", "2013"), ("place", "深圳"), ("reportedBy", "医院"), ("lat", .number(22.5)),
                ("lon", .number(114)),
            ])
        let bytes = try #require(ledger.events.first { $0.id == id }).canonicalBytes
        var latitude = ByteWriter()
        latitude.svarint(22_500_000)
        let start = try #require(bytes.indices.first { bytes[$0...].starts(with: latitude.bytes) })
        for farthest in [Int64.min, Int64.max, -90_000_001] {
            var forged = ByteWriter()
            forged.svarint(farthest)
            let event = Array(bytes[..<start]) + forged.bytes + Array(bytes[(start + latitude.bytes.count)...])
            #expect(throws: LedgerError.self) { try Event(canonicalBytes: event) }
        }
    }

    /// A profile's loci are the known names in canonical order, each once: the same loci in
    /// another order, a locus twice, or a name no kit types is no canonical event.
    @Test func lociOutOfOrderTwiceOrUnknownAreRefused() throws {
        var ledger = MemoryLedger()
        let id = try ledger.append(
            .childFound,
            [
                ("sex", "male"), ("foundOn", "2013"), ("place", "深圳"), ("reportedBy", "医院"),
                ("dna", .object([("CSF1PO", .array([10, 11])), ("FGA", .array([20, 21]))])),
            ])
        let bytes = try #require(ledger.events.first { $0.id == id }).canonicalBytes
        #expect(try Event(canonicalBytes: bytes).canonicalBytes == bytes)
        // Each locus as encoded: its name's length and bytes, then the two alleles in tenths.
        let csf1po: [UInt8] = [6] + Array("CSF1PO".utf8) + [100, 110]
        let fga: [UInt8] = [3] + Array("FGA".utf8) + [0xC8, 0x01, 0xD2, 0x01]
        let encoded: [UInt8] = [2] + csf1po + fga
        let start = try #require(bytes.indices.first { bytes[$0...].starts(with: encoded) })
        func replaced(with loci: [UInt8]) -> [UInt8] {
            Array(bytes[..<start]) + loci + Array(bytes[(start + encoded.count)...])
        }
        let fake: [UInt8] = [3] + Array("FGB".utf8) + [0xC8, 0x01, 0xD2, 0x01]
        for loci in [[2] + fga + csf1po, [2] + csf1po + csf1po, [2] + csf1po + fake] {
            #expect(throws: LedgerError.self) { try Event(canonicalBytes: replaced(with: loci)) }
        }
    }
}
