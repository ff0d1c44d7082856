import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore
import LedgerSync
import Logging
import NIOCore

/// Answers sync requests from trusted peers (Protocol/SYNC.md, "Endpoints").
///
/// Every request must be signed by a peer on this node's trust list, with a time after the
/// last one it sent; every answer is signed by this node. Strangers, forgeries and replays get
/// 401 and nothing is read or written for them.
public struct SyncServer: Sendable {
    let node: Node
    let limits: SyncLimits
    let logger: Logger
    let now: @Sendable () -> UInt64

    public init(node: Node, limits: SyncLimits = .standard, logger: Logger, now: @escaping @Sendable () -> UInt64) {
        self.node = node
        self.limits = limits
        self.logger = logger
        self.now = now
    }

    public static let paths = ["/sync/v1/hello", "/sync/v1/pull", "/sync/v1/push"]

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        addRoutes(to: router)
        return router
    }

    /// Adds the sync endpoints and `/health` to a router that may serve other things too.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        for path in Self.paths {
            router.post(RouterPath(path)) { request, _ in await self.answer(request, path: path) }
        }
        router.get("/health") { _, _ in "ok\n" }
    }

    private func answer(_ incoming: Request, path: String) async -> Response {
        var request = incoming
        let body: [UInt8]
        do {
            body = Array(buffer: try await request.collectBody(upTo: limits.maxBodyBytes))
        } catch {
            return refusal(.contentTooLarge, SyncError(.tooLarge, "the body is over \(limits.maxBodyBytes) bytes"))
        }
        guard let signature = RequestSignature(headers: { request.headers[HTTPField.Name($0)!] }) else {
            return refusal(.unauthorized, SyncError(.unauthorized, "the request is not signed (Reunite-* headers)"))
        }
        guard signature.isValid(method: "POST", path: path, body: body) else {
            logger.info(
                "refused a request with a bad signature", metadata: ["node": "\(signature.node.hex.prefix(12))"])
            return refusal(.unauthorized, SyncError(.unauthorized, "the signature does not match the request"))
        }
        let peer: Peer
        do {
            guard
                let known = try await offload({ [node] in
                    try node.store.acceptRequest(from: signature.node, time: signature.time)
                })
            else {
                logger.info(
                    "refused a request from a node not on the trust list",
                    metadata: ["node": "\(signature.node.hex.prefix(12))"])
                return refusal(.unauthorized, SyncError(.unauthorized, "this node does not sync with you"))
            }
            peer = known
        } catch {
            return refusal(
                .unauthorized, SyncError(.replayed, "a replayed request: its time is not after the last one"))
        }
        do {
            let store = node.store
            let limits = self.limits
            let message = try await offload { try SyncMessage(decoding: body, limits: limits, resolve: store.resolver) }
            let (answer, locate) = try await respond(to: message, path: path, from: peer)
            let encoded = try await offload { try answer.encoded(locate: locate) }
            var headers = HTTPFields()
            headers[.contentType] = "application/x-reunite-sync"
            headers[HTTPField.Name(RequestSignature.nodeHeader)!] = node.key.nodeID.hex
            headers[HTTPField.Name(RequestSignature.signatureHeader)!] = Hex.encode(
                signature.answerSignature(status: 200, body: encoded, key: SigningKey(node.key)))
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: encoded)))
        } catch let error as SyncError {
            logger.info("refused a request", metadata: ["peer": "\(peer.name)", "reason": "\(error.message)"])
            return refusal(
                error.code == .forbidden ? .forbidden : error.code == .tooLarge ? .contentTooLarge : .badRequest, error)
        } catch {
            logger.error("sync request failed", metadata: ["peer": "\(peer.name)", "error": "\(error)"])
            return refusal(.internalServerError, SyncError(.transport, "the node could not answer: \(error)"))
        }
    }

    /// The answer, and for a batch how to name events the caller already holds.
    private func respond(to message: SyncMessage, path: String, from peer: Peer) async throws
        -> (SyncMessage, LocateReferences?)
    {
        let store = node.store
        let limits = self.limits
        let time = now()
        switch (path, message) {
        case ("/sync/v1/hello", .hello(let digest)):
            let local = try await offload { try store.vector() }
            if digest == local.digest {
                try await offload {
                    try store.recordSync(with: peer.nodeID, at: time, result: "in sync", vector: local)
                }
                return (.helloAnswer(vector: nil), nil)
            }
            return (.helloAnswer(vector: local), nil)
        case ("/sync/v1/pull", .pull(let theirs)):
            let (runs, local) = try await offload {
                (try store.runs(missingFrom: theirs, maxEvents: limits.batchEvents), try store.vector())
            }
            let sent = runs.reduce(0) { $0 + UInt64($1.events.count) }
            // What the peer holds once it stores this batch.
            var after = theirs
            for run in runs { after[run.origin] = ChainHead(seq: run.endSeq, id: run.events[run.events.count - 1].id) }
            try await offload { [after] in
                try store.recordSync(with: peer.nodeID, at: time, result: "sent \(sent)", vector: after)
            }
            return (.batch(runs: runs, more: local.eventsAhead(of: theirs) > sent), store.locator(for: theirs))
        case ("/sync/v1/push", .batch(let runs, _)):
            guard !peer.pullOnly else {
                throw SyncError(.forbidden, "\(peer.name) is a pull-only peer and may not push")
            }
            let report = try await offload { try store.receive(runs, from: peer.nodeID, nowMilliseconds: time) }
            if report.stored > 0 || !report.refused.isEmpty {
                logger.info(
                    "stored a push",
                    metadata: [
                        "peer": "\(peer.name)", "stored": "\(report.stored)", "refused": "\(report.refused.count)",
                    ])
            }
            let refused = report.refused.map {
                Refusal(origin: $0.run.origin, startSeq: $0.run.startSeq, reason: $0.reason)
            }
            return (.pushAnswer(stored: UInt64(report.stored), refused: refused), nil)
        default:
            throw SyncError(.malformed, "\(path) does not take this message")
        }
    }

    private func refusal(_ status: HTTPResponse.Status, _ error: SyncError) -> Response {
        let json = "{\"error\": \"\(error.code.rawValue)\", \"message\": \(JSONValue.string(error.message).jsonText)}\n"
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
