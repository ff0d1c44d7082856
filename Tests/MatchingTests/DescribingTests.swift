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
                    ("reporterName", "x"), ("childName", .string(names[n % names.count])),
                ]
                // The same name with and without a milk name beside it.
                if n % 4 == 0 { members.append(("otherNames", .string(names[(n / 4) % names.count]))) }
            } else {
                members += [
                    ("foundOn", .string("\(2006 + n % 10)-05-01")), ("ageMonths", .number(Double(12 + n % 40))),
                    ("reportedBy", "y"), ("name", .string(names[(n + 1) % names.count])),
                ]
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
}
