import LedgerCore

/// Forged birth certificates are how trafficked babies get registered: the same serial recorded
/// for two different children, on any node, is flagged on both records.
public enum BirthCertificates {
    /// For each record whose certificate serial another record also names, those other records.
    /// A case and a found child confirmed as one child may share a certificate; any other two
    /// records may not. `confirmedPairs` holds (case, found child) ids of standing confirmations.
    public static func shared(
        among descriptions: some Sequence<ChildDescription>, confirmedPairs: Set<[EventID]> = []
    ) -> [EventID: [EventID]] {
        var holders: [String: [ChildDescription]] = [:]
        for description in descriptions {
            if let serial = description.certificateSerial { holders[serial, default: []].append(description) }
        }
        var shared: [EventID: [EventID]] = [:]
        for group in holders.values where group.count > 1 {
            for record in group {
                let others = group.filter { other in
                    other.id != record.id && !confirmedPairs.contains(pair(record, other))
                }
                if !others.isEmpty { shared[record.id] = others.map(\.id).sorted() }
            }
        }
        return shared
    }

    static func pair(_ a: ChildDescription, _ b: ChildDescription) -> [EventID] {
        a.side == .abductionCase ? [a.id, b.id] : [b.id, a.id]
    }
}
