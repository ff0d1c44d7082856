/// What the rules need to know about the ledger as it stands, including records created
/// earlier in the same import.
public protocol LedgerLookup {
    func record(_ id: EventID) throws -> Record?
    /// The kind of any event the ledger holds, record or not.
    func eventKind(_ id: EventID) throws -> EventKind?
    /// True when a confirmation of the pair stands (is not retracted).
    func hasConfirmedMatch(caseId: EventID, foundId: EventID) throws -> Bool
}

/// The rules a node enforces before it signs an event (Protocol/EVENTS.md, "Rules").
/// Events from peers were checked by their origin and are folded as they are.
public enum LedgerRules {
    /// Checks a draft whose references are resolved and returns the fields of the event to sign.
    /// `today` is the node's date as days since 1970-01-01.
    public static func check(
        _ draft: EventDraft, references: [Field: EventID], in ledger: some LedgerLookup, today: Int
    ) throws -> FieldSet {
        var fields = draft.fields
        for (field, id) in references { fields[field] = .record(id) }
        switch draft.kind {
        case .abductionReported, .childFound, .sightingReported:
            try checkOwnFields(of: draft.kind, fields, today: today)
            if let caseId = fields.record(.caseId) {
                _ = try standingRecord(caseId, as: .abductionReported, field: .caseId, in: ledger)
            }
        case .identityMatched, .matchRejected, .reunited:
            try checkOwnFields(of: draft.kind, fields, today: today)
            try checkPair(draft.kind, fields, in: ledger)
        case .corrected:
            let target = try amendable(fields, in: ledger)
            let changes = try readChanges(draft.changes, for: target.kind)
            var corrected = target.fields
            for change in changes { corrected[change.field] = change.value }
            try checkOwnFields(of: target.kind, corrected, today: today)
            fields[.changes] = .changes(changes)
        case .retracted:
            _ = try amendable(fields, in: ledger)
        }
        return fields
    }

    /// Rules within one record: no date in the future, no birth after the disappearance,
    /// coordinates in pairs.
    static func checkOwnFields(of kind: EventKind, _ fields: FieldSet, today: Int) throws {
        for (field, value) in fields.sorted {
            // One day of grace: a date typed in Beijing in the morning is still yesterday in UTC.
            if case .date(let date) = value, date.isSurelyAfter(day: today + 1) {
                throw LedgerError(.invalidValue, field: field.name, "\(date) is in the future")
            }
        }
        if let born = fields.date(.born), let missing = fields.date(.missingSince), missing.isSurelyBefore(born) {
            throw LedgerError(
                .ruleViolated, field: Field.missingSince.name, "\(missing) is before the birth date \(born)")
        }
        if (fields[.lat] == nil) != (fields[.lon] == nil) {
            throw LedgerError(.missingField, field: fields[.lat] == nil ? "lat" : "lon", "lat and lon go together")
        }
        if fields[.ageUncertaintyMonths] != nil && fields[.ageMonths] == nil {
            throw LedgerError(.missingField, field: Field.ageMonths.name, "an age uncertainty needs an age")
        }
        _ = kind
    }

    /// Rules between a match decision or reunion and the case and found child it names.
    private static func checkPair(_ kind: EventKind, _ fields: FieldSet, in ledger: some LedgerLookup) throws {
        guard let caseId = fields.record(.caseId), let foundId = fields.record(.foundId) else {
            preconditionFailure("drafts of \(kind.name) always carry caseId and foundId")
        }
        let abduction = try standingRecord(caseId, as: .abductionReported, field: .caseId, in: ledger)
        let found = try standingRecord(foundId, as: .childFound, field: .foundId, in: ledger)
        guard let foundOn = found.fields.date(.foundOn) else { return }
        switch kind {
        case .identityMatched:
            if let born = abduction.fields.date(.born), foundOn.isSurelyBefore(born) {
                throw LedgerError(
                    .ruleViolated, field: Field.foundId.name,
                    "the child was found on \(foundOn), before this case's child was born (\(born))")
            }
            if let missing = abduction.fields.date(.missingSince), foundOn.isSurelyBefore(missing) {
                throw LedgerError(
                    .ruleViolated, field: Field.foundId.name,
                    "the child was found on \(foundOn), before this case's child went missing (\(missing))")
            }
        case .reunited:
            guard try ledger.hasConfirmedMatch(caseId: caseId, foundId: foundId) else {
                throw LedgerError(
                    .ruleViolated, field: Field.foundId.name,
                    "no confirmed match between case \(caseId.short) and found child \(foundId.short); confirm the match first"
                )
            }
            if let on = fields.date(.on), on.isSurelyBefore(foundOn) {
                throw LedgerError(
                    .ruleViolated, field: Field.on.name, "\(on) is before the child was found (\(foundOn))")
            }
        default:
            break
        }
    }

    private static func standingRecord(
        _ id: EventID, as kind: EventKind, field: Field, in ledger: some LedgerLookup
    ) throws -> Record {
        guard let record = try ledger.record(id) else {
            throw LedgerError(.unknownRecord, field: field.name, "\(id.short) names no record")
        }
        let noun = kind == .abductionReported ? "an abduction case" : "a found child"
        guard record.kind == kind else {
            throw LedgerError(.wrongRecord, field: field.name, "\(id.short) is \(record.kind.name), not \(noun)")
        }
        guard !record.retracted else {
            throw LedgerError(.wrongRecord, field: field.name, "\(id.short) was retracted")
        }
        return record
    }

    /// The record a correction or retraction names: it must exist, create a record, and stand.
    private static func amendable(_ fields: FieldSet, in ledger: some LedgerLookup) throws -> Record {
        guard let id = fields.record(.target) else { preconditionFailure("amendments always carry a target") }
        guard let record = try ledger.record(id) else {
            switch try ledger.eventKind(id) {
            case .retracted?:
                throw LedgerError(
                    .wrongRecord, field: "target", "\(id.short) is a retraction; a retraction cannot be amended")
            case .corrected?:
                throw LedgerError(
                    .wrongRecord, field: "target", "\(id.short) is a correction; correct or retract the record itself")
            default:
                throw LedgerError(.unknownRecord, field: "target", "\(id.short) names no record")
            }
        }
        guard !record.retracted else {
            throw LedgerError(.wrongRecord, field: "target", "\(id.short) is already retracted")
        }
        return record
    }

    private static func readChanges(_ written: [(name: String, value: JSONValue)], for kind: EventKind) throws
        -> [FieldChange]
    {
        var changes: [Field: FieldValue?] = [:]
        for (name, value) in written {
            guard let field = kind.field(named: name) else {
                throw LedgerError(.unknownField, field: name, "\(kind.name) records have no field \"\(name)\"")
            }
            guard field.isCorrectable else {
                throw LedgerError(
                    .invalidValue, field: name,
                    field == .recordedBy
                        ? "says who recorded an event and cannot be corrected"
                        : "cannot be corrected; retract the record and record it again")
            }
            let clears = value == .null || value == .string("")
            if clears {
                if kind.schema.contains(where: { $0.field == field && $0.required }) {
                    throw LedgerError(.missingField, field: name, "is required for \(kind.name) and cannot be cleared")
                }
                changes[field] = .some(nil)
            } else {
                changes[field] = try FieldValue(json: value, for: field)
            }
        }
        return changes.sorted { $0.key < $1.key }.map { FieldChange(field: $0.key, value: $0.value) }
    }
}
