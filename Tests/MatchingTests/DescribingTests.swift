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

    /// A node keeps what describing its records gave between processes (NodeReading's
    /// PreparedRecords): read back, each description is the one written, and scores alike.
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
        let bytes = ChildDescription.bytes(of: written)
        let read = try ChildDescription.read(bytes)
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
                #expect(x?.packed == y?.packed && x?.typedSlots == y?.typedSlots)
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

    /// A number too large for an Int where a reading's number or a locus slot is due is refused,
    /// not a crash: it was converted before it was compared (found by `scripts/fuzz`).
    @Test func aNumberPastIntMaxIsRefusedNotACrash() throws {
        var writer = ByteWriter()
        writer.uvarint(UInt64.max)
        var reader = ChildDescription.Reader(bytes: ByteReader(writer.bytes))
        #expect(throws: LedgerError.self) {
            try reader.reading(in: \.names) { _ in NameSounds(names: []) }
        }
        // The fuzzer's input: a section whose description names reading 2^64 - 1.
        let hex = """
            0e0001000100000000000032010130474747473047474747474748474747674747474747474747474747474747474747
            474747474747474747474747474747474747474747474747474747476747474747474747474747474747474747474747
            47474747474747000000000000000000000000000000000000000000000000000000000000000000000000000000ffff
            fff600000000000000000000000000000043000000000000000001400100000000000000000000000000000000000000
            00000000000092fcffffbc93908c9a014001000000000000000000000000000000000000000000000000009292920030
            0000000000fdff00ff0000fffffa1b000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000800000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000000000000000300000000001b00000000000000000000000000000000000000000000020000000000
            00000000000000000000000000000000000000000000000000000000000000000000000300000000001b000000000000
            00000000000000000000000000000000020000000000000000000000000000000000001b000000010003300000000300
            000000001b00000000000000000000000000000000000000000000020000000000000000000000000000000000010000
            0000
            """.filter(\.isHexDigit)
        let bytes = stride(from: 0, to: hex.count, by: 2).map { offset in
            UInt8(hex.dropFirst(offset).prefix(2), radix: 16)!
        }
        #expect(bytes.count == 578)
        #expect(throws: LedgerError.self) { try ChildDescription.read(bytes) }
    }

    /// Bytes cut short, or with more after them, are refused, never read as fewer records.
    @Test func descriptionsCutShortAreRefused() throws {
        let bytes = ChildDescription.bytes(of: ChildDescription.describe(Array(try register().prefix(300))))
        for length in [0, 1, 2, 5, 40, bytes.count / 2, bytes.count - 1] {
            #expect(throws: LedgerError.self) { try ChildDescription.read(Array(bytes.prefix(length))) }
        }
        #expect(throws: LedgerError.self) { try ChildDescription.read(bytes + [0]) }
        #expect(try ChildDescription.read(bytes).count == 300)
        // A byte changed anywhere is read or refused, never a crash (the node's file is also
        // checked whole by its SHA-256 before it is read).
        var generator = SeededGenerator(seed: 2026)
        for _ in 0..<2_000 {
            var changed = bytes
            changed[Int.random(in: 0..<changed.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            _ = try? ChildDescription.read(changed)
        }
    }
}
