import LedgerCore

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

    /// Who the child is, in one line: name, sex, birth or age, when and where.
    public var summary: String {
        let parts: [String] =
            kind == .abductionReported
            ? [
                text(.childName), text(.sex), fields[.born].map { "born \($0.displayText)" } ?? "",
                "missing since \(text(.missingSince))", text(.place),
            ]
            : [
                text(.name), text(.sex),
                fields[.ageMonths].map { "about \($0.displayText) months old" } ?? "",
                "found on \(text(.foundOn))", text(.place),
            ]
        return parts.filter { !$0.isEmpty }.joined(separator: " · ")
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
