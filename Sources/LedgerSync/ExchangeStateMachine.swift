import LedgerCore

/// The calling side of one sync exchange (Protocol/SYNC.md, "Exchange"). Pure: the driver
/// performs each action, stores what arrives, and reports back with the local vector as it
/// stands after storing.
///
/// hello → in sync: finish. Otherwise pull until the server has nothing more the caller
/// lacks, then push what the server lacks, batch by batch, until it holds everything or
/// refuses the rest.
public struct ExchangeStateMachine: Sendable {
    public enum Action: Equatable, Sendable {
        case sendHello(digest: [UInt8])
        case sendPull(VersionVector)
        /// Send runs the server lacks, judged by this estimate of its vector.
        case sendPush(serverVector: VersionVector)
        case finish
    }

    private enum State: Sendable {
        case idle, helloSent, pulling, pushing, finished
    }

    private var state = State.idle
    /// What the server holds, as far as this exchange knows.
    public private(set) var serverVector = VersionVector()
    private var lastPulledVector: VersionVector? = nil

    public init() {}

    public mutating func start(localVector: VersionVector) -> Action {
        precondition(state == .idle, "an exchange starts once")
        state = .helloSent
        return .sendHello(digest: localVector.digest)
    }

    public mutating func received(_ message: SyncMessage, localVector: VersionVector) throws(SyncError) -> Action {
        switch (state, message) {
        case (.helloSent, .helloAnswer(nil)):
            serverVector = localVector
            state = .finished
            return .finish
        case (.helloSent, .helloAnswer(let vector?)):
            serverVector = vector
            return nextAfterPulling(localVector: localVector, serverHasMore: vector.eventsAhead(of: localVector) > 0)
        case (.pulling, .batch(_, let more)):
            // A server that says "more" but moves the caller no further would loop forever.
            if more && lastPulledVector == localVector {
                throw SyncError(.malformed, "the server sent no new events but said it had more")
            }
            return nextAfterPulling(localVector: localVector, serverHasMore: more)
        case (.pushing, .pushAnswer(let stored, _)):
            if stored == 0 {
                state = .finished
                return .finish
            }
            return nextPush(localVector: localVector)
        default:
            throw SyncError(.malformed, "an unexpected message at this point of the exchange")
        }
    }

    /// After a push batch, the driver reports which runs the server stored.
    public mutating func serverStored(_ runs: [SignedRun]) {
        for run in runs {
            let last = run.events[run.events.count - 1]
            if (serverVector[run.origin]?.seq ?? 0) < last.seq {
                serverVector[run.origin] = ChainHead(seq: last.seq, id: last.id)
            }
        }
    }

    private mutating func nextAfterPulling(localVector: VersionVector, serverHasMore: Bool) -> Action {
        if serverHasMore {
            state = .pulling
            lastPulledVector = localVector
            return .sendPull(localVector)
        }
        return nextPush(localVector: localVector)
    }

    private mutating func nextPush(localVector: VersionVector) -> Action {
        guard localVector.eventsAhead(of: serverVector) > 0 else {
            state = .finished
            return .finish
        }
        state = .pushing
        return .sendPush(serverVector: serverVector)
    }
}
