import Foundation
import LedgerCore

/// The ledger kept in memory: folds its events, answers the rules' questions, and appends
/// drafts the way a node does.
struct MemoryLedger: LedgerLookup {
    let key: NodeKey
    private(set) var events: [Event] = []
    var clock = HybridTimestamp(milliseconds: 1_764_000_000_000, counter: 0)
    var today = 20_600  // 2026-05-26

    init(key: NodeKey = try! NodeKey(seed: Array(0..<32))) {
        self.key = key
    }

    var records: [EventID: Record] { Fold.records(from: events).records }

    func record(_ id: EventID) throws -> Record? { records[id] }

    func eventKind(_ id: EventID) throws -> EventKind? { events.first { $0.id == id }?.kind }

    func hasConfirmedMatch(caseId: EventID, foundId: EventID) throws -> Bool {
        records.values.contains {
            $0.kind == .identityMatched && !$0.retracted && $0.caseId == caseId && $0.foundId == foundId
        }
    }

    /// Adds an event built elsewhere, unchecked, as sync would.
    mutating func insert(_ event: Event) {
        events.append(event)
    }

    /// Checks and appends a draft given as JSON members; references must be whole ids.
    @discardableResult
    mutating func append(_ kind: EventKind, _ members: [(String, JSONValue)]) throws -> EventID {
        let draft = try EventDraft(kind: kind, members: members)
        var references: [Field: EventID] = [:]
        for (field, reference) in draft.references {
            guard case .id(let id) = reference else {
                throw LedgerError(.unknownRecord, field: field.name, "whole ids only")
            }
            references[field] = id
        }
        let fields = try LedgerRules.check(draft, references: references, in: self, today: today)
        clock = HybridTimestamp.next(after: clock, nowMilliseconds: clock.milliseconds + 1)
        let event = Event(
            origin: key.nodeID, seq: UInt64(events.count + 1), prev: events.last?.id, clock: clock, kind: kind,
            fields: fields)
        events.append(event)
        return event.id
    }
}

enum Vectors {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Protocol/vectors").standardized

    static func load(_ name: String) throws -> JSONValue {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONValue(parsing: String(decoding: data, as: UTF8.self))
    }
}

extension JSONValue {
    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var number: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    var array: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    var members: [(String, JSONValue)] {
        if case .object(let members) = self { return members }
        return []
    }
}

struct MissingInVector: Error {}

/// The bytes of a hex string in a vector file.
func hexBytes(_ value: JSONValue?) throws -> [UInt8] {
    guard let text = value?.string, let bytes = Hex.decode(text) else { throw MissingInVector() }
    return bytes
}

func kind(_ value: JSONValue?) throws -> EventKind {
    guard let name = value?.string, let kind = EventKind(name: name) else { throw MissingInVector() }
    return kind
}
