/// The value of one field. Each case has exactly one canonical byte form
/// (Protocol/EVENTS.md, "Values") and one JSON form.
public enum FieldValue: Hashable, Sendable {
    case text(String)
    case date(PartialDate)
    case sex(Sex)
    case bloodType(BloodType)
    /// Latitude or longitude in millionths of a degree (about 11 cm).
    case microdegrees(Int64)
    case months(UInt64)
    /// Height in tenths of a centimetre.
    case tenths(UInt64)
    case dna(DNAProfile)
    case parentsDNA(mother: DNAProfile?, father: DNAProfile?)
    case record(EventID)
    case evidence([Evidence])
    case changes([FieldChange])

    public static let maxTextBytes = 4000
    static let maxMonths: UInt64 = 1200
    static let maxTenthsOfCm: UInt64 = 3000
    static let maxLoci = 100
}

/// One change in a correction: a new value, or `nil` to clear an optional field.
public struct FieldChange: Hashable, Sendable {
    public let field: Field
    public let value: FieldValue?

    public init(field: Field, value: FieldValue?) {
        self.field = field
        self.value = value
    }
}

// MARK: - Parsing what people and files give us

extension FieldValue {
    /// Reads a value for `field` from JSON. Command-line options arrive as JSON strings, so
    /// numbers and lists are also accepted in their text form (`"31.23"`, `"dna,marks"`).
    public init(json: JSONValue, for field: Field) throws {
        do {
            self = try Self.parse(json, type: field.type)
        } catch var error as LedgerError {
            error.field = error.field ?? field.name
            throw error
        }
    }

    private static func parse(_ json: JSONValue, type: Field.ValueType) throws -> FieldValue {
        switch type {
        case .text: return .text(try text(json))
        case .date: return .date(try PartialDate(parsing: try string(json, expected: "a date")))
        case .sex: return .sex(try Sex(parsing: try string(json, expected: "male, female or unknown")))
        case .bloodType: return .bloodType(try BloodType(parsing: try string(json, expected: "a blood type")))
        case .latitude: return .microdegrees(try coordinate(json, limit: 90))
        case .longitude: return .microdegrees(try coordinate(json, limit: 180))
        case .months:
            // An estimated age is kept to the month, as a height to the tenth of a centimetre: a
            // file computing 40.37 months from days is taken, not refused whole.
            let value = try number(json).rounded()
            guard value >= 0, value <= Double(maxMonths) else {
                throw LedgerError(.invalidValue, "\(json.jsonText) is not a number of months from 0 to \(maxMonths)")
            }
            return .months(UInt64(value))
        case .heightCm:
            let value = try number(json)
            guard value >= 20, value <= 300 else {
                throw LedgerError(.invalidValue, "\(json.jsonText) is not a height in centimetres (20 to 300)")
            }
            return .tenths(UInt64((value * 10).rounded()))
        case .dnaProfile: return .dna(try DNAProfile(json: json))
        case .parentsDNA:
            guard case .object(let members) = json, !members.isEmpty,
                members.allSatisfy({ $0.0 == "mother" || $0.0 == "father" })
            else {
                throw LedgerError(
                    .invalidValue, "the parents' DNA is {\"mother\": {...}, \"father\": {...}}, either or both")
            }
            return .parentsDNA(
                mother: try json["mother"].map { try DNAProfile(json: $0) },
                father: try json["father"].map { try DNAProfile(json: $0) })
        case .evidence:
            let names: [String]
            switch json {
            case .array(let items): names = try items.map { try string($0, expected: "evidence") }
            case .string(let list): names = list.split(separator: ",").map { String($0).trimming(" ") }
            default: throw LedgerError(.invalidValue, "evidence is a list such as [\"dna\", \"marks\"]")
            }
            let evidence = Set(try names.map { try Evidence(parsing: $0) })
            guard !evidence.isEmpty else { throw LedgerError(.invalidValue, "evidence is empty") }
            return .evidence(evidence.sorted())
        case .record:
            let id = try string(json, expected: "a record id")
            guard let parsed = EventID(hex: id) else {
                throw LedgerError(.invalidValue, "\"\(id)\" is not a record id")
            }
            return .record(parsed)
        case .changes:
            throw LedgerError(.invalidValue, "changes are read against the corrected record's kind")
        }
    }

    private static func string(_ json: JSONValue, expected: String) throws -> String {
        guard case .string(let text) = json else {
            throw LedgerError(.invalidValue, "\(json.jsonText) is not \(expected) (expected a string)")
        }
        return text
    }

    /// Free text: trimmed, not empty, at most 4000 bytes, no control characters but newline and tab.
    private static func text(_ json: JSONValue) throws -> String {
        let text = try string(json, expected: "text").trimming(" \n\t\r")
        guard !text.isEmpty else { throw LedgerError(.invalidValue, "is empty") }
        guard text.utf8.count <= maxTextBytes else {
            throw LedgerError(.invalidValue, "is \(text.utf8.count) bytes long; the limit is \(maxTextBytes)")
        }
        guard
            !text.unicodeScalars.contains(where: {
                $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t"
            })
        else { throw LedgerError(.invalidValue, "contains a control character") }
        return text
    }

    private static func number(_ json: JSONValue) throws -> Double {
        switch json {
        case .number(let value): return value
        case .string(let text):
            if let value = Double(text.trimming(" ")), value.isFinite { return value }
        default: break
        }
        throw LedgerError(.invalidValue, "\(json.jsonText) is not a number")
    }

    private static func coordinate(_ json: JSONValue, limit: Double) throws -> Int64 {
        let value = try number(json)
        guard abs(value) <= limit else {
            throw LedgerError(.invalidValue, "\(json.jsonText) is outside -\(Int(limit)) to \(Int(limit)) degrees")
        }
        return Int64((value * 1_000_000).rounded())
    }
}

extension String {
    /// The string without the given characters at either end.
    public func trimming(_ set: String) -> String {
        let isTrimmed = { (c: Character) in set.contains(c) }
        guard let start = firstIndex(where: { !isTrimmed($0) }), let end = lastIndex(where: { !isTrimmed($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}

// MARK: - JSON output

extension FieldValue {
    public var json: JSONValue {
        switch self {
        case .text(let text): .string(text)
        case .date(let date): .string(date.description)
        case .sex(let sex): .string(sex.name)
        case .bloodType(let type): .string(type.description)
        case .microdegrees(let value): .number(Double(value) / 1_000_000)
        case .months(let value): .number(Double(value))
        case .tenths(let value): .number(Double(value) / 10)
        case .dna(let profile): profile.json
        case .parentsDNA(let mother, let father):
            .object(
                [("mother", mother?.json), ("father", father?.json)].compactMap { key, value in value.map { (key, $0) }
                })
        case .record(let id): .string(id.hex)
        case .evidence(let items): .array(items.map { .string($0.name) })
        case .changes(let changes): .object(changes.map { ($0.field.name, $0.value?.json ?? .null) })
        }
    }

    /// Short text for tables and CSV cells.
    public var displayText: String {
        switch self {
        case .text(let text): text
        case .evidence(let items): items.map(\.name).joined(separator: ",")
        default:
            switch json {
            case .string(let text): text
            case let other: other.jsonText
            }
        }
    }
}

// MARK: - Canonical bytes

extension FieldValue {
    func encode(into writer: inout ByteWriter, shortReference: ((EventID) -> UInt64?)? = nil) {
        switch self {
        case .text(let text): writer.text(text)
        case .date(let date):
            writer.uint16(UInt16(date.year))
            writer.byte(UInt8(date.month ?? 0))
            writer.byte(UInt8(date.day ?? 0))
        case .sex(let sex): writer.byte(sex.rawValue)
        case .bloodType(let type): writer.byte(type.code)
        case .microdegrees(let value): writer.svarint(value)
        case .months(let value), .tenths(let value): writer.uvarint(value)
        case .dna(let profile): Self.encode(profile, into: &writer)
        case .parentsDNA(let mother, let father):
            writer.byte((mother == nil ? 0 : 1) | (father == nil ? 0 : 2))
            if let mother { Self.encode(mother, into: &writer) }
            if let father { Self.encode(father, into: &writer) }
        case .record(let id):
            if let shortReference {
                // Sync's form (Protocol/SYNC.md, "References"): 1 and an index into the batch's
                // table of events the receiver holds, or 0 and the whole id.
                if let index = shortReference(id) {
                    writer.byte(1)
                    writer.uvarint(index)
                } else {
                    writer.byte(0)
                    writer.raw(id.bytes)
                }
            } else {
                writer.raw(id.bytes)
            }
        case .evidence(let items):
            writer.uvarint(UInt64(items.count))
            for item in items { writer.byte(item.rawValue) }
        case .changes(let changes):
            writer.uvarint(UInt64(changes.count))
            for change in changes {
                writer.byte(change.field.tag)
                if let value = change.value {
                    writer.byte(1)
                    value.encode(into: &writer)
                } else {
                    writer.byte(0)
                }
            }
        }
    }

    private static func encode(_ profile: DNAProfile, into writer: inout ByteWriter) {
        writer.uvarint(UInt64(profile.sortedLoci.count))
        for locus in profile.sortedLoci {
            writer.text(locus.name)
            writer.uvarint(UInt64(locus.genotype.first))
            writer.uvarint(UInt64(locus.genotype.second))
        }
    }

    static func decode(
        _ type: Field.ValueType, from reader: inout ByteReader, shortReference: ((UInt64) throws -> EventID)? = nil
    ) throws -> FieldValue {
        func bad(_ why: String) -> LedgerError { LedgerError(.malformedEvent, why) }
        switch type {
        case .text:
            let text = try reader.text(maxBytes: maxTextBytes)
            guard !text.isEmpty else { throw bad("empty text") }
            return .text(text)
        case .date:
            let year = Int(try reader.uint16())
            let month = Int(try reader.byte())
            let day = Int(try reader.byte())
            guard month != 0 || day == 0 else { throw bad("a date with a day but no month") }
            do {
                return .date(try PartialDate(year: year, month: month == 0 ? nil : month, day: day == 0 ? nil : day))
            } catch {
                throw bad("impossible date")
            }
        case .sex:
            guard let sex = Sex(rawValue: try reader.byte()) else { throw bad("unknown sex code") }
            return .sex(sex)
        case .bloodType:
            guard let type = BloodType(code: try reader.byte()) else { throw bad("unknown blood type code") }
            return .bloodType(type)
        case .latitude, .longitude:
            let value = try reader.svarint()
            let limit: Int64 = type == .latitude ? 90_000_000 : 180_000_000
            // Not abs(value): the farthest value a peer can send, -2^63, has no absolute value.
            guard (-limit...limit).contains(value) else { throw bad("coordinate out of range") }
            return .microdegrees(value)
        case .months:
            let value = try reader.uvarint()
            guard value <= maxMonths else { throw bad("months out of range") }
            return .months(value)
        case .heightCm:
            let value = try reader.uvarint()
            guard (200...maxTenthsOfCm).contains(value) else { throw bad("height out of range") }
            return .tenths(value)
        case .dnaProfile: return .dna(try decodeProfile(from: &reader))
        case .parentsDNA:
            let flags = try reader.byte()
            guard (1...3).contains(flags) else { throw bad("parents' DNA flags must be 1, 2 or 3") }
            let mother = flags & 1 != 0 ? try decodeProfile(from: &reader) : nil
            let father = flags & 2 != 0 ? try decodeProfile(from: &reader) : nil
            return .parentsDNA(mother: mother, father: father)
        case .record:
            guard let shortReference else { return .record(EventID(bytes: try reader.raw(32))) }
            switch try reader.byte() {
            case 0: return .record(EventID(bytes: try reader.raw(32)))
            case 1: return .record(try shortReference(try reader.uvarint()))
            default: throw bad("a reference is 0 and an id, or 1 and a table index")
            }
        case .evidence:
            let count = try reader.length(max: Evidence.allCases.count)
            guard count > 0 else { throw bad("empty evidence") }
            var items: [Evidence] = []
            for _ in 0..<count {
                guard let item = Evidence(rawValue: try reader.byte()), items.last.map({ $0 < item }) ?? true else {
                    throw bad("evidence codes must be known and ascending")
                }
                items.append(item)
            }
            return .evidence(items)
        case .changes:
            let count = try reader.length(max: Field.all.count)
            guard count > 0 else { throw bad("a correction with no changes") }
            var changes: [FieldChange] = []
            for _ in 0..<count {
                guard let field = Field(tag: try reader.byte()), field.isCorrectable,
                    changes.last.map({ $0.field < field }) ?? true
                else { throw bad("changes must name known, correctable fields in ascending tag order") }
                switch try reader.byte() {
                case 0: changes.append(FieldChange(field: field, value: nil))
                case 1: changes.append(FieldChange(field: field, value: try decode(field.type, from: &reader)))
                default: throw bad("a change is 0 (clear) or 1 (set)")
                }
            }
            return .changes(changes)
        }
    }

    private static func decodeProfile(from reader: inout ByteReader) throws -> DNAProfile {
        let count = try reader.length(max: maxLoci)
        guard count > 0 else { throw LedgerError(.malformedEvent, "empty DNA profile") }
        var loci: [DNAProfile.Locus] = []
        loci.reserveCapacity(count)
        // Names come in the order of the known names' bytes, so each is looked for after the
        // last: no string is made or hashed for the hundred thousand profiles a node reads.
        let known = DNAProfile.knownLociInByteOrder
        var next = 0
        for _ in 0..<count {
            let name = try reader.slice(reader.length(max: 32))
            while next < known.count, !known[next].utf8.elementsEqual(name) { next += 1 }
            guard next < known.count else {
                throw LedgerError(.malformedEvent, "DNA loci must be known STRBase names in ascending order")
            }
            let locus = known[next].name
            next += 1
            let first = try reader.uvarint()
            let second = try reader.uvarint()
            guard first >= 1, first <= second, second <= 1000 else {
                throw LedgerError(.malformedEvent, "alleles must be ascending repeat numbers in tenths, 1 to 1000")
            }
            loci.append(DNAProfile.Locus(name: locus, genotype: DNAProfile.Genotype(UInt32(first), UInt32(second))))
        }
        return DNAProfile(canonicallySorted: loci)
    }
}
