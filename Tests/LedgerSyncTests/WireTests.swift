import Foundation
import LedgerCore
import LedgerSync
import Testing

let testKey = try! NodeKey(seed: Array(0..<32))

/// A signed run of `count` events of the test key's chain, with Chinese text and a DNA profile.
func sampleRun(from seq: UInt64 = 1, count: Int = 4, prev: EventID? = nil) -> SignedRun {
    var events: [Event] = []
    var previous = prev
    for n in 0..<count {
        var fields = FieldSet()
        fields[.sex] = .sex(.male)
        fields[.foundOn] = .date(try! PartialDate(year: 2013, month: 1))
        fields[.place] = .text("广东省深圳市")
        fields[.reportedBy] = .text("深圳市儿童医院")
        fields[.marks] = .text("左脸有痣 \(seq + UInt64(n))")
        fields[.childDNA] = .dna(DNAProfile(loci: ["TH01": .init(70, 93), "vWA": .init(170, 180)]))
        let event = Event(
            origin: testKey.nodeID, seq: seq + UInt64(n), prev: previous,
            clock: HybridTimestamp(milliseconds: 1_764_000_000_000 + UInt64(n) * 1000, counter: UInt16(n)),
            kind: .childFound,
            fields: fields)
        events.append(event)
        previous = event.id
    }
    return SignedRun(origin: testKey.nodeID, events: events, signature: testKey.sign(events.last!))
}

@Suite struct WireTests {
    @Test func everyMessageRoundTrips() throws {
        let run = sampleRun()
        var vector = VersionVector()
        vector[testKey.nodeID] = ChainHead(seq: 4, id: run.events[3].id)
        let messages: [SyncMessage] = [
            .hello(digest: vector.digest), .helloAnswer(vector: nil), .helloAnswer(vector: vector),
            .pull(vector: vector),
            .batch(runs: [run, sampleRun(from: 5, count: 2, prev: run.events[3].id)], more: true),
            .pushAnswer(stored: 7, refused: [Refusal(origin: testKey.nodeID, startSeq: 9, reason: "a gap")]),
        ]
        for message in messages {
            let decoded = try SyncMessage(decoding: message.encoded())
            #expect(decoded.plainBytes() == message.plainBytes())
        }
    }

    @Test func aDecodedRunIsTheSameEventsAndStillAuthentic() throws {
        let run = sampleRun(count: 20)
        guard
            case .batch(let runs, false) = try SyncMessage(
                decoding: SyncMessage.batch(runs: [run], more: false).encoded())
        else { throw MissingMessage() }
        #expect(runs[0].events == run.events)
        #expect(runs[0].isAuthentic())
    }

    /// A run whose seqs would pass 2^64 - 1 is refused as malformed. Its second event's seq
    /// overflowed, which stopped the process: any peer could stop a node so.
    @Test func aRunPastTheLargestSeqIsRefusedNotACrash() throws {
        let run = sampleRun(from: 5, count: 2, prev: sampleRun(count: 4).events[3].id)
        let plain = SyncMessage.batch(runs: [run], more: false).plainBytes()
        // The run's start (seq 5, one byte) follows its origin.
        let origin = testKey.nodeID.bytes
        let at = try #require(
            (0...(plain.count - origin.count)).first { plain[$0..<$0 + origin.count].elementsEqual(origin) })
        #expect(plain[at + origin.count] == 5)
        var largest = ByteWriter()
        largest.uvarint(UInt64.max)
        var changed = plain
        changed.replaceSubrange((at + origin.count)...(at + origin.count), with: largest.bytes)
        #expect(throws: SyncError.self) { try SyncMessage(plain: changed) }
        // Two events ending at the largest seq are a run like any other to the decoder.
        largest = ByteWriter()
        largest.uvarint(UInt64.max - 1)
        changed = plain
        changed.replaceSubrange((at + origin.count)...(at + origin.count), with: largest.bytes)
        guard case .batch(let runs, false) = try SyncMessage(plain: changed) else { throw MissingMessage() }
        #expect(runs[0].startSeq == UInt64.max - 1 && runs[0].events.last?.seq == UInt64.max)
    }

    @Test func everyTruncationOfAFrameIsRefused() throws {
        let frame = SyncMessage.batch(runs: [sampleRun(count: 3)], more: false).encoded()
        for length in 0..<frame.count {
            #expect(throws: SyncError.self) { try SyncMessage(decoding: Array(frame.prefix(length))) }
        }
        let plain = SyncMessage.batch(runs: [sampleRun(count: 3)], more: false).plainBytes()
        for length in 0..<plain.count {
            #expect(throws: SyncError.self) { try SyncMessage(plain: Array(plain.prefix(length))) }
        }
    }

    /// 12,000 mutated frames, compressed and plain: each is refused or decodes to a message
    /// that encodes back to the same plain bytes. None may crash.
    @Test func mutatedFramesNeverCrashTheDecoder() throws {
        var rng = SeededGenerator(seed: 99)
        let originals = [
            SyncMessage.batch(
                runs: [sampleRun(count: 3), sampleRun(from: 4, count: 1, prev: sampleRun(count: 3).events[2].id)],
                more: true),
            SyncMessage.pull(
                vector: VersionVector(heads: [testKey.nodeID: ChainHead(seq: 3, id: sampleRun().events[0].id)])),
            SyncMessage.pushAnswer(stored: 3, refused: [Refusal(origin: testKey.nodeID, startSeq: 1, reason: "x")]),
        ]
        var accepted = 0
        for round in 0..<12_000 {
            let original = originals[round % originals.count]
            var bytes = round % 2 == 0 ? original.encoded() : original.plainBytes()
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                case 1:
                    bytes.insert(
                        UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
                default: if bytes.count > 1 { bytes.remove(at: Int.random(in: 0..<bytes.count, using: &rng)) }
                }
            }
            do {
                let message = round % 2 == 0 ? try SyncMessage(decoding: bytes) : try SyncMessage(plain: bytes)
                _ = try SyncMessage(plain: message.plainBytes())
                accepted += 1
            } catch {
                // Refusing is the expected answer to most mutations; the decoders throw only SyncError.
                continue
            }
        }
        #expect(accepted < 6_000)
    }

    @Test func aZipBombIsStoppedAtTheLimit() throws {
        let bomb = Deflate.compress([UInt8](repeating: 0, count: 50 << 20), level: 9)
        var limits = SyncLimits()
        limits.maxInflatedBytes = 1 << 20
        #expect(throws: SyncError(.tooLarge, "the message inflates past 1048576 bytes")) {
            try SyncMessage(decoding: bomb, limits: limits)
        }
    }

    @Test func thePresetDictionaryIsTheSpecsFileByteForByte() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Protocol/sync-dictionary.txt").standardized
        #expect(SyncDictionary.bytes == [UInt8](try Data(contentsOf: file)))
        #expect(SyncDictionary.sha256 == "cc35440877e18c45fd913048106561d8714aaf84a1c7e7ceb95f66fac705e0bb")
    }

    @Test func aStreamWithoutTheDictionaryOrWithAnotherOneIsRefused() throws {
        let plain = SyncMessage.helloAnswer(vector: nil).plainBytes()
        // A stream compressed by the same zlib with no preset dictionary still inflates: the
        // dictionary is only asked for when the stream names one.
        #expect(throws: Never.self) { try Deflate.decompress(Deflate.compress(plain), limit: 1000) }
        var corrupted = Deflate.compress(plain)
        // Bytes 2-5 of a zlib stream with a dictionary are its Adler-32; change it.
        corrupted[3] ^= 0xFF
        #expect(throws: SyncError.self) { try Deflate.decompress(corrupted, limit: 1000) }
    }
}

struct MissingMessage: Error {}

@Suite struct ExchangeStateMachineTests {
    let vectorA = VersionVector(heads: [testKey.nodeID: ChainHead(seq: 4, id: sampleRun().events[3].id)])

    @Test func aPairInSyncFinishesAfterHello() throws {
        var machine = ExchangeStateMachine()
        #expect(machine.start(localVector: vectorA) == .sendHello(digest: vectorA.digest))
        #expect(try machine.received(.helloAnswer(vector: nil), localVector: vectorA) == .finish)
    }

    @Test func aCallerBehindPullsThenFinishes() throws {
        var machine = ExchangeStateMachine()
        _ = machine.start(localVector: VersionVector())
        #expect(
            try machine.received(.helloAnswer(vector: vectorA), localVector: VersionVector())
                == .sendPull(VersionVector()))
        #expect(try machine.received(.batch(runs: [sampleRun()], more: false), localVector: vectorA) == .finish)
    }

    @Test func aCallerAheadPushesUntilTheServerHoldsEverything() throws {
        var machine = ExchangeStateMachine()
        _ = machine.start(localVector: vectorA)
        #expect(
            try machine.received(.helloAnswer(vector: VersionVector()), localVector: vectorA)
                == .sendPush(serverVector: VersionVector()))
        machine.serverStored([sampleRun()])
        #expect(try machine.received(.pushAnswer(stored: 4, refused: []), localVector: vectorA) == .finish)
    }

    @Test func aServerThatSaysMoreButSendsNothingIsRefused() throws {
        var machine = ExchangeStateMachine()
        _ = machine.start(localVector: VersionVector())
        _ = try machine.received(.helloAnswer(vector: vectorA), localVector: VersionVector())
        #expect(throws: SyncError.self) {
            try machine.received(.batch(runs: [], more: true), localVector: VersionVector())
        }
    }

    @Test func aMessageOutOfTurnIsRefused() {
        var machine = ExchangeStateMachine()
        _ = machine.start(localVector: vectorA)
        #expect(throws: SyncError.self) {
            try machine.received(.pushAnswer(stored: 1, refused: []), localVector: vectorA)
        }
    }
}

@Suite struct ReferenceTableTests {
    /// A correction of a record the receiver already holds travels as a table index and comes
    /// back as the same event.
    @Test func referencesToHeldEventsTravelByPositionAndResolveBack() throws {
        let held = sampleRun(count: 4)
        var corrections: [Event] = []
        var prev = held.events[3].id
        for (n, target) in held.events.enumerated() {
            var fields = FieldSet()
            fields[.target] = .record(target.id)
            fields[.changes] = .changes([FieldChange(field: .place, value: .text("深圳市福田区"))])
            fields[.reason] = .text("补充")
            let correction = Event(
                origin: testKey.nodeID, seq: UInt64(5 + n), prev: prev, clock: HybridTimestamp(rawValue: UInt64(n)),
                kind: .corrected, fields: fields)
            corrections.append(correction)
            prev = correction.id
        }
        let run = SignedRun(origin: testKey.nodeID, events: corrections, signature: testKey.sign(corrections.last!))
        let message = SyncMessage.batch(runs: [run], more: false)
        let positions = Dictionary(
            uniqueKeysWithValues: held.events.map { ($0.id, ChainPosition(origin: testKey.nodeID, seq: $0.seq)) })
        let located = try message.plainBytes(locate: { ids in positions.filter { ids.contains($0.key) } })
        // Four 32-byte ids become four table entries of two bytes, plus the origin once.
        #expect(located.count < message.plainBytes().count - 80)
        let byPosition = Dictionary(uniqueKeysWithValues: positions.map { ($0.value, $0.key) })
        let decoded = try SyncMessage(plain: located, resolve: { $0.map { byPosition[$0] } })
        guard case .batch(let runs, _) = decoded else { throw MissingMessage() }
        #expect(runs[0].events == corrections)
        #expect(runs[0].isAuthentic())
        #expect(throws: SyncError.self) { try SyncMessage(plain: located) }
        #expect(throws: SyncError.self) { try SyncMessage(plain: located, resolve: { $0.map { _ in nil } }) }
    }
}
