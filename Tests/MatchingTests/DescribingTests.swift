import LedgerCore
import Testing

@testable import Matching

@Suite struct DescribingTests {
    /// Cases and found children repeating their places, marks and names as a register's do,
    /// more than one stretch of them (`describe` reads each text once a stretch).
    func register() throws -> [Record] {
        let places = ["四川成都救助站", "Chengdu, Sichuan", "河南郑州", "广东深圳市儿童福利院", ""]
        let marks = ["左脸有痣，右手背有疤", "mole on left cheek", "一撮白发", "胎记", "lt arm: scar"]
        let names = ["张伟", "小伟", "Li Ming aka Mingming", "王长乐（小名：乐乐）", "Wei", "王长乐"]
        return try (0..<4_500).map { n in
            let isCase = n % 3 != 0
            var members: [(String, JSONValue)] = [
                ("sex", n % 2 == 0 ? "male" : "female"), ("marks", .string(marks[n % marks.count])),
            ]
            if !places[n % places.count].isEmpty { members.append(("place", .string(places[n % places.count]))) }
            if isCase {
                members += [
                    ("missingSince", .string("\(2005 + n % 10)-03-01")), ("born", .string("\(2003 + n % 10)")),
                    ("childName", .string(names[n % names.count])),
                ]
                // Some reported by a father whose name a found child gives.
                members += n % 5 == 0 ? [("reporterName", "王强"), ("reporterRelation", "父亲")] : [("reporterName", "x")]
                // The same name with and without a milk name beside it.
                if n % 4 == 0 { members.append(("otherNames", .string(names[(n / 4) % names.count]))) }
            } else {
                members += [
                    ("foundOn", .string("\(2006 + n % 10)-05-01")), ("ageMonths", .number(Double(12 + n % 40))),
                    ("reportedBy", "y"), ("name", .string(names[(n + 1) % names.count])),
                ]
                if n % 6 == 0 { members.append(("circumstances", "孩子说爸爸叫王强，家在河南郑州")) }
            }
            // More records than one byte can number: the id holds n in its first eight bytes.
            let id = EventID(
                bytes: withUnsafeBytes(of: UInt64(n).bigEndian, Array.init) + [UInt8](repeating: 7, count: 24))
            return try record(isCase ? .abductionReported : .childFound, members, id: id)
        }
    }

    @Test func recordsReadTogetherReadAsEachReadAlone() throws {
        let records = try register()
        let together = ChildDescription.describe(records)
        let alone = records.compactMap(ChildDescription.init(record:))
        #expect(together.map(\.id) == alone.map(\.id))
        for (a, b) in zip(together, alone) {
            #expect(a.names == b.names && a.nameSounds == b.nameSounds)
            #expect(
                a.placeKeys == b.placeKeys && a.placeCodes == b.placeCodes && a.placeSoundCodes == b.placeSoundCodes)
            #expect(a.marks == b.marks && a.otherFeatures.map(\.word) == b.otherFeatures.map(\.word))
            #expect(a.parentNames.map(\.name) == b.parentNames.map(\.name))
        }
        // And so they score alike.
        let rarity = (Rarity(descriptions: together), Rarity(descriptions: alone))
        let foundChildren = stride(from: 0, to: together.count, by: 97).filter { together[$0].side == .foundChild }
        let cases = stride(from: 1, to: together.count, by: 89).filter { together[$0].side == .abductionCase }
        for found in foundChildren {
            for abductionCase in cases {
                let a = Matcher.compare(
                    abductionCase: together[abductionCase], found: together[found], rarity: rarity.0)
                let b = Matcher.compare(abductionCase: alone[abductionCase], found: alone[found], rarity: rarity.1)
                #expect(a?.score == b?.score && a?.reasons == b?.reasons)
            }
        }
    }

    /// A node keeps what describing its records gave between processes (PreparedMatching): read
    /// back, each description is the one written, and scores alike.
    @Test func descriptionsReadBackAreTheDescriptionsWritten() throws {
        let profile: JSONValue = .object([
            ("D3S1358", .array([15, 16])), ("vWA", .array([14, 17])), ("Penta E", .array([11, 15])),
            ("D21S11", .array([30, .number(32.2)])),
        ])
        let full = [
            try record(
                .abductionReported,
                [
                    ("sex", "female"), ("born", "2011-03-02"), ("missingSince", "2013-01"), ("place", "贵州毕节"),
                    ("lat", .number(27.3)), ("lon", .number(105.28)), ("bloodType", "AB-"), ("childName", "乐乐"),
                    ("otherNames", "Yue Yue"),
                    ("marks", "左脸有痣，头顶一撮白发"), ("reporterName", "x"),
                    ("birthCertificate", "N510987654 毕节市人民医院"), ("dna", .object([("mother", profile)])),
                ], number: 201),
            try record(
                .childFound,
                [
                    ("sex", "unknown"), ("foundOn", "2015"), ("place", "Linyi, Shandong"), ("ageMonths", 40),
                    ("ageUncertaintyMonths", 6), ("reportedBy", "y"), ("dna", profile), ("bloodType", "O"),
                ], number: 202),
        ]
        let written = ChildDescription.describe(try register() + full)
        let read = try written.map { try ChildDescription(encoded: $0.encoded) }
        #expect(read.map(\.id) == written.map(\.id))
        for (a, b) in zip(written, read) {
            #expect(a.side == b.side && a.sex == b.sex && a.born == b.born && a.bornDays == b.bornDays)
            #expect(
                a.estimatedBirth?.day == b.estimatedBirth?.day && a.estimatedBirth?.spread == b.estimatedBirth?.spread)
            #expect(a.eventDays == b.eventDays && a.bloodGroup == b.bloodGroup)
            #expect(a.coordinates?.lat == b.coordinates?.lat && a.coordinates?.lon == b.coordinates?.lon)
            #expect(a.placeText == b.placeText && a.placeKeys == b.placeKeys)
            #expect(a.placeCodes == b.placeCodes && a.placeSoundCodes == b.placeSoundCodes)
            #expect(a.names == b.names && a.nameSounds == b.nameSounds)
            #expect(a.marksText == b.marksText && a.marks == b.marks)
            #expect(a.otherFeatures.map(\.word) == b.otherFeatures.map(\.word))
            #expect(a.otherFeatures.map(\.code) == b.otherFeatures.map(\.code))
            for (x, y) in [(a.childDNA, b.childDNA), (a.motherDNA, b.motherDNA), (a.fatherDNA, b.fatherDNA)] {
                #expect(x?.packed == y?.packed && x.map { Array($0.typedSlots) } == y.map { Array($0.typedSlots) })
            }
            #expect(a.certificateSerial == b.certificateSerial)
            #expect(a.parentNames.map(\.parent) == b.parentNames.map(\.parent))
            #expect(a.parentNames.map(\.name) == b.parentNames.map(\.name))
            #expect(a.parentNames.map(\.wholeNameCodes) == b.parentNames.map(\.wholeNameCodes))
            #expect(a.parentNames.map(\.keyCodes) == b.parentNames.map(\.keyCodes))
            #expect(a.home?.text == b.home?.text && a.home?.codes == b.home?.codes)
            #expect(a.home?.soundCodes == b.home?.soundCodes)
        }
        #expect(written.contains { $0.home?.text == "河南郑州" })
        #expect(written.contains { $0.side == .foundChild && $0.parentNames.map(\.name) == ["王强"] })
        #expect(written.contains { $0.side == .abductionCase && $0.parentNames.map(\.parent) == [.father] })
        let last = try #require(read.last)
        #expect(last.childDNA != nil && last.estimatedBirth != nil && last.bloodGroup == .o)
        #expect(read[read.count - 2].motherDNA != nil && read[read.count - 2].certificateSerial == "N510987654")
        // And so they score alike, reasons and all.
        let rarity = (Rarity(descriptions: written), Rarity(descriptions: read))
        for found in written.indices where written[found].side == .foundChild && found % 7 == 0 {
            for abductionCase in [1, 2, 4, 5, 3_001, written.count - 2] {
                let a = Matcher.compare(abductionCase: written[abductionCase], found: written[found], rarity: rarity.0)
                let b = Matcher.compare(abductionCase: read[abductionCase], found: read[found], rarity: rarity.1)
                #expect(a?.score == b?.score && a?.reasons == b?.reasons)
            }
        }
    }

    /// A number too large for an Int where a locus slot is due is refused, not a crash: it was
    /// converted before it was compared (found by `scripts/fuzz`).
    @Test func aNumberPastIntMaxIsRefusedNotACrash() throws {
        let plain = try description(
            .childFound, [("foundOn", "2015"), ("place", "y"), ("reportedBy", "y")], number: 1
        ).encoded
        // No DNA of the child, the mother or the father, and no certificate: four zeros.
        #expect(plain.suffix(4) == [0, 0, 0, 0])
        let slotPastIntMax: [UInt8] =
            Array(plain.dropLast(4)) + [1, 1] + Array(repeating: 0xFF, count: 9) + [1, 2, 0, 0, 0]
        #expect(throws: LedgerError.self) { try ChildDescription(encoded: slotPastIntMax) }
    }

    /// An estimated birth, coordinates or days no record could give are refused when read
    /// back, not a crash where months or distances are counted from them (found by
    /// `scripts/fuzz`: an estimated birth that was not a number stopped the process).
    @Test func aDateOrPlaceOutOfRangeIsRefused() throws {
        let found = try description(
            .childFound,
            [
                ("foundOn", "2015-03-02"), ("place", "y"), ("reportedBy", "y"), ("ageMonths", 30),
                ("lat", .number(27.3)), ("lon", .number(105.28)),
            ], number: 1)
        let encoded = found.encoded
        _ = try ChildDescription(encoded: encoded)
        func bigEndian(_ value: Double) -> [UInt8] {
            (0..<8).reversed().map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) }
        }
        // The estimate's day follows the id, the side, the sex, the blood group, which of three
        // profiles there are, the birth date and a flag.
        let estimate = 32 + 1 + 1 + 1 + 3 + 4 + 1
        #expect(Array(encoded[estimate..<estimate + 8]) == bigEndian(try #require(found.estimatedBirth?.day)))
        for day in [Double.nan, .infinity, 1e300] {
            var changed = encoded
            changed.replaceSubrange(estimate..<estimate + 8, with: bigEndian(day))
            #expect(throws: LedgerError.self) { try ChildDescription(encoded: changed) }
        }
        let latitude = bigEndian(27.3)
        let at = try #require((0..<encoded.count - 8).first { Array(encoded[$0..<$0 + 8]) == latitude })
        for lat in [Double.nan, 91] {
            var changed = encoded
            changed.replaceSubrange(at..<at + 8, with: bigEndian(lat))
            #expect(throws: LedgerError.self) { try ChildDescription(encoded: changed) }
        }
        // The days found, from the first to the last, written as two signed varints after the estimate.
        var days = ByteWriter()
        days.svarint(Int64(found.eventDays.lowerBound))
        days.svarint(Int64(found.eventDays.upperBound))
        let start = estimate + 16
        #expect(Array(encoded[start..<start + days.bytes.count]) == days.bytes)
        var far = ByteWriter()
        far.svarint(Int64.min)
        far.svarint(Int64.max)
        let farApart = Array(encoded[..<start]) + far.bytes + Array(encoded[(start + days.bytes.count)...])
        #expect(throws: LedgerError.self) { try ChildDescription(encoded: farApart) }
    }

    /// Bytes cut short, or with more after them, are refused, never read as less; a byte changed
    /// anywhere in a prepared file is read or refused, never a crash (the node's file is also
    /// checked whole by its CRC-32 before it is read).
    @Test func descriptionsCutShortAreRefused() throws {
        let descriptions = ChildDescription.describe(Array(try register().prefix(300)))
        for encoded in descriptions.prefix(20).map(\.encoded) {
            for length in [0, 1, 2, 5, 40, encoded.count / 2, encoded.count - 1] {
                #expect(throws: LedgerError.self) { try ChildDescription(encoded: Array(encoded.prefix(length))) }
            }
            #expect(throws: LedgerError.self) { try ChildDescription(encoded: encoded + [0]) }
        }
        let bytes = PreparedMatching.bytes(
            rarity: Rarity(descriptions: descriptions),
            cases: CandidateIndex(side: .abductionCase, descriptions: descriptions),
            found: CandidateIndex(side: .foundChild, descriptions: descriptions))
        #expect(try PreparedMatching(bytes: bytes).descriptions().count == 300)
        var generator = SeededGenerator(seed: 2026)
        for _ in 0..<300 {
            var changed = bytes
            changed[Int.random(in: 0..<changed.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            guard let prepared = try? PreparedMatching(bytes: changed, verifying: false) else { continue }
            for query in descriptions.prefix(3) {
                _ = try? prepared.candidates(for: query, rarity: prepared.rarity(for: query), limit: 5)
            }
            _ = try? prepared.descriptions()
        }
    }
}
