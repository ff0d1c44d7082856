import LedgerCore
import LedgerStore
import LedgerSync

/// The store as the wire codec's reference lookups.
extension LedgerStore {
    func locator(for remote: VersionVector) -> LocateReferences {
        { [self] ids in
            try positions(of: ids, heldBy: remote).mapValues { ChainPosition(origin: $0.origin, seq: $0.seq) }
        }
    }

    var resolver: ResolveReferences {
        { [self] positions in try ids(at: positions.map { ($0.origin, $0.seq) }) }
    }
}
