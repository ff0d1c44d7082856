/// A case, found child, sighting, match decision or reunion as it stands now: the fields of
/// the event that created it with every correction applied. The events themselves stay.
public struct Record: Hashable, Sendable {
    /// The id of the event that created the record.
    public let id: EventID
    public let kind: EventKind
    public let origin: NodeID
    public let createdAt: HybridTimestamp
    public internal(set) var fields: FieldSet
    public internal(set) var retracted: Bool
    /// The creating event, then every correction and retraction in fold order.
    public internal(set) var history: [EventID]

    public init(
        id: EventID, kind: EventKind, origin: NodeID, createdAt: HybridTimestamp, fields: FieldSet, retracted: Bool,
        history: [EventID]
    ) {
        self.id = id
        self.kind = kind
        self.origin = origin
        self.createdAt = createdAt
        self.fields = fields
        self.retracted = retracted
        self.history = history
    }

    public var caseId: EventID? { fields.record(.caseId) }
    public var foundId: EventID? { fields.record(.foundId) }
}

/// The pure fold from events to records (Protocol/EVENTS.md, "Folding"). The result depends
/// only on the set of events, never on the order they arrived in.
public enum Fold {
    /// A record from its creating event and the corrections and retractions that name it.
    /// Amendments apply in (clock, id) order, so two nodes agree on which correction is last.
    public static func record(creation: Event, amendments: some Sequence<Event>) -> Record {
        precondition(creation.kind.createsRecord, "a record starts with an event that creates one")
        var record = Record(
            id: creation.id, kind: creation.kind, origin: creation.origin, createdAt: creation.clock,
            fields: creation.fields, retracted: false, history: [creation.id])
        let ordered = amendments.filter { $0.record == creation.id && $0.id != creation.id }
            .sorted { ($0.clock, $0.id) < ($1.clock, $1.id) }
        for amendment in ordered {
            record.history.append(amendment.id)
            switch amendment.kind {
            case .retracted:
                record.retracted = true
            case .corrected:
                guard case .changes(let changes) = amendment.fields[.changes] else { continue }
                for change in changes where creation.kind.has(change.field) {
                    let required = creation.kind.schema.contains { $0.field == change.field && $0.required }
                    // A peer's correction is applied as written, except that no field the kind
                    // requires is ever cleared: the rule every node enforces before signing.
                    if change.value != nil || !required { record.fields[change.field] = change.value }
                }
            default:
                continue
            }
        }
        return record
    }

    /// Every record in a set of events, and the amendments whose record is not (yet) among them.
    public static func records(from events: some Sequence<Event>) -> (records: [EventID: Record], waiting: [EventID]) {
        var creations: [EventID: Event] = [:]
        var amendments: [EventID: [Event]] = [:]
        for event in events {
            if event.kind.createsRecord {
                creations[event.id] = event
            } else {
                amendments[event.record, default: []].append(event)
            }
        }
        var records: [EventID: Record] = [:]
        records.reserveCapacity(creations.count)
        for (id, creation) in creations {
            records[id] = record(creation: creation, amendments: amendments[id] ?? [])
        }
        let waiting = amendments.filter { creations[$0.key] == nil }.values.flatMap { $0.map(\.id) }.sorted()
        return (records, waiting)
    }
}
