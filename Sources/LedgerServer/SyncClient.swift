import AsyncHTTPClient
import Foundation
import LedgerCore
import LedgerStore
import LedgerSync
import NIOCore
import NIOHTTP1
import NIOSSL

/// What one exchange with a peer did.
public struct SyncReport: Sendable {
    public var peer: Peer
    public var received = 0
    public var sent = 0
    public var bytesIn = 0
    public var bytesOut = 0
    public var roundTrips = 0
    public var refusedByPeer: [Refusal] = []
    public var refusedFromPeer: [String] = []
    public var forks = 0
    /// The events the peer's vector said this node lacked when pulling began, and this node's
    /// that the peer lacked when pushing began: what progress is told against. A refused run
    /// is never stored, so the counts may end short of them.
    public var toReceive = 0
    public var toSend = 0
}

/// Drives one exchange with the peer at a URL over HTTP (AsyncHTTPClient), storing what
/// arrives batch by batch: each batch is its own transaction, so an exchange cut anywhere
/// resumes from what was stored.
public struct SyncClient: Sendable {
    let node: Node
    let limits: SyncLimits
    let timeout: TimeAmount
    let trustRoots: [NIOSSLCertificate]?
    let now: @Sendable () -> UInt64
    let progress: (@Sendable (SyncReport) -> Void)?

    /// `timeoutSeconds` bounds each request, and also how long the peer may send nothing at
    /// all: a peer that died mid-answer is noticed then, not at the end of the deadline.
    /// `trustRoots` are the certificate authorities an `https://` peer's certificate must chain
    /// to (a node's own CA, say); nil trusts the system's. `progress` is told the report so far
    /// after each batch received or sent: a first sync of a million events over a poor link
    /// takes many minutes, which should not pass in silence.
    public init(
        node: Node, limits: SyncLimits = .standard, timeoutSeconds: Int64 = 120, trustRoots: [NIOSSLCertificate]? = nil,
        now: @escaping @Sendable () -> UInt64, progress: (@Sendable (SyncReport) -> Void)? = nil
    ) {
        self.node = node
        self.limits = limits
        self.timeout = .seconds(timeoutSeconds)
        self.trustRoots = trustRoots
        self.now = now
        self.progress = progress
    }

    public func sync(url: String) async throws -> SyncReport {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let trustRoots { tls.trustRoots = .certificates(trustRoots) }
        let http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: .init(tlsConfiguration: tls, timeout: .init(connect: .seconds(10), read: timeout)))
        do {
            let report = try await sync(url: url, http: http)
            try await http.shutdown()
            return report
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func sync(url: String, http: HTTPClient) async throws -> SyncReport {
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        let store = node.store
        guard let peer = try await offload({ try store.peer(url: base) ?? store.peer(url: base + "/") }) else {
            throw SyncError(.wrongPeer, "\(url) is not a trusted peer's address; add it with `reunite peers add --url`")
        }
        var report = SyncReport(peer: peer)
        var machine = ExchangeStateMachine()
        // Read again after each answer is stored: what the state machine, and the counts, go by.
        var localVector = try await offload { try store.vector() }
        var action = machine.start(localVector: localVector)
        var pushing = false
        do {
            while true {
                switch action {
                case .finish:
                    try await offload { [machine, report] in
                        try store.recordSync(
                            with: peer.nodeID, at: now(),
                            result: "ok: received \(report.received), sent \(report.sent)", vector: machine.serverVector
                        )
                    }
                    return report
                case .sendHello(let digest):
                    let answer = try await post(
                        .hello(digest: digest), to: base, path: "/sync/v1/hello", peer: peer, http: http,
                        report: &report)
                    localVector = try await offload { try store.vector() }
                    if case .helloAnswer(let serverVector?) = answer {
                        report.toReceive = Int(clamping: serverVector.eventsAhead(of: localVector))
                    }
                    action = try machine.received(answer, localVector: localVector)
                case .sendPull(let vector):
                    let answer = try await post(
                        .pull(vector: vector), to: base, path: "/sync/v1/pull", peer: peer, http: http, report: &report)
                    if case .batch(let runs, _) = answer {
                        let stored = try await offload {
                            try store.receive(runs, from: peer.nodeID, nowMilliseconds: now())
                        }
                        report.received += stored.stored
                        report.forks += stored.forks
                        report.refusedFromPeer += stored.refused.map(\.reason)
                        progress?(report)
                    }
                    localVector = try await offload { try store.vector() }
                    action = try machine.received(answer, localVector: localVector)
                case .sendPush(let serverVector):
                    // Counted when pushing begins: what this node holds that the peer lacks.
                    if !pushing {
                        pushing = true
                        report.toSend = Int(clamping: localVector.eventsAhead(of: serverVector))
                    }
                    let runs = try await offload { [limits] in
                        try store.runs(missingFrom: serverVector, maxEvents: limits.batchEvents)
                    }
                    let answer = try await post(
                        .batch(runs: runs, more: false), to: base, path: "/sync/v1/push", peer: peer, http: http,
                        locate: store.locator(for: serverVector), report: &report)
                    if case .pushAnswer(let stored, let refused) = answer {
                        report.sent += Int(stored)
                        report.refusedByPeer += refused
                        let refusedStarts = Set(refused.map { "\($0.origin.hex)/\($0.startSeq)" })
                        machine.serverStored(runs.filter { !refusedStarts.contains("\($0.origin.hex)/\($0.startSeq)") })
                        progress?(report)
                    }
                    localVector = try await offload { try store.vector() }
                    action = try machine.received(answer, localVector: localVector)
                }
            }
        } catch {
            let message = (error as? SyncError)?.message ?? "\(error)"
            try? await offload {
                try store.recordSync(with: peer.nodeID, at: now(), result: "failed: \(message)", vector: nil)
            }
            throw error
        }
    }

    /// Sends one signed message and returns the peer's signed answer.
    private func post(
        _ message: SyncMessage, to base: String, path: String, peer: Peer, http: HTTPClient,
        locate: LocateReferences? = nil, report: inout SyncReport
    ) async throws -> SyncMessage {
        let store = node.store
        let body = try await offload { try message.encoded(locate: locate) }
        let time = try await offload { [now] in try store.nextRequestTime(nowMilliseconds: now()) }
        let nonce = Hex.encode(Secret.randomBytes(16))
        let signature = RequestSignature.sign(
            method: "POST", path: path, body: body, time: time, nonce: nonce, key: SigningKey(node.key))
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-reunite-sync")
        for (name, value) in signature.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw SyncError(.transport, "cannot reach \(peer.name) at \(base): \(error)")
        }
        let answer = Array(buffer: try await response.body.collect(upTo: limits.maxBodyBytes))
        report.roundTrips += 1
        report.bytesOut += body.count + Self.headerBytes(request.headers) + "POST \(path) HTTP/1.1\r\n\r\n".utf8.count
        report.bytesIn += answer.count + Self.headerBytes(response.headers) + "HTTP/1.1 200 OK\r\n\r\n".utf8.count
        guard response.status == .ok else {
            let text = String(decoding: answer, as: UTF8.self)
            let reason =
                (try? JSONValue(parsing: text))?["message"].flatMap { value -> String? in
                    if case .string(let s) = value { return s }
                    return nil
                } ?? text
            throw SyncError(
                response.status == .unauthorized
                    ? .unauthorized : response.status == .forbidden ? .forbidden : .transport,
                "\(peer.name) refused: \(response.status.code) \(reason)")
        }
        guard let answerSignature = response.headers.first(name: RequestSignature.signatureHeader).flatMap(Hex.decode),
            signature.isValidAnswer(signature: answerSignature, status: 200, body: answer, from: peer.nodeID)
        else {
            throw SyncError(
                .wrongPeer, "the answer from \(base) is not signed by \(peer.name) (\(peer.nodeID.hex.prefix(12)))")
        }
        let limits = self.limits
        return try await offload { try SyncMessage(decoding: answer, limits: limits, resolve: store.resolver) }
    }

    private static func headerBytes(_ headers: HTTPHeaders) -> Int {
        headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
    }
}
