import Crypto

/// A node's Ed25519 signing key. Its public half is the node id.
public struct NodeKey: Sendable {
    private let privateKey: Curve25519.Signing.PrivateKey

    public init() {
        privateKey = Curve25519.Signing.PrivateKey()
    }

    /// The 32-byte seed, as the key file stores it.
    public init(seed: [UInt8]) throws {
        do {
            privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            throw LedgerError(.invalidValue, field: "key", "the node key is not a 32-byte Ed25519 seed")
        }
    }

    public var seed: [UInt8] { Array(privateKey.rawRepresentation) }

    public var nodeID: NodeID { NodeID(bytes: Array(privateKey.publicKey.rawRepresentation)) }

    public func sign(_ event: Event) -> [UInt8] {
        // Signing our own canonical bytes cannot fail; a failure here is a bug in the crypto layer.
        guard let signature = try? privateKey.signature(for: event.canonicalBytes) else {
            preconditionFailure("Ed25519 signing failed")
        }
        return Array(signature)
    }

    /// Signs transport messages (sync requests and answers). They begin with "reunite-", an
    /// event with its version byte 0x01, so no signed message can pass for an event.
    public func signMessage(_ message: [UInt8]) -> [UInt8] {
        precondition(message.starts(with: Array("reunite-".utf8)), "transport messages are domain-separated")
        guard let signature = try? privateKey.signature(for: message) else {
            preconditionFailure("Ed25519 signing failed")
        }
        return Array(signature)
    }

    public static func isValid(signature: [UInt8], of event: Event) -> Bool {
        guard signature.count == 64,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: event.origin.bytes)
        else { return false }
        return key.isValidSignature(signature, for: event.canonicalBytes)
    }
}
