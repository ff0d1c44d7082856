import LedgerCore
import LedgerStore

extension Record {
    /// `id`, `kind`, `status`, the current fields, then when and where it was recorded, and the
    /// other records that name the same birth certificate serial, if any.
    public func json(status: RecordStatus, sharedCertificate: [EventID]? = nil) -> JSONValue {
        .object(
            [("id", .string(id.hex)), ("kind", .string(kind.name)), ("status", .string(status.rawValue))]
                + fields.jsonMembers
                + [("recordedAt", .string(createdAt.description)), ("origin", .string(origin.hex))]
                + (sharedCertificate.map { [("sharedBirthCertificate", .array($0.map { .string($0.hex) }))] } ?? []))
    }

    public func text(_ field: Field) -> String {
        fields[field]?.displayText ?? ""
    }

    public func shortID(_ field: Field) -> String {
        fields.record(field)?.short ?? ""
    }
}

extension Event {
    /// What a history line says about the event beyond its kind.
    public var summary: String {
        let by = fields.text(.recordedBy).map { " by \($0)" } ?? ""
        return what + by
    }

    private var what: String {
        switch kind {
        case .corrected:
            var parts: [String] = []
            if case .changes(let changes)? = fields[.changes] {
                parts = changes.map { "\($0.field.name) = \($0.value?.displayText ?? "(cleared)")" }
            }
            return parts.joined(separator: "; ") + " (reason: \(fields.text(.reason) ?? ""))"
        case .retracted:
            return "reason: \(fields.text(.reason) ?? "")"
        default:
            return "recorded"
        }
    }
}

extension LedgerStore {
    /// The record a typed id or prefix of 8 or more characters names; errors name `field`.
    public func record(named text: String, field: String) throws -> Record {
        let id = try resolve(EventDraft.Reference(parsing: .string(text), field: field), field: field)
        guard let record = try record(id) else {
            throw LedgerError(.wrongRecord, field: field, "\(id.short) is a correction or retraction, not a record")
        }
        return record
    }

    /// A record as `show --json` prints it: its JSON with status and shared certificate, and a
    /// `history` array of its events.
    public func document(of record: Record) throws -> JSONValue {
        let status = try statusBoard().status(of: record)
        let shared = try MatchingData.sharedCertificate(self, of: record)
        guard case .object(let members) = record.json(status: status, sharedCertificate: shared) else { return .null }
        return .object(members + [("history", .array(try history(of: record).map(\.event.json)))])
    }

    /// The trusted peers as `peers list --json` and `/api/v1/peers` print them: when each last
    /// synced, how many of this node's events it lacks (`behind`) and holds beyond them
    /// (`ahead`), and whether its origin was seen signing two histories.
    public func peersDocument() throws -> JSONValue {
        let local = try vector()
        let forked = try forkedOrigins()
        return .array(
            try peers().map { peer in
                .object([
                    ("nodeId", .string(peer.nodeID.hex)), ("name", .string(peer.name)),
                    ("url", peer.url.map { .string($0) } ?? .null), ("pullOnly", .bool(peer.pullOnly)),
                    (
                        "lastSyncAt",
                        peer.lastSyncAt.map { .string(HybridTimestamp(milliseconds: $0, counter: 0).description) }
                            ?? .null
                    ),
                    ("lastSyncResult", peer.lastSyncResult.map { .string($0) } ?? .null),
                    ("behind", peer.vector.map { .number(Double(local.eventsAhead(of: $0))) } ?? .null),
                    ("ahead", peer.vector.map { .number(Double($0.eventsAhead(of: local))) } ?? .null),
                    ("forked", .bool(forked.contains(peer.nodeID))),
                ])
            })
    }
}
