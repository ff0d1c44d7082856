/// What happened. Six kinds create a record; `corrected` and `retracted` amend one.
public enum EventKind: UInt8, CaseIterable, Sendable {
    case abductionReported = 1
    case childFound = 2
    case sightingReported = 3
    case identityMatched = 4
    case matchRejected = 5
    case reunited = 6
    case corrected = 7
    case retracted = 8

    /// The name in JSON and in `log`.
    public var name: String { "\(self)" }

    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    public var createsRecord: Bool { self != .corrected && self != .retracted }

    /// An abduction case or a found child: the two kinds that describe a child.
    public var describesChild: Bool { self == .abductionReported || self == .childFound }

    /// The kind's fields in their canonical order, each marked required or optional.
    public var schema: [(field: Field, required: Bool)] {
        Self.schemas[Int(rawValue) - 1]
    }

    /// Built once: decoding asks for a kind's schema for every field of every event.
    private static let schemas = allCases.map { $0.ownSchema + [(field: Field.recordedBy, required: false)] }

    private var ownSchema: [(field: Field, required: Bool)] {
        switch self {
        case .abductionReported:
            [
                (.childName, false), (.sex, true), (.born, false), (.missingSince, true), (.place, true),
                (.lat, false), (.lon, false), (.circumstances, false), (.marks, false), (.bloodType, false),
                (.reporterName, true), (.reporterRelation, false), (.contact, false), (.otherNames, false),
                (.heightCm, false), (.policeCaseNumber, false), (.birthCertificate, false), (.parentsDNA, false),
            ]
        case .childFound:
            [
                (.sex, true), (.place, true), (.lat, false), (.lon, false), (.circumstances, false),
                (.marks, false), (.bloodType, false), (.otherNames, false), (.heightCm, false),
                (.birthCertificate, false), (.foundOn, true), (.name, false), (.ageMonths, false),
                (.ageUncertaintyMonths, false), (.custody, false), (.reportedBy, true), (.childDNA, false),
            ]
        case .sightingReported:
            [
                (.place, false), (.lat, false), (.lon, false), (.seenOn, true), (.description, true),
                (.sourceUrl, false), (.caseId, false),
            ]
        case .identityMatched:
            [(.caseId, true), (.foundId, true), (.evidence, false), (.note, false), (.decidedBy, true)]
        case .matchRejected:
            [(.caseId, true), (.foundId, true), (.note, false), (.decidedBy, true)]
        case .reunited:
            [(.place, false), (.caseId, true), (.foundId, true), (.note, false), (.on, true)]
        case .corrected:
            [(.target, true), (.changes, true), (.reason, true)]
        case .retracted:
            [(.target, true), (.reason, true)]
        }
    }

    public func field(named name: String) -> Field? {
        schema.first { $0.field.name == name }?.field
    }

    public func has(_ field: Field) -> Bool {
        schema.contains { $0.field == field }
    }
}

/// The groups of records that people list and export.
public enum RecordGroup: String, CaseIterable, Sendable {
    case cases, found, sightings, matches, reunions

    public var kinds: [EventKind] {
        switch self {
        case .cases: [.abductionReported]
        case .found: [.childFound]
        case .sightings: [.sightingReported]
        case .matches: [.identityMatched, .matchRejected]
        case .reunions: [.reunited]
        }
    }
}
