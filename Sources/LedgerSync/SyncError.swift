/// Why a sync message or request was refused. The message is safe to log and to send back to
/// the peer: it names what was wrong, never a key or a record's contents.
public struct SyncError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Bytes that are not a message of this protocol.
        case malformed
        /// Over a size limit, compressed or inflated.
        case tooLarge
        /// A request not signed by a trusted peer, or signed wrongly.
        case unauthorized
        /// A signed request this node may not act on, such as a push from a pull-only peer.
        case forbidden
        /// A request whose time is not after the last one this peer sent.
        case replayed
        /// A response not signed by the peer the caller meant to reach.
        case wrongPeer
        /// The peer could not be reached or answered with an error.
        case transport
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
