import Foundation
import GRDB
import LedgerCore

/// The ledger as one append transaction sees it: the stored records, overlaid with the
/// records that the drafts before the current one create or amend.
final class PendingBatch: LedgerLookup {
    private let db: Database
    private var creations: [EventID: Event] = [:]
    private var amendments: [EventID: [Event]] = [:]
    private var kinds: [EventID: EventKind] = [:]
    private var confirmationsByPair: [[UInt8]: [EventID]] = [:]
    private var recordsByLine: [Int: EventID] = [:]
    private(set) var records: [EventID: Record] = [:]
    private(set) var newEvents: [Event] = []
    private(set) var touchedRecords: [EventID] = []

    init(db: Database) {
        self.db = db
    }

    func resolve(_ reference: EventDraft.Reference, field: Field, line: Int) throws -> EventID {
        switch reference {
        case .id(let id):
            return id
        case .line(let number):
            guard number < line, let id = recordsByLine[number] else {
                throw LedgerError(
                    .unknownRecord, field: field.name,
                    "#\(number) is not an earlier line of this file that created a record")
            }
            return id
        case .prefix(let prefix):
            let matches = Set(
                try LedgerStore.ids(withPrefix: prefix, db: db)
                    + newEvents.map(\.id).filter { $0.hex.hasPrefix(prefix) })
            guard matches.count == 1 else {
                throw LedgerError(
                    .unknownRecord, field: field.name,
                    matches.isEmpty
                        ? "\(prefix) names no record" : "\(prefix) names more than one record; give more characters")
            }
            return matches.first!
        }
    }

    func add(_ event: Event, line: Int) throws {
        if event.kind.createsRecord {
            creations[event.id] = event
            amendments[event.id] = []
            records[event.id] = Fold.record(creation: event, amendments: [])
            recordsByLine[line] = event.id
            touchedRecords.append(event.id)
            if event.kind == .identityMatched, let key = Self.pairKey(event.fields) {
                confirmationsByPair[key, default: []].append(event.id)
            }
        } else {
            let target = event.record
            if creations[target] == nil {
                try loadStoredEvents(of: target)
                touchedRecords.append(target)
            }
            amendments[target, default: []].append(event)
            records[target] = Fold.record(creation: creations[target]!, amendments: amendments[target]!)
        }
        kinds[event.id] = event.kind
        newEvents.append(event)
    }

    private func loadStoredEvents(of recordID: EventID) throws {
        let events = try Data.fetchAll(
            db, sql: "SELECT body FROM event WHERE id = ?1 OR record = ?1", arguments: [Data(recordID.bytes)]
        )
        .map { try Event(canonicalBytes: [UInt8]($0)) }
        guard let creation = events.first(where: { $0.id == recordID }) else {
            preconditionFailure("the rules let an amendment through only for a stored record")
        }
        creations[recordID] = creation
        amendments[recordID] = events.filter { $0.id != recordID }
    }

    private static func pairKey(_ fields: FieldSet) -> [UInt8]? {
        guard let caseId = fields.record(.caseId), let foundId = fields.record(.foundId) else { return nil }
        return caseId.bytes + foundId.bytes
    }

    // MARK: LedgerLookup

    func record(_ id: EventID) throws -> Record? {
        if let record = records[id] { return record }
        return try LedgerStore.record(id, db: db)
    }

    func eventKind(_ id: EventID) throws -> EventKind? {
        if let kind = kinds[id] { return kind }
        return try Int64.fetchOne(db, sql: "SELECT kind FROM event WHERE id = ?", arguments: [Data(id.bytes)])
            .flatMap { EventKind(rawValue: UInt8($0)) }
    }

    func hasConfirmedMatch(caseId: EventID, foundId: EventID) throws -> Bool {
        let stored = try Data.fetchAll(
            db, sql: "SELECT id FROM record WHERE kind = ? AND caseId = ? AND foundId = ?",
            arguments: [Int64(EventKind.identityMatched.rawValue), Data(caseId.bytes), Data(foundId.bytes)]
        ).map { EventID(bytes: [UInt8]($0)) }
        let pending = confirmationsByPair[caseId.bytes + foundId.bytes] ?? []
        return try (stored + pending).contains { try record($0)?.retracted == false }
    }
}
