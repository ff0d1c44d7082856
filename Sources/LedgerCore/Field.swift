/// One field of the event format. Tags are global across kinds, so a correction's changes
/// can be decoded without knowing the kind of the record it corrects (Protocol/EVENTS.md,
/// "Field registry"). A tag is never reused for another meaning.
public struct Field: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum ValueType: Sendable {
        case text, date, sex, bloodType, latitude, longitude, months, heightCm
        case dnaProfile, parentsDNA, record, evidence, changes
    }

    public let tag: UInt8
    /// The name in JSON, import files and `--set FIELD=VALUE`.
    public let name: String
    public let type: ValueType

    private init(_ tag: UInt8, _ name: String, _ type: ValueType) {
        self.tag = tag
        self.name = name
        self.type = type
    }

    public static func == (lhs: Field, rhs: Field) -> Bool { lhs.tag == rhs.tag }
    public func hash(into hasher: inout Hasher) { hasher.combine(tag) }
    public static func < (lhs: Field, rhs: Field) -> Bool { lhs.tag < rhs.tag }
    public var description: String { name }

    public static let childName = Field(1, "childName", .text)
    public static let sex = Field(2, "sex", .sex)
    public static let born = Field(3, "born", .date)
    public static let missingSince = Field(4, "missingSince", .date)
    public static let place = Field(5, "place", .text)
    public static let lat = Field(6, "lat", .latitude)
    public static let lon = Field(7, "lon", .longitude)
    public static let circumstances = Field(8, "circumstances", .text)
    public static let marks = Field(9, "marks", .text)
    public static let bloodType = Field(10, "bloodType", .bloodType)
    public static let reporterName = Field(11, "reporterName", .text)
    public static let reporterRelation = Field(12, "reporterRelation", .text)
    public static let contact = Field(13, "contact", .text)
    public static let otherNames = Field(14, "otherNames", .text)
    public static let heightCm = Field(15, "heightCm", .heightCm)
    public static let policeCaseNumber = Field(16, "policeCaseNumber", .text)
    public static let birthCertificate = Field(17, "birthCertificate", .text)
    public static let parentsDNA = Field(18, "dna", .parentsDNA)
    public static let foundOn = Field(19, "foundOn", .date)
    public static let name = Field(20, "name", .text)
    public static let ageMonths = Field(21, "ageMonths", .months)
    public static let ageUncertaintyMonths = Field(22, "ageUncertaintyMonths", .months)
    public static let custody = Field(23, "custody", .text)
    public static let reportedBy = Field(24, "reportedBy", .text)
    public static let childDNA = Field(25, "dna", .dnaProfile)
    public static let seenOn = Field(26, "seenOn", .date)
    public static let description = Field(27, "description", .text)
    public static let sourceUrl = Field(28, "sourceUrl", .text)
    public static let caseId = Field(29, "caseId", .record)
    public static let foundId = Field(30, "foundId", .record)
    public static let evidence = Field(31, "evidence", .evidence)
    public static let note = Field(32, "note", .text)
    public static let decidedBy = Field(33, "decidedBy", .text)
    public static let on = Field(34, "on", .date)
    public static let target = Field(35, "target", .record)
    public static let changes = Field(36, "changes", .changes)
    public static let reason = Field(37, "reason", .text)
    /// The staff member who entered the event through the web interface. It says who did
    /// something, not what the child is like, so every kind may carry it and no correction
    /// may change it.
    public static let recordedBy = Field(38, "recordedBy", .text)

    public static let all: [Field] = [
        childName, sex, born, missingSince, place, lat, lon, circumstances, marks, bloodType, reporterName,
        reporterRelation, contact, otherNames, heightCm, policeCaseNumber, birthCertificate, parentsDNA, foundOn,
        name, ageMonths, ageUncertaintyMonths, custody, reportedBy, childDNA, seenOn, description, sourceUrl,
        caseId, foundId, evidence, note, decidedBy, on, target, changes, reason, recordedBy,
    ]

    private static let byTag: [UInt8: Field] = Dictionary(uniqueKeysWithValues: all.map { ($0.tag, $0) })

    public init?(tag: UInt8) {
        guard let field = Self.byTag[tag] else { return nil }
        self = field
    }

    /// Fields that point at another record; a correction may not change them.
    public var isReference: Bool { type == .record }

    /// Whether a correction may change the field: not references, not a correction's own
    /// changes, not who recorded the event.
    public var isCorrectable: Bool { !isReference && type != .changes && self != .recordedBy }
}
