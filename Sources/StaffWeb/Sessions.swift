import Foundation
import LedgerCore

/// A signed-in staff member: who, and the token every form they post must carry.
public struct Session: Sendable {
    public let staff: String
    /// Sent in each form as a hidden field and compared with this copy: a page on another
    /// site can make the browser post, but cannot read the token.
    public let formToken: String
    /// When it was opened: a password set since ends it.
    public let openedAt: UInt64
    var expiresAt: UInt64
}

/// The node's signed-in sessions, in memory: restarting the server signs everyone out.
/// A session ends after `idleMilliseconds` without a request, or at sign-out.
public actor Sessions {
    private var byToken: [String: Session] = [:]
    public let idleMilliseconds: UInt64

    public init(idleMilliseconds: UInt64 = 8 * 3600 * 1000) {
        self.idleMilliseconds = idleMilliseconds
    }

    /// A new session for `staff`; returns its secret token (the cookie or bearer value).
    public func open(staff: String, now: UInt64) -> String {
        let token = Self.randomToken()
        byToken[token] = Session(
            staff: staff, formToken: Self.randomToken(), openedAt: now, expiresAt: now + idleMilliseconds)
        return token
    }

    /// The session a token names, kept alive by this use; nil when unknown or expired.
    public func session(_ token: String?, now: UInt64) -> Session? {
        guard let token, var session = byToken[token] else { return nil }
        guard session.expiresAt > now else {
            byToken[token] = nil
            return nil
        }
        session.expiresAt = now + idleMilliseconds
        byToken[token] = session
        return session
    }

    public func close(_ token: String?) {
        if let token { byToken[token] = nil }
    }

    /// 32 random bytes as hex.
    static func randomToken() -> String {
        Hex.encode(Secret.randomBytes(32))
    }
}
