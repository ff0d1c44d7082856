import Foundation
import LedgerCore
import Testing

/// The encoding against Protocol/vectors/events.json, which a second implementation
/// (Protocol/vectors/reference.py) produced and checks.
@Suite struct EventVectorTests {
    let document: JSONValue
    let key: NodeKey

    init() throws {
        document = try Vectors.load("events.json")
        key = try NodeKey(seed: try hexBytes(document["seed"]))
    }

    /// Builds each valid vector's event from its JSON fields, as `reunite import` would.
    private func builtEvents() throws -> [(vector: JSONValue, event: Event)] {
        var ledger = MemoryLedger(key: key)
        ledger.today = 1_000_000
        var built: [(JSONValue, Event)] = []
        var prev: EventID? = nil
        for vector in document["valid"]!.array {
            let kind = try kind(vector["kind"])
            let draft = try EventDraft(kind: kind, members: vector["fields"]!.members)
            var references: [Field: EventID] = [:]
            for (field, reference) in draft.references {
                guard case .id(let id) = reference else { Issue.record("vectors use whole ids"); continue }
                references[field] = id
            }
            let fields = try LedgerRules.check(draft, references: references, in: ledger, today: ledger.today)
            let event = Event(
                origin: key.nodeID, seq: UInt64(try #require(vector["seq"]?.number)), prev: prev,
                clock: HybridTimestamp(rawValue: try #require(UInt64(vector["clock"]?.string ?? ""))), kind: kind,
                fields: fields)
            ledger.insert(event)
            built.append((vector, event))
            prev = event.id
        }
        return built
    }

    @Test func testKeyGivesTheVectorsNodeID() {
        #expect(key.nodeID.hex == document["nodeId"]?.string)
    }

    @Test func encodesEveryValidVectorToItsBytesAndID() throws {
        let built = try builtEvents()
        #expect(built.count == 9)
        for (vector, event) in built {
            #expect(Hex.encode(event.canonicalBytes) == vector["bytes"]?.string, "\(vector["name"]!.string!)")
            #expect(event.id.hex == vector["id"]?.string)
        }
    }

    @Test func signsEveryVectorAsTheReferenceDoes() throws {
        for (vector, event) in try builtEvents() {
            let signature = try hexBytes(vector["signature"])
            #expect(NodeKey.isValid(signature: signature, of: event))
            #expect(key.sign(event) == signature, "Ed25519 (RFC 8032) signatures are deterministic")
        }
    }

    @Test func decodesEveryValidVectorBackToTheSameEvent() throws {
        for (vector, event) in try builtEvents() {
            let decoded = try Event(canonicalBytes: try hexBytes(vector["bytes"]))
            #expect(decoded == event)
            #expect(decoded.id == event.id)
        }
    }

    @Test func refusesEveryInvalidVector() throws {
        let invalid = document["invalid"]!.array
        #expect(invalid.count >= 10)
        for vector in invalid {
            let bytes = try hexBytes(vector["bytes"])
            #expect(throws: LedgerError.self, "\(vector["name"]!.string!)") { try Event(canonicalBytes: bytes) }
        }
    }

    @Test func aSignatureOverOneEventDoesNotVerifyAnother() throws {
        let built = try builtEvents()
        let signature = key.sign(built[0].event)
        #expect(!NodeKey.isValid(signature: signature, of: built[1].event))
        var flipped = signature
        flipped[10] ^= 0x01
        #expect(!NodeKey.isValid(signature: flipped, of: built[0].event))
    }
}
