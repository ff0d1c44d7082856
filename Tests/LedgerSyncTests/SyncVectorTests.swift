import Foundation
import LedgerCore
import LedgerSync
import Testing

/// Protocol/vectors/sync.json: plain message bytes (normative), the same deflated (any valid
/// stream with the dictionary would do), and a signed request. Set REUNITE_WRITE_VECTORS=1 to
/// write the file from the code once; the test then holds the code to it.
@Suite struct SyncVectorTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Protocol/vectors/sync.json").standardized

    /// The events of events.json, rebuilt from their bytes.
    static func vectorEvents() throws -> [Event] {
        let url = file.deletingLastPathComponent().appendingPathComponent("events.json")
        let document = try JSONValue(parsing: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        guard case .array(let valid)? = document["valid"] else { return [] }
        return try valid.map { vector in
            guard case .string(let hex)? = vector["bytes"], let bytes = Hex.decode(hex) else { throw MissingMessage() }
            return try Event(canonicalBytes: bytes)
        }
    }

    static func messages() throws -> [(String, SyncMessage, LocateReferences?)] {
        let events = try vectorEvents()
        let key = try NodeKey(seed: Array(0..<32))
        let all = SignedRun(origin: key.nodeID, events: events, signature: key.sign(events.last!))
        let tail = SignedRun(origin: key.nodeID, events: Array(events[3...]), signature: key.sign(events.last!))
        var vector = VersionVector()
        vector[key.nodeID] = ChainHead(seq: 3, id: events[2].id)
        let held = Dictionary(
            uniqueKeysWithValues: events.prefix(3).map { ($0.id, ChainPosition(origin: key.nodeID, seq: $0.seq)) })
        return [
            ("hello: the caller's vector digest", .hello(digest: vector.digest), nil),
            ("helloAnswer: in sync", .helloAnswer(vector: nil), nil),
            ("helloAnswer: the server's vector (one origin at seq 3)", .helloAnswer(vector: vector), nil),
            ("pull: the caller's vector", .pull(vector: vector), nil),
            (
                "batch: all 8 vector events as one run, every reference whole, no more",
                .batch(runs: [all], more: false), nil
            ),
            (
                "batch: events 4 to 8 to a receiver holding 1 to 3, references to those by table index, more to come",
                .batch(runs: [tail], more: true), { ids in held.filter { ids.contains($0.key) } }
            ),
            (
                "pushAnswer: 5 stored, one run refused",
                .pushAnswer(
                    stored: 5,
                    refused: [
                        Refusal(
                            origin: key.nodeID, startSeq: 9,
                            reason: "a gap: the run starts at 9 but this node holds up to 7")
                    ]), nil
            ),
        ]
    }

    static let request = (
        method: "POST", path: "/sync/v1/pull", time: UInt64(1_764_428_645_123),
        nonce: "00112233445566778899aabbccddeeff"
    )

    @Test func theCodeMatchesTheVectors() throws {
        let key = try NodeKey(seed: Array(0..<32))
        let messages = try Self.messages()
        let pull = try messages[3].1.encoded(locate: nil)
        let signed = RequestSignature.sign(
            method: Self.request.method, path: Self.request.path, body: pull, time: Self.request.time,
            nonce: Self.request.nonce, key: SigningKey(key))
        if ProcessInfo.processInfo.environment["REUNITE_WRITE_VECTORS"] == "1" {
            let document = JSONValue.object([
                (
                    "about",
                    "Sync vectors for Protocol/SYNC.md. plain is normative; deflated is one valid zlib stream (level 9, preset dictionary Protocol/sync-dictionary.txt). The key is the seed 00 01 ... 1f, the events those of events.json."
                ),
                (
                    "messages",
                    .array(
                        try messages.map { name, message, locate in
                            .object([
                                ("name", .string(name)),
                                ("plain", .string(Hex.encode(try message.plainBytes(locate: locate)))),
                                ("deflated", .string(Hex.encode(try message.encoded(locate: locate)))),
                            ])
                        })
                ),
                (
                    "request",
                    .object([
                        ("method", .string(Self.request.method)), ("path", .string(Self.request.path)),
                        ("time", .string(String(Self.request.time))), ("nonce", .string(Self.request.nonce)),
                        ("body", .string(Hex.encode(pull))),
                        ("headers", .object(signed.headers.map { ($0.0, .string($0.1)) })),
                    ])
                ),
            ])
            try Data((document.prettyText + "\n").utf8).write(to: Self.file)
        }
        let document = try JSONValue(parsing: String(decoding: try Data(contentsOf: Self.file), as: UTF8.self))
        guard case .array(let vectors)? = document["messages"] else { throw MissingMessage() }
        #expect(vectors.count == messages.count)
        let events = try Self.vectorEvents()
        for (vector, (name, message, locate)) in zip(vectors, messages) {
            guard case .string(let plainHex)? = vector["plain"], case .string(let deflatedHex)? = vector["deflated"],
                let plain = Hex.decode(plainHex), let deflated = Hex.decode(deflatedHex)
            else { throw MissingMessage() }
            #expect(try message.plainBytes(locate: locate) == plain, "\(name)")
            let resolve: ResolveReferences = { positions in
                positions.map { position in events.first { $0.seq == position.seq }?.id }
            }
            let decoded = try SyncMessage(decoding: deflated, resolve: resolve)
            #expect(decoded.plainBytes() == message.plainBytes(), "\(name)")
        }
        guard case .object(let headers)? = document["request"]?["headers"] else { throw MissingMessage() }
        #expect(headers.map(\.0) == signed.headers.map(\.0))
        #expect(headers.map { $0.1 } == signed.headers.map { .string($0.1) })
        #expect(signed.isValid(method: "POST", path: Self.request.path, body: pull))
    }
}
