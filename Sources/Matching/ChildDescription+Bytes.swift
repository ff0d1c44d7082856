import LedgerCore

/// Descriptions as bytes, for a node to keep what describing its records gave between
/// processes (NodeReading's PreparedRecords): reading them back is several times quicker than
/// describing the records again. A place, a marks text or a list of names that many records
/// share is written once and named by its number after that, as `describe` reads it once.
/// Not a format another implementation reads: it changes with the matcher, and a cache written
/// by another build of it is never read.
extension ChildDescription {
    /// Descriptions as bytes: in stretches of `stretch`, each written (and read back) on its own
    /// core with its own readings.
    public static func bytes(of descriptions: [ChildDescription]) -> [UInt8] {
        let sections = Parallel.map(Array(stride(from: 0, to: descriptions.count, by: stretch)), chunkSize: 1) {
            start in
            var writer = Writer()
            for description in descriptions[start..<min(start + stretch, descriptions.count)] {
                description.write(to: &writer)
            }
            return (count: min(start + stretch, descriptions.count) - start, bytes: writer.bytes.bytes)
        }
        var bytes = ByteWriter(capacity: 16 + sections.reduce(0) { $0 + $1.bytes.count })
        bytes.uvarint(UInt64(sections.count))
        for section in sections {
            bytes.uvarint(UInt64(section.count))
            bytes.uvarint(UInt64(section.bytes.count))
        }
        for section in sections { bytes.raw(section.bytes) }
        return bytes.bytes
    }

    static let stretch = 4_096

    /// What `bytes(of:)` wrote.
    public static func read(_ bytes: [UInt8]) throws -> [ChildDescription] {
        var reader = ByteReader(bytes)
        var sections: [(count: Int, bytes: Range<Int>)] = []
        for _ in 0..<(try reader.length(max: bytes.count)) {
            sections.append((try reader.length(max: stretch), 0..<(try reader.length(max: bytes.count))))
        }
        var start = reader.offset
        for index in sections.indices {
            let length = sections[index].bytes.count
            guard length <= bytes.count - start else { throw LedgerError(.malformedEvent, "a section is cut short") }
            sections[index].bytes = start..<start + length
            start += length
        }
        guard start == bytes.count else { throw LedgerError(.malformedEvent, "bytes after the last section") }
        return try Parallel.map(sections, chunkSize: 1) { section in
            Result {
                var reader = Reader(bytes: ByteReader(Array(bytes[section.bytes])))
                let read = try (0..<section.count).map { _ in try ChildDescription(from: &reader) }
                guard reader.bytes.isAtEnd else {
                    throw LedgerError(.malformedEvent, "a section is longer than it says")
                }
                return read
            }
        }.flatMap { try $0.get() }
    }

    /// The readings written so far, by their number.
    struct Writer {
        var places: [String: UInt64] = [:]
        var marks: [String?: UInt64] = [:]
        var names: [[String]: UInt64] = [:]
        var bytes = ByteWriter(capacity: 1 << 16)
    }

    /// The readings read so far, by their number.
    struct Reader {
        var bytes: ByteReader
        var places: [(text: String, codes: [UInt64], soundCodes: [UInt64])] = []
        var marks: [(text: String?, marks: [Mark], otherFeatures: [(word: String, code: UInt64)])] = []
        var names: [NameSounds] = []
    }

    func write(to writer: inout Writer) {
        writer.bytes.raw(id.bytes)
        writer.bytes.byte(side == .abductionCase ? 0 : 1)
        writer.bytes.byte(sex?.rawValue ?? 0)
        writer.bytes.uint16(UInt16(born?.year ?? 0))
        writer.bytes.byte(UInt8(born?.month ?? 0))
        writer.bytes.byte(UInt8(born?.day ?? 0))
        writer.optionalPair(estimatedBirth.map { ($0.day, $0.spread) })
        writer.bytes.svarint(Int64(eventDays.lowerBound))
        writer.bytes.svarint(Int64(eventDays.upperBound))
        writer.optionalPair(coordinates.map { ($0.lat, $0.lon) })
        writer.bytes.byte(bloodGroup?.rawValue ?? 0)
        writer.reading(placeText, in: \.places) { bytes in
            bytes.text(placeText)
            bytes.codes(placeCodes)
            bytes.codes(placeSoundCodes)
        }
        writer.reading(names, in: \.names) { bytes in
            bytes.strings(names)
            bytes.codes(nameSounds.syllableCodes.flatMap { [$0.syllable, $0.key] })
            for codes in [
                nameSounds.keyCodes, nameSounds.sequenceCodes, nameSounds.foldedSequenceCodes,
                nameSounds.wholeNameCodes,
            ] {
                bytes.codes(codes)
            }
            bytes.codes(nameSounds.alternativeKeys.flatMap { [$0.0, $0.1] })
        }
        writer.bytes.byte(home == nil ? 0 : 1)
        if let home {
            writer.bytes.text(home.text)
            writer.bytes.codes(home.codes)
            writer.bytes.codes(home.soundCodes)
        }
        writer.bytes.uvarint(UInt64(parentNames.count))
        for parent in parentNames {
            writer.bytes.byte(parent.parent.rawValue)
            writer.bytes.text(parent.name)
            writer.bytes.codes(parent.wholeNameCodes)
            writer.bytes.codes(parent.keyCodes)
        }
        writer.reading(marksText, in: \.marks) { bytes in
            bytes.byte(marksText == nil ? 0 : 1)
            bytes.text(marksText ?? "")
            bytes.uvarint(UInt64(marks.count))
            for mark in marks {
                bytes.byte(UInt8(Mark.Kind.allCases.firstIndex(of: mark.kind)!))
                bytes.byte(mark.bodyPart.map { UInt8(Mark.BodyPart.allCases.firstIndex(of: $0)! + 1) } ?? 0)
                bytes.byte(mark.side.map { $0 == .left ? 1 : 2 } ?? 0)
            }
            bytes.strings(otherFeatures.map(\.word))
        }
        for table in [childDNA, motherDNA, fatherDNA] {
            guard let table else {
                writer.bytes.byte(0)
                continue
            }
            writer.bytes.byte(1)
            writer.bytes.uvarint(UInt64(table.typedSlots.count))
            for slot in table.typedSlots {
                writer.bytes.uvarint(UInt64(slot))
                writer.bytes.uvarint(UInt64(table.packed[slot]))
            }
        }
        writer.bytes.byte(certificateSerial == nil ? 0 : 1)
        if let certificateSerial { writer.bytes.text(certificateSerial) }
    }

    convenience init(from reader: inout Reader) throws {
        let id = EventID(bytes: try reader.bytes.raw(32))
        let side: Side = try reader.bytes.byte() == 0 ? .abductionCase : .foundChild
        let sex = Sex(rawValue: try reader.bytes.byte()).flatMap { $0 == .unknown ? nil : $0 }
        let year = Int(try reader.bytes.uint16())
        let month = Int(try reader.bytes.byte())
        let day = Int(try reader.bytes.byte())
        let born =
            year == 0 ? nil : try PartialDate(year: year, month: month == 0 ? nil : month, day: day == 0 ? nil : day)
        let estimatedBirth = try reader.optionalPair()
        let (first, last) = (Int(try reader.bytes.svarint()), Int(try reader.bytes.svarint()))
        guard first <= last else { throw LedgerError(.malformedEvent, "the days of an event run backwards") }
        let coordinates = try reader.optionalPair()
        let bloodGroup = BloodType.Group(rawValue: try reader.bytes.byte())
        let place = try reader.reading(in: \.places) { bytes in
            (try bytes.text(maxBytes: 1 << 16), try bytes.codes(), try bytes.codes())
        }
        let nameSounds = try reader.reading(in: \.names) { bytes in
            let names = try bytes.strings()
            let syllableCodes = try bytes.codes()
            let codes = try (0..<4).map { _ in try bytes.codes() }
            let alternatives = try bytes.codes()
            guard syllableCodes.count.isMultiple(of: 2), alternatives.count.isMultiple(of: 2) else {
                throw LedgerError(.malformedEvent, "codes come in pairs")
            }
            return NameSounds(
                names: names,
                syllableCodes: stride(from: 0, to: syllableCodes.count, by: 2).map {
                    (syllableCodes[$0], syllableCodes[$0 + 1])
                },
                keyCodes: codes[0], sequenceCodes: codes[1], foldedSequenceCodes: codes[2], wholeNameCodes: codes[3],
                alternativeKeys: stride(from: 0, to: alternatives.count, by: 2).map {
                    (alternatives[$0], alternatives[$0 + 1])
                })
        }
        let home =
            try reader.bytes.byte() == 1
            ? (try reader.bytes.text(maxBytes: 1 << 16), try reader.bytes.codes(), try reader.bytes.codes()) : nil
        let parentNames = try (0..<(try reader.bytes.length(max: 1 << 16))).map { _ in
            guard let parent = Parent(rawValue: try reader.bytes.byte()) else {
                throw LedgerError(.malformedEvent, "a parent is neither father nor mother")
            }
            return ParentName(
                parent: parent, name: try reader.bytes.text(maxBytes: 1 << 16),
                wholeNameCodes: try reader.bytes.codes(),
                keyCodes: try reader.bytes.codes())
        }
        let marks = try reader.reading(in: \.marks) { bytes in
            let described = try bytes.byte() == 1
            let text = try bytes.text(maxBytes: 1 << 16)
            var marks: [Mark] = []
            for _ in 0..<(try bytes.length(max: 1 << 16)) {
                let kind = Int(try bytes.byte())
                let part = Int(try bytes.byte())
                let side = try bytes.byte()
                guard kind < Mark.Kind.allCases.count, part <= Mark.BodyPart.allCases.count, side <= 2 else {
                    throw LedgerError(.malformedEvent, "a mark's kind, part or side is out of range")
                }
                marks.append(
                    Mark(
                        kind: Mark.Kind.allCases[kind], bodyPart: part == 0 ? nil : Mark.BodyPart.allCases[part - 1],
                        side: side == 0 ? nil : side == 1 ? .left : .right))
            }
            let features = try bytes.strings().map { (word: $0, code: Code.feature($0)) }
            return (described ? text : nil, marks, features)
        }
        var tables: [GenotypeTable?] = []
        for _ in 0..<3 {
            guard try reader.bytes.byte() == 1 else {
                tables.append(nil)
                continue
            }
            var packed = [UInt32](repeating: 0, count: GenotypeTable.slotCount)
            for _ in 0..<(try reader.bytes.length(max: GenotypeTable.slotCount)) {
                // Compared before it becomes an Int: a number past Int.max would stop the process.
                let slot = try reader.bytes.uvarint()
                guard slot < UInt64(packed.count) else {
                    throw LedgerError(.malformedEvent, "a locus slot is out of range")
                }
                let alleles = try reader.bytes.uvarint()
                // Two alleles of at most 100 repeats (1,000 tenths), smaller first, as DNAProfile holds them.
                guard alleles >> 16 >= 1, alleles >> 16 <= alleles & 0xFFFF, alleles & 0xFFFF <= 1_000 else {
                    throw LedgerError(.malformedEvent, "an allele is out of range")
                }
                packed[Int(slot)] = UInt32(alleles)
            }
            tables.append(GenotypeTable(packed: packed))
        }
        let certificateSerial = try reader.bytes.byte() == 1 ? try reader.bytes.text(maxBytes: 1 << 16) : nil
        self.init(
            id: id, side: side, sex: sex, born: born, estimatedBirth: estimatedBirth, eventDays: first...last,
            coordinates: coordinates, place: place, home: home, bloodGroup: bloodGroup, nameSounds: nameSounds,
            parentNames: parentNames, marks: marks,
            dna: (tables[0], tables[1], tables[2]), certificateSerial: certificateSerial)
    }
}

extension ChildDescription.Writer {
    mutating func optionalPair(_ pair: (Double, Double)?) {
        guard let pair else {
            bytes.byte(0)
            return
        }
        bytes.byte(1)
        bytes.uint64(pair.0.bitPattern)
        bytes.uint64(pair.1.bitPattern)
    }

    /// A reading written whole the first time its key comes (by `write`, key first), then by
    /// its number.
    mutating func reading<Key: Hashable>(
        _ key: Key, in table: WritableKeyPath<Self, [Key: UInt64]>, write: (inout ByteWriter) -> Void
    ) {
        if let number = self[keyPath: table][key] {
            bytes.uvarint(number + 1)
            return
        }
        self[keyPath: table][key] = UInt64(self[keyPath: table].count)
        bytes.uvarint(0)
        write(&bytes)
    }
}

extension ChildDescription.Reader {
    mutating func optionalPair() throws -> (Double, Double)? {
        guard try bytes.byte() == 1 else { return nil }
        return (Double(bitPattern: try bytes.uint64()), Double(bitPattern: try bytes.uint64()))
    }

    /// A reading read whole (by `read`) the first time, then found by its number.
    mutating func reading<Element>(
        in table: WritableKeyPath<Self, [Element]>, read: (inout ByteReader) throws -> Element
    ) throws -> Element {
        // Compared before it becomes an Int: a number past Int.max would stop the process.
        let number = try bytes.uvarint()
        guard number == 0 else {
            guard number <= UInt64(self[keyPath: table].count) else {
                throw LedgerError(.malformedEvent, "a reading's number is out of range")
            }
            return self[keyPath: table][Int(number) - 1]
        }
        let element = try read(&bytes)
        self[keyPath: table].append(element)
        return element
    }
}

extension ByteWriter {
    mutating func strings(_ list: [String]) {
        uvarint(UInt64(list.count))
        for text in list { self.text(text) }
    }

    mutating func codes(_ list: [UInt64]) {
        uvarint(UInt64(list.count))
        for code in list { uint64(code) }
    }
}

extension ByteReader {
    mutating func strings() throws -> [String] {
        try (0..<length(max: 1 << 16)).map { _ in try text(maxBytes: 1 << 16) }
    }

    mutating func codes() throws -> [UInt64] {
        try (0..<length(max: 1 << 16)).map { _ in try uint64() }
    }
}
