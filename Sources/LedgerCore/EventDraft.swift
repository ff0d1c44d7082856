/// What someone asked to record, with every field value parsed and checked on its own,
/// before the ledger resolves references and checks it against other records.
public struct EventDraft: Sendable {
    /// How a draft names another record.
    public enum Reference: Hashable, Sendable {
        case id(EventID)
        /// At least 8 hex characters of an id.
        case prefix(String)
        /// The record created by line N (1-based) of the same import file.
        case line(Int)
    }

    public let kind: EventKind
    public var fields: FieldSet
    public var references: [Field: Reference]
    /// For `corrected`: the changes as written, read once the corrected record's kind is known.
    public var changes: [(name: String, value: JSONValue)]

    /// Reads the members of a draft: JSON field names and values. `null` means absent. Throws
    /// the first problem.
    public init(kind: EventKind, members: [(String, JSONValue)]) throws {
        var problems: [LedgerError] = []
        try self.init(kind: kind, members: members, problems: &problems)
        if let first = problems.first { throw first }
    }

    /// Every problem of the members, each naming its field, in the order `init` would meet
    /// them: what a form shows next to its inputs all at once. Empty when the draft reads.
    public static func problems(kind: EventKind, members: [(String, JSONValue)]) throws -> [LedgerError] {
        var problems: [LedgerError] = []
        _ = try EventDraft(kind: kind, members: members, problems: &problems)
        return problems
    }

    private init(kind: EventKind, members: [(String, JSONValue)], problems: inout [LedgerError]) throws {
        self.kind = kind
        fields = FieldSet()
        references = [:]
        changes = []
        for (name, value) in members {
            do {
                try read(name, value)
            } catch let problem as LedgerError {
                problems.append(problem)
            }
        }
        let given = Set(members.filter { $0.1 != .null }.map(\.0))
        for (field, required) in kind.schema where required && !given.contains(field.name) {
            problems.append(LedgerError(.missingField, field: field.name, "is required for \(kind.name)"))
        }
    }

    private mutating func read(_ name: String, _ value: JSONValue) throws {
        guard let field = kind.field(named: name) else {
            throw LedgerError(.unknownField, field: name, "\(kind.name) has no field \"\(name)\"")
        }
        if value == .null { return }
        switch field.type {
        case .record:
            references[field] = try Reference(parsing: value, field: field.name)
        case .changes:
            guard case .object(let members) = value, !members.isEmpty else {
                throw LedgerError(.invalidValue, field: name, "changes are an object such as {\"born\": \"2002-04\"}")
            }
            changes = members.map { (name: $0.0, value: $0.1) }
        default:
            fields[field] = try FieldValue(json: value, for: field)
        }
    }

    /// Reads one line of an import file: an object with `kind` and the kind's fields.
    public init(importLine json: JSONValue) throws {
        guard case .object(var members) = json else {
            throw LedgerError(.invalidJSON, "each line is a JSON object with a \"kind\"")
        }
        guard let kindIndex = members.firstIndex(where: { $0.0 == "kind" }) else {
            throw LedgerError(.missingField, field: "kind", "is required (abductionReported, childFound, ...)")
        }
        guard case .string(let name) = members[kindIndex].1, let kind = EventKind(name: name) else {
            let names = EventKind.allCases.map(\.name).joined(separator: ", ")
            throw LedgerError(.invalidValue, field: "kind", "\(members[kindIndex].1.jsonText) is not one of \(names)")
        }
        members.remove(at: kindIndex)
        try self.init(kind: kind, members: members)
    }
}

extension EventDraft.Reference {
    /// Reads how someone named a record: a whole id, 8 or more of its first hex characters, or
    /// `#N` for line N of an import file. `field` names it in errors.
    public init(parsing value: JSONValue, field: String) throws {
        guard case .string(let text) = value else {
            throw LedgerError(.invalidValue, field: field, "\(value.jsonText) is not a record id")
        }
        if text.hasPrefix("#") {
            guard let line = Int(text.dropFirst()), line >= 1 else {
                throw LedgerError(.invalidValue, field: field, "\"\(text)\" is not a line reference such as #3")
            }
            self = .line(line)
            return
        }
        let lowered = text.lowercased()
        guard lowered.count >= 8, lowered.count <= 64, lowered.utf8.allSatisfy({ Hex.nibble($0) != nil }) else {
            throw LedgerError(
                .invalidValue, field: field, "\"\(text)\" is not a record id (8 to 64 hex characters)")
        }
        if lowered.count == 64, let id = EventID(hex: lowered) {
            self = .id(id)
        } else {
            self = .prefix(lowered)
        }
    }
}
