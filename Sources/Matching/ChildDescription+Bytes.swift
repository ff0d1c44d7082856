import LedgerCore

/// A description as bytes, for a node to keep what describing its records gave between
/// processes (PreparedMatching, in NodeReading's PreparedRecords): reading one back is several
/// times quicker than describing the record again. Each is whole in itself, so that a process
/// answering one query reads only the records it scores.
/// Not a format another implementation reads: it changes with the matcher, and a file written
/// by another build of it is never read.
extension ChildDescription {
    public var encoded: [UInt8] {
        var bytes = ByteWriter(capacity: 512)
        write(to: &bytes)
        return bytes.bytes
    }

    /// What `encoded` wrote, all of it.
    public convenience init(encoded: [UInt8]) throws {
        var bytes = ByteReader(encoded)
        let front = try Front(reading: &bytes)
        try self.init(front: front, profiles: Self.readProfiles(front.profiled, &bytes), rest: &bytes)
        guard bytes.isAtEnd else { throw LedgerError(.malformedEvent, "bytes after a description") }
    }

    /// What `encoded` wrote, or nil as soon as its front shows it is not wanted: `ruledOut` is
    /// asked with its outline, then `excluded` with its DNA profiles, which come next, and the
    /// rest is read only when neither says so. A query reading a prepared file so decodes only
    /// the records it could be (`Matcher.rulesOut`, `Matcher.dnaExcludes`).
    static func decoded(
        _ encoded: [UInt8], unless ruledOut: (Outline) -> Bool, or excluded: (Profiles) -> Bool
    ) throws -> ChildDescription? {
        var bytes = ByteReader(encoded)
        let front = try Front(reading: &bytes)
        if ruledOut(front.outline) { return nil }
        let profiles = try readProfiles(front.profiled, &bytes)
        if excluded(profiles) { return nil }
        let description = try ChildDescription(front: front, profiles: profiles, rest: &bytes)
        guard bytes.isAtEnd else { throw LedgerError(.malformedEvent, "bytes after a description") }
        return description
    }

    typealias Profiles = (child: GenotypeTable?, mother: GenotypeTable?, father: GenotypeTable?)

    /// The id, the side, the outline (sex, blood group, which profiles there are, the dates) and
    /// the birth as the record gave it: written first, the profiles next, then the rest.
    struct Front {
        let id: EventID
        let side: Side
        let outline: Outline
        let born: PartialDate?
        let estimatedBirth: (Double, Double)?
        /// Whether there is a child's, a mother's and a father's profile.
        let profiled: (child: Bool, mother: Bool, father: Bool)

        init(reading bytes: inout ByteReader) throws {
            // Read where they lie: this runs for each of the thousands of records a query chooses.
            id = EventID(bytes: try bytes.slice(32))
            side = try bytes.byte() == 0 ? .abductionCase : .foundChild
            let sex = Sex(rawValue: try bytes.byte()).flatMap { $0 == .unknown ? nil : $0 }
            let bloodGroup = BloodType.Group(rawValue: try bytes.byte())
            profiled = (try bytes.byte() == 1, try bytes.byte() == 1, try bytes.byte() == 1)
            let eventDays: ClosedRange<Int>
            (born, estimatedBirth, eventDays) = try ChildDescription.readDates(&bytes)
            outline = Outline(
                sex: sex, bloodGroup: bloodGroup, hasChildDNA: profiled.child,
                hasDNA: profiled.child || profiled.mother || profiled.father,
                eventDays: eventDays, bornDays: born.map { $0.earliestDay...$0.latestDay })
        }
    }

    private static func readProfiles(
        _ profiled: (child: Bool, mother: Bool, father: Bool), _ bytes: inout ByteReader
    ) throws -> Profiles {
        (
            try profiled.child ? readProfile(&bytes) : nil, try profiled.mother ? readProfile(&bytes) : nil,
            try profiled.father ? readProfile(&bytes) : nil
        )
    }

    private static func readProfile(_ bytes: inout ByteReader) throws -> GenotypeTable {
        var packed = [UInt32](repeating: 0, count: GenotypeTable.slotCount)
        for _ in 0..<(try bytes.length(max: GenotypeTable.slotCount)) {
            // Compared before it becomes an Int: a number past Int.max would stop the process.
            let slot = try bytes.uvarint()
            guard slot < UInt64(packed.count) else {
                throw LedgerError(.malformedEvent, "a locus slot is out of range")
            }
            let alleles = try bytes.uvarint()
            // Two alleles of at most 100 repeats (1,000 tenths), smaller first, as DNAProfile holds them.
            guard alleles >> 16 >= 1, alleles >> 16 <= alleles & 0xFFFF, alleles & 0xFFFF <= 1_000 else {
                throw LedgerError(.malformedEvent, "an allele is out of range")
            }
            packed[Int(slot)] = UInt32(alleles)
        }
        return GenotypeTable(packed: packed)
    }

    fileprivate static func readDates(_ bytes: inout ByteReader) throws -> (
        born: PartialDate?, estimatedBirth: (Double, Double)?, event: ClosedRange<Int>
    ) {
        let year = Int(try bytes.uint16())
        let month = Int(try bytes.byte())
        let day = Int(try bytes.byte())
        let born =
            year == 0 ? nil : try PartialDate(year: year, month: month == 0 ? nil : month, day: day == 0 ? nil : day)
        let estimatedBirth = try bytes.optionalPair()
        // Days since 1970 and a spread in days, as describing a record makes them: anything
        // else (a number that is not one, or past any birth) would stop the process where the
        // months of the estimate are counted (found by `scripts/fuzz`).
        if let (day, spread) = estimatedBirth, !(abs(day) < 1e7 && spread >= 0 && spread < 1e6) {
            throw LedgerError(.malformedEvent, "an estimated birth is out of range")
        }
        let (first, last) = (Int(try bytes.svarint()), Int(try bytes.svarint()))
        guard first <= last else { throw LedgerError(.malformedEvent, "the days of an event run backwards") }
        // Days between two events are subtracted: numbers near the ends of Int would overflow.
        guard first > -10_000_000, last < 10_000_000 else {
            throw LedgerError(.malformedEvent, "the days of an event are out of range")
        }
        return (born, estimatedBirth, first...last)
    }

    func write(to bytes: inout ByteWriter) {
        bytes.raw(id.bytes)
        bytes.byte(side == .abductionCase ? 0 : 1)
        bytes.byte(sex?.rawValue ?? 0)
        bytes.byte(bloodGroup?.rawValue ?? 0)
        for table in [childDNA, motherDNA, fatherDNA] { bytes.byte(table == nil ? 0 : 1) }
        bytes.uint16(UInt16(born?.year ?? 0))
        bytes.byte(UInt8(born?.month ?? 0))
        bytes.byte(UInt8(born?.day ?? 0))
        bytes.optionalPair(estimatedBirth.map { ($0.day, $0.spread) })
        bytes.svarint(Int64(eventDays.lowerBound))
        bytes.svarint(Int64(eventDays.upperBound))
        for table in [childDNA, motherDNA, fatherDNA].compactMap({ $0 }) {
            bytes.uvarint(UInt64(table.typedSlots.count))
            for slot in table.typedSlots {
                bytes.uvarint(UInt64(slot))
                bytes.uvarint(UInt64(table.packed[slot]))
            }
        }
        bytes.optionalPair(coordinates.map { ($0.lat, $0.lon) })
        bytes.text(placeText)
        bytes.codes(placeCodes)
        bytes.codes(placeSoundCodes)
        bytes.strings(names)
        bytes.codes(nameSounds.syllableCodes.flatMap { [$0.syllable, $0.key] })
        for codes in [
            nameSounds.keyCodes, nameSounds.sequenceCodes, nameSounds.foldedSequenceCodes, nameSounds.wholeNameCodes,
        ] {
            bytes.codes(codes)
        }
        bytes.codes(nameSounds.alternativeKeys.flatMap { [$0.0, $0.1] })
        bytes.byte(home == nil ? 0 : 1)
        if let home {
            bytes.text(home.text)
            bytes.codes(home.codes)
            bytes.codes(home.soundCodes)
        }
        bytes.uvarint(UInt64(parentNames.count))
        for parent in parentNames {
            bytes.byte(parent.parent?.rawValue ?? 0)
            bytes.text(parent.name)
            bytes.codes(parent.wholeNameCodes)
            bytes.codes(parent.keyCodes)
        }
        bytes.byte(marksText == nil ? 0 : 1)
        bytes.text(marksText ?? "")
        bytes.uvarint(UInt64(marks.count))
        for mark in marks {
            bytes.byte(UInt8(Mark.Kind.allCases.firstIndex(of: mark.kind)!))
            bytes.byte(mark.bodyPart.map { UInt8(Mark.BodyPart.allCases.firstIndex(of: $0)! + 1) } ?? 0)
            bytes.byte(mark.side.map { $0 == .left ? 1 : 2 } ?? 0)
        }
        bytes.strings(otherFeatures.map(\.word))
        bytes.byte(certificateSerial == nil ? 0 : 1)
        if let certificateSerial { bytes.text(certificateSerial) }
    }

    /// The rest of a description, after its front and its profiles.
    private convenience init(front: Front, profiles: Profiles, rest bytes: inout ByteReader) throws {
        let coordinates = try bytes.optionalPair()
        if let (lat, lon) = coordinates, !(abs(lat) <= 90 && abs(lon) <= 180) {
            throw LedgerError(.malformedEvent, "coordinates are out of range")
        }
        let place = (try bytes.text(maxBytes: 1 << 16), try bytes.codes(), try bytes.codes())
        let nameSounds: NameSounds
        do {
            let names = try bytes.strings()
            let syllableCodes = try bytes.codePairs().map { (syllable: $0.0, key: $0.1) }
            let (keys, sequences, foldedSequences, wholeNames) = (
                try bytes.codes(), try bytes.codes(), try bytes.codes(), try bytes.codes()
            )
            nameSounds = NameSounds(
                names: names, syllableCodes: syllableCodes, keyCodes: keys, sequenceCodes: sequences,
                foldedSequenceCodes: foldedSequences, wholeNameCodes: wholeNames, alternativeKeys: try bytes.codePairs()
            )
        }
        let home =
            try bytes.byte() == 1
            ? (try bytes.text(maxBytes: 1 << 16), try bytes.codes(), try bytes.codes()) : nil
        let parentNames = try (0..<(try bytes.length(max: 1 << 16))).map { _ in
            let code = try bytes.byte()
            let parent = Parent(rawValue: code)
            guard parent != nil || code == 0 else {
                throw LedgerError(.malformedEvent, "a parent is neither father nor mother nor unstated")
            }
            return ParentName(
                parent: parent, name: try bytes.text(maxBytes: 1 << 16),
                wholeNameCodes: try bytes.codes(),
                keyCodes: try bytes.codes())
        }
        let marks: (text: String?, marks: [Mark], otherFeatures: [(word: String, code: UInt64)])
        do {
            let described = try bytes.byte() == 1
            let text = try bytes.text(maxBytes: 1 << 16)
            var found: [Mark] = []
            for _ in 0..<(try bytes.length(max: 1 << 16)) {
                let kind = Int(try bytes.byte())
                let part = Int(try bytes.byte())
                let side = try bytes.byte()
                guard kind < Mark.Kind.allCases.count, part <= Mark.BodyPart.allCases.count, side <= 2 else {
                    throw LedgerError(.malformedEvent, "a mark's kind, part or side is out of range")
                }
                found.append(
                    Mark(
                        kind: Mark.Kind.allCases[kind], bodyPart: part == 0 ? nil : Mark.BodyPart.allCases[part - 1],
                        side: side == 0 ? nil : side == 1 ? .left : .right))
            }
            let features = try bytes.strings().map { (word: $0, code: Code.feature($0)) }
            marks = (described ? text : nil, found, features)
        }
        let certificateSerial = try bytes.byte() == 1 ? try bytes.text(maxBytes: 1 << 16) : nil
        self.init(
            id: front.id, side: front.side, sex: front.outline.sex, born: front.born,
            estimatedBirth: front.estimatedBirth, eventDays: front.outline.eventDays, coordinates: coordinates,
            place: place, home: home, bloodGroup: front.outline.bloodGroup, nameSounds: nameSounds,
            parentNames: parentNames, marks: marks, dna: profiles, certificateSerial: certificateSerial)
    }
}

extension ByteWriter {
    mutating func optionalPair(_ pair: (Double, Double)?) {
        guard let pair else {
            byte(0)
            return
        }
        byte(1)
        uint64(pair.0.bitPattern)
        uint64(pair.1.bitPattern)
    }

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
    mutating func optionalPair() throws -> (Double, Double)? {
        guard try byte() == 1 else { return nil }
        return (Double(bitPattern: try uint64()), Double(bitPattern: try uint64()))
    }

    mutating func strings() throws -> [String] {
        try (0..<length(max: 1 << 16)).map { _ in try text(maxBytes: 1 << 16) }
    }

    mutating func codes() throws -> [UInt64] {
        try (0..<length(max: 1 << 16)).map { _ in try uint64() }
    }

    /// Codes written in pairs, as `codes` writes them: an even count.
    mutating func codePairs() throws -> [(UInt64, UInt64)] {
        let count = try length(max: 1 << 16)
        guard count.isMultiple(of: 2) else { throw LedgerError(.malformedEvent, "codes come in pairs") }
        return try (0..<count / 2).map { _ in (try uint64(), try uint64()) }
    }
}
