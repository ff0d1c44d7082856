import AsyncHTTPClient
import Foundation
import LedgerCore
import LedgerSync
import NIOCore
import Testing

/// A peer that writes its own requests, to send a real server what no honest node would.
final class HostilePeer: @unchecked Sendable {
    let key = NodeKey()
    private var clock = UInt64(Date().timeIntervalSince1970 * 1000)

    var id: String { key.nodeID.hex }

    /// A run of found children from `origin`, starting at `seq` after `prev`, signed by `signer`.
    func run(
        origin: NodeKey? = nil, from seq: UInt64 = 1, count: Int = 3, prev: EventID? = nil, place: String = "深圳",
        signer: NodeKey? = nil
    ) -> SignedRun {
        let origin = origin ?? key
        var events: [Event] = []
        var previous = prev
        for n in 0..<count {
            var fields = FieldSet()
            fields[.sex] = .sex(.female)
            fields[.foundOn] = .date(try! PartialDate(year: 2020))
            fields[.place] = .text(place)
            fields[.reportedBy] = .text("第\(seq + UInt64(n))号")
            let event = Event(
                origin: origin.nodeID, seq: seq + UInt64(n), prev: previous,
                clock: HybridTimestamp(milliseconds: 1_764_000_000_000 + seq + UInt64(n), counter: 0),
                kind: .childFound,
                fields: fields)
            events.append(event)
            previous = event.id
        }
        return SignedRun(origin: origin.nodeID, events: events, signature: (signer ?? origin).sign(events.last!))
    }

    struct Answer {
        let status: Int
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Signed headers for `body`, by this peer's key unless another signs, at the peer's next
    /// time unless another is given.
    func headers(path: String, body: [UInt8], signer: NodeKey? = nil, at time: UInt64? = nil) -> [(String, String)] {
        clock += 1
        let signed = RequestSignature.sign(
            method: "POST", path: path, body: body, time: time ?? clock,
            nonce: Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255) }),
            key: SigningKey(signer ?? key))
        return RequestSignature(node: key.nodeID, time: signed.time, nonce: signed.nonce, signature: signed.signature)
            .headers
    }

    func post(_ url: String, path: String, body: [UInt8], headers: [(String, String)]) async throws -> Answer {
        var request = HTTPClientRequest(url: url + path)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        return Answer(
            status: Int(response.status.code), body: Array(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    func send(_ message: SyncMessage, to url: String, path: String = "/sync/v1/push") async throws -> Answer {
        let body = message.encoded()
        return try await post(url, path: path, body: body, headers: headers(path: path, body: body))
    }

    /// Pushes runs and reads the server's signed answer.
    func push(_ runs: [SignedRun], to url: String) async throws -> (stored: UInt64, refused: [Refusal]) {
        let answer = try await send(.batch(runs: runs, more: false), to: url)
        guard answer.status == 200, case .pushAnswer(let stored, let refused) = try SyncMessage(decoding: answer.body)
        else {
            throw Failure("push answered \(answer.status): \(answer.text)")
        }
        return (stored, refused)
    }
}

@Suite(.serialized) struct HostilePeerTests {
    /// A serving node that trusts the hostile peer, with one event of its own.
    private func target(pullOnly: Bool = false) throws -> (SyncNode, ReuniteProcess.Server, HostilePeer) {
        let node = try SyncNode("目标")
        try node.recordFound(1, tag: "own")
        let peer = HostilePeer()
        try node.reunite.succeed(
            ["peers", "add", "--name", "hostile", "--key", peer.id] + (pullOnly ? ["--pull-only"] : []))
        return (node, try node.reunite.serve(), peer)
    }

    @Test func aStrangerGetsNothingAndCanWriteNothing() async throws {
        let (node, server, _) = try target()
        let stranger = HostilePeer()
        for path in ["/sync/v1/hello", "/sync/v1/pull", "/sync/v1/push"] {
            let message: SyncMessage =
                path.hasSuffix("push") ? .batch(runs: [stranger.run()], more: false) : .pull(vector: VersionVector())
            let answer = try await stranger.send(message, to: server.url, path: path)
            #expect(answer.status == 401)
            #expect(answer.text.contains("does not sync with you"))
        }
        #expect(try node.eventCount == 1)
    }

    @Test func aForgedRequestSignatureIsRefused() async throws {
        let (node, server, peer) = try target()
        let body = SyncMessage.batch(runs: [peer.run()], more: false).encoded()
        let forged = try await peer.post(
            server.url, path: "/sync/v1/push", body: body,
            headers: peer.headers(path: "/sync/v1/push", body: body, signer: NodeKey()))
        #expect(forged.status == 401)
        let moved = try await peer.post(
            server.url, path: "/sync/v1/push", body: body, headers: peer.headers(path: "/sync/v1/pull", body: body))
        #expect(moved.status == 401, "a signature for another path does not carry over")
        let unsigned = try await peer.post(server.url, path: "/sync/v1/push", body: body, headers: [])
        #expect(unsigned.status == 401)
        #expect(try node.eventCount == 1)
    }

    @Test func aReplayedRequestIsRefused() async throws {
        let (node, server, peer) = try target()
        let body = SyncMessage.batch(runs: [peer.run()], more: false).encoded()
        let headers = peer.headers(path: "/sync/v1/push", body: body)
        #expect(try await peer.post(server.url, path: "/sync/v1/push", body: body, headers: headers).status == 200)
        let replay = try await peer.post(server.url, path: "/sync/v1/push", body: body, headers: headers)
        #expect(replay.status == 401)
        #expect(replay.text.contains("replayed"))
        #expect(try node.eventCount == 4)
    }

    /// Numbers at the top of 64 bits, which once stopped the serving process: a pull claiming
    /// the largest seq of the node's own chain, a run starting there, a batch naming an event
    /// by a seq past Int64.max, and a request signed at a time past it. Each is answered, and the
    /// node goes on serving.
    @Test func numbersAtTheTopOf64BitsAreAnsweredNotACrash() async throws {
        let (node, server, peer) = try target()
        let own = try #require(NodeID(hex: node.id))
        var claimed = VersionVector()
        claimed[own] = ChainHead(seq: UInt64.max, id: EventID(bytes: [UInt8](repeating: 1, count: 32)))
        let pull = try await peer.send(.pull(vector: claimed), to: server.url, path: "/sync/v1/pull")
        #expect(pull.status == 200)
        guard case .batch(let runs, _) = try SyncMessage(decoding: pull.body) else { throw Failure("not a batch") }
        #expect(runs.isEmpty)
        // A push of a run whose second event would be seq 2^64: a run from seq 5 (one byte),
        // its start changed.
        let run = peer.run(from: 5, count: 2, prev: EventID(bytes: [UInt8](repeating: 2, count: 32)))
        let plain = SyncMessage.batch(runs: [run], more: false).plainBytes()
        let origin = run.origin.bytes
        let at = try #require(
            (0...(plain.count - origin.count)).first { plain[$0..<$0 + origin.count].elementsEqual(origin) })
        #expect(plain[at + origin.count] == 5)
        var largest = ByteWriter()
        largest.uvarint(UInt64.max)
        var changed = plain
        changed.replaceSubrange((at + origin.count)...(at + origin.count), with: largest.bytes)
        let body = Deflate.compress(changed, level: 9)
        let push = try await peer.post(
            server.url, path: "/sync/v1/push", body: body, headers: peer.headers(path: "/sync/v1/push", body: body))
        #expect(push.status == 400)
        #expect(push.text.contains("passes the largest seq"))
        // A batch naming the case a match is about by a position past what SQLite holds.
        var fields = FieldSet()
        fields[.caseId] = .record(EventID(bytes: [UInt8](repeating: 3, count: 32)))
        fields[.foundId] = .record(EventID(bytes: [UInt8](repeating: 4, count: 32)))
        fields[.decidedBy] = .text("hostile")
        let match = Event(
            origin: run.origin, seq: 1, prev: nil, clock: HybridTimestamp(milliseconds: 1_764_000_000_000, counter: 0),
            kind: .identityMatched, fields: fields)
        let matchRun = SignedRun(origin: run.origin, events: [match], signature: peer.key.sign(match))
        let farPosition = ChainPosition(origin: own, seq: 1 << 63)
        let referencing = try SyncMessage.batch(runs: [matchRun], more: false).encoded { ids in
            Dictionary(uniqueKeysWithValues: ids.map { ($0, farPosition) })
        }
        let named = try await peer.post(
            server.url, path: "/sync/v1/push", body: referencing,
            headers: peer.headers(path: "/sync/v1/push", body: referencing))
        #expect(named.status == 400)
        #expect(named.text.contains("which this node does not hold"), "\(named.text)")
        // A request signed at a time past Int64.max.
        let ask = SyncMessage.pull(vector: VersionVector()).encoded()
        let late = try await peer.post(
            server.url, path: "/sync/v1/pull", body: ask,
            headers: peer.headers(path: "/sync/v1/pull", body: ask, at: 1 << 63))
        #expect(late.status == 401)
        let again = try await peer.send(.pull(vector: VersionVector()), to: server.url, path: "/sync/v1/pull")
        #expect(again.status == 200)
        #expect(try node.eventCount == 1)
    }

    @Test func aPullOnlyPeerMayPullButNotPush() async throws {
        let (node, server, peer) = try target(pullOnly: true)
        let push = try await peer.send(.batch(runs: [peer.run()], more: false), to: server.url)
        #expect(push.status == 403)
        let pull = try await peer.send(.pull(vector: VersionVector()), to: server.url, path: "/sync/v1/pull")
        #expect(pull.status == 200)
        guard case .batch(let runs, _) = try SyncMessage(decoding: pull.body) else { throw Failure("not a batch") }
        #expect(runs.map(\.events.count) == [1])
        #expect(try node.eventCount == 1)
    }

    @Test func aTamperedEventABadRunSignatureAndAGapAreRefusedWhileGoodRunsLand() async throws {
        let (node, server, peer) = try target()
        let honest = peer.run(count: 3)
        var tampered = honest.events
        var fields = tampered[1].fields
        fields[.place] = .text("改过的地方")
        tampered[1] = Event(
            origin: tampered[1].origin, seq: 2, prev: tampered[0].id, clock: tampered[1].clock, kind: .childFound,
            fields: fields)
        let broken = SignedRun(origin: honest.origin, events: tampered, signature: honest.signature)
        let other = HostilePeer()
        let answer = try await peer.push(
            [
                broken, other.run(signer: NodeKey()),
                other.run(origin: NodeKey(), from: 3, prev: EventID(bytes: [UInt8](repeating: 7, count: 32))),
            ],
            to: server.url)
        #expect(answer.stored == 0)
        #expect(
            answer.refused.map(\.reason).sorted() == [
                "a gap: the run starts at 3 but this node holds up to 0",
                "the signature or a hash link does not check out",
                "the signature or a hash link does not check out",
            ])
        #expect(try node.eventCount == 1)
        // The honest run from the same batch's origin still lands when sent on its own.
        #expect(try await peer.push([honest], to: server.url).stored == 3)
        #expect(try node.verify["ok"] as? Bool == true)
    }

    @Test func duplicatedAndReplayedBatchesStoreNothingTwice() async throws {
        let (node, server, peer) = try target()
        let run = peer.run(count: 5)
        #expect(try await peer.push([run], to: server.url).stored == 5)
        let again = try await peer.push([run, run], to: server.url)
        #expect(again.stored == 0 && again.refused.isEmpty)
        let overlapping = peer.run(count: 8)
        #expect(try await peer.push([overlapping], to: server.url).stored == 3)
        #expect(try node.eventCount == 9)
        #expect(try node.verify["ok"] as? Bool == true)
    }

    @Test func anOriginThatSignsTwoHistoriesIsKeptAsEvidenceAndRefused() async throws {
        let (node, server, peer) = try target()
        #expect(try await peer.push([peer.run(count: 3)], to: server.url).stored == 3)
        // The same origin signs another event 2 and 3: equivocation, as a node restored from
        // an old backup, or two devices sharing one key, would produce.
        let first = peer.run(count: 1)
        let rewritten = peer.run(from: 2, count: 2, prev: first.events[0].id, place: "另一个版本")
        let answer = try await peer.push([rewritten], to: server.url)
        #expect(answer.stored == 0)
        #expect(answer.refused.first?.reason.contains("two histories at seq 2") == true)
        let forks = try #require(try node.reunite.json(["forks", "list"]) as? [[String: Any]])
        #expect(forks.first?["origin"] as? String == peer.id)
        #expect(forks.first?["seq"] as? Int == 2)
        // Until an operator decides, nothing more from that origin lands.
        #expect(
            try await peer.push([peer.run(from: 4, count: 1, prev: rewritten.events[1].id)], to: server.url).stored == 0
        )
        let peers = try #require(try node.reunite.json(["peers", "list"]) as? [[String: Any]])
        #expect(peers.first?["forked"] as? Bool == true)
        #expect(try node.verify["ok"] as? Bool == false)
        #expect(
            try #require(try node.reunite.json(["whoami"]) as? [String: Any])["forkedOrigins"] as? [String] == [peer.id]
        )
        #expect(try node.eventCount == 4)
        try node.reunite.succeed([
            "forks", "resolve", peer.id, "--decision", "two laptops shared a key; keeping the first history",
        ])
        #expect(try node.verify["ok"] as? Bool == true)
    }

    @Test func oversizedTruncatedAndBombBodiesAreRefused() async throws {
        let (node, server, peer) = try target()
        let huge = [UInt8](repeating: 0x41, count: 17 << 20)
        let oversized = try await peer.post(
            server.url, path: "/sync/v1/push", body: huge, headers: peer.headers(path: "/sync/v1/push", body: huge))
        #expect(oversized.status == 413)

        let valid = SyncMessage.batch(runs: [peer.run()], more: false).encoded()
        let truncated = Array(valid.prefix(valid.count / 2))
        let cut = try await peer.post(
            server.url, path: "/sync/v1/push", body: truncated,
            headers: peer.headers(path: "/sync/v1/push", body: truncated))
        #expect(cut.status == 400)
        #expect(cut.text.contains("not a complete zlib stream"))

        // 200 MB of zeros deflate to about 200 KB.
        let bomb = Deflate.compress(Array("RSY1".utf8) + [4] + [UInt8](repeating: 0, count: 200 << 20), level: 9)
        #expect(bomb.count < 1 << 20)
        let exploded = try await peer.post(
            server.url, path: "/sync/v1/push", body: bomb, headers: peer.headers(path: "/sync/v1/push", body: bomb))
        #expect(exploded.status == 413)
        #expect(exploded.text.contains("inflates past"))

        let garbage = (0..<500).map { _ in UInt8.random(in: 0...255) }
        let noise = try await peer.post(
            server.url, path: "/sync/v1/push", body: garbage,
            headers: peer.headers(path: "/sync/v1/push", body: garbage))
        #expect(noise.status == 400)
        #expect(try node.eventCount == 1)
        // The server is still serving.
        #expect(try await peer.push([peer.run()], to: server.url).stored == 3)
    }
}
