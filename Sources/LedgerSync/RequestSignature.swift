import Crypto
import LedgerCore

/// The signature a node puts on each sync request, and the one a server puts on its answer
/// (Protocol/SYNC.md, "Authentication"). Both cover the body's hash, so neither can be moved
/// onto other bytes; the answer's also covers the request's signature, so an old answer
/// cannot be replayed to a new request.
public struct RequestSignature: Sendable, Equatable {
    public static let nodeHeader = "Reunite-Node"
    public static let timeHeader = "Reunite-Time"
    public static let nonceHeader = "Reunite-Nonce"
    public static let signatureHeader = "Reunite-Signature"

    public let node: NodeID
    /// Milliseconds, strictly increasing per caller; not compared with the server's clock.
    public let time: UInt64
    public let nonce: String
    public let signature: [UInt8]

    public init(node: NodeID, time: UInt64, nonce: String, signature: [UInt8]) {
        self.node = node
        self.time = time
        self.nonce = nonce
        self.signature = signature
    }

    static func requestMessage(method: String, path: String, time: UInt64, nonce: String, body: [UInt8]) -> [UInt8] {
        Array(
            "reunite-sync-request/v1\n\(method)\n\(path)\n\(time)\n\(nonce)\n\(Hex.encode(SHA256.hash(data: body)))"
                .utf8)
    }

    static func responseMessage(requestSignature: [UInt8], status: Int, body: [UInt8]) -> [UInt8] {
        Array(
            "reunite-sync-response/v1\n\(Hex.encode(requestSignature))\n\(status)\n\(Hex.encode(SHA256.hash(data: body)))"
                .utf8)
    }

    /// Signs a request to send.
    public static func sign(
        method: String, path: String, body: [UInt8], time: UInt64, nonce: String, key: SigningKey
    ) -> RequestSignature {
        let message = requestMessage(method: method, path: path, time: time, nonce: nonce, body: body)
        return RequestSignature(node: key.nodeID, time: time, nonce: nonce, signature: key.sign(message))
    }

    /// Reads the four headers; nil when any is missing or malformed.
    public init?(headers: (String) -> String?) {
        guard let nodeText = headers(Self.nodeHeader), let node = NodeID(hex: nodeText),
            let timeText = headers(Self.timeHeader), let time = UInt64(timeText),
            let nonce = headers(Self.nonceHeader), (16...64).contains(nonce.count),
            let signatureText = headers(Self.signatureHeader), let signature = Hex.decode(signatureText),
            signature.count == 64
        else { return nil }
        self.init(node: node, time: time, nonce: nonce, signature: signature)
    }

    public var headers: [(String, String)] {
        [
            (Self.nodeHeader, node.hex), (Self.timeHeader, String(time)), (Self.nonceHeader, nonce),
            (Self.signatureHeader, Hex.encode(signature)),
        ]
    }

    public func isValid(method: String, path: String, body: [UInt8]) -> Bool {
        let message = Self.requestMessage(method: method, path: path, time: time, nonce: nonce, body: body)
        return SigningKey.isValid(signature: signature, of: message, by: node)
    }

    /// The server's signature over its answer to this request.
    public func answerSignature(status: Int, body: [UInt8], key: SigningKey) -> [UInt8] {
        key.sign(Self.responseMessage(requestSignature: signature, status: status, body: body))
    }

    public func isValidAnswer(signature answer: [UInt8], status: Int, body: [UInt8], from server: NodeID) -> Bool {
        SigningKey.isValid(
            signature: answer, of: Self.responseMessage(requestSignature: signature, status: status, body: body),
            by: server)
    }
}

/// A node key used for the transport, with domain-separated messages that can never be
/// mistaken for an event (an event's bytes start with 0x01, these with "reunite-").
public struct SigningKey: Sendable {
    let key: NodeKey

    public init(_ key: NodeKey) {
        self.key = key
    }

    public var nodeID: NodeID { key.nodeID }

    func sign(_ message: [UInt8]) -> [UInt8] {
        key.signMessage(message)
    }

    static func isValid(signature: [UInt8], of message: [UInt8], by node: NodeID) -> Bool {
        guard signature.count == 64, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: node.bytes) else {
            return false
        }
        return key.isValidSignature(signature, for: message)
    }
}
