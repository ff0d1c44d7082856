import LedgerCore
import Matching
import Testing

/// A record as the fold would give it, from JSON fields as in `reunite import`.
func record(_ kind: EventKind, _ members: [(String, JSONValue)], number: UInt8) throws -> Record {
    try record(kind, members, id: EventID(bytes: [UInt8](repeating: number, count: 32)))
}

func record(_ kind: EventKind, _ members: [(String, JSONValue)], id: EventID) throws -> Record {
    var fields = FieldSet()
    for (name, json) in members {
        let field = try #require(kind.field(named: name), "\(kind) has no field \(name)")
        fields[field] = try FieldValue(json: json, for: field)
    }
    return Record(
        id: id, kind: kind, origin: NodeID(bytes: [UInt8](repeating: 0, count: 32)),
        createdAt: HybridTimestamp(rawValue: 0), fields: fields, retracted: false, history: [])
}

func description(_ kind: EventKind, _ members: [(String, JSONValue)], number: UInt8) throws -> ChildDescription {
    try #require(ChildDescription(record: try record(kind, members, number: number)))
}

/// The case of a boy missing since 2013 described only by his marks (record number 1).
func maleCase(marks: String) throws -> ChildDescription {
    try description(
        .abductionReported,
        [("sex", "male"), ("missingSince", "2013"), ("place", "x"), ("reporterName", "x"), ("marks", .string(marks))],
        number: 1)
}

/// A boy found in 2016 described only by his marks.
func maleFound(marks: String, _ number: UInt8) throws -> ChildDescription {
    try description(
        .childFound,
        [("foundOn", "2016"), ("place", "y"), ("sex", "male"), ("reportedBy", "y"), ("marks", .string(marks))],
        number: number)
}

func profile(_ loci: [String: [Double]]) throws -> DNAProfile {
    try DNAProfile(json: .object(loci.map { ($0.key, .array($0.value.map { .number($0) })) }))
}

func genotype(_ a: Double, _ b: Double) -> DNAProfile.Genotype {
    DNAProfile.Genotype(UInt32((a * 10).rounded()), UInt32((b * 10).rounded()))
}

func isClose(_ a: Double, _ b: Double, within tolerance: Double = 1e-3) -> Bool {
    abs(a - b) <= tolerance * max(abs(a), abs(b))
}
