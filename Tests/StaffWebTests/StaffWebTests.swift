import Foundation
import LedgerCore
import LedgerStore
import Matching
import Testing

@testable import StaffWeb

@Suite struct PageTextTests {
    @Test func interpolatedTextIsEscapedAndHTMLIsNot() {
        let typed = "<script>alert('x')</script> & \"李\""
        let bold: HTML = "<b>\(typed)</b>"
        #expect(bold.text == "<b>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;李&quot;</b>")
        let nested: HTML = "<p>\(bold)</p>"
        #expect(nested.text == "<p>" + bold.text + "</p>")
    }

    @Test func theLanguageFollowsTheBrowsersWeights() {
        #expect(Language.preferred(by: nil) == .zh)
        #expect(Language.preferred(by: "en-US,en;q=0.9") == .en)
        #expect(Language.preferred(by: "zh-CN,zh;q=0.9,en;q=0.8") == .zh)
        #expect(Language.preferred(by: "en;q=0.4, zh-TW;q=0.7") == .zh)
        #expect(Language.preferred(by: "fr-FR, en;q=0.5") == .en)
        #expect(Language.preferred(by: "fr-FR, de") == .zh)
        #expect(Language.preferred(by: "en;q=0, zh;q=0.1") == .zh)
    }

    @Test func everyFieldHasALabelInBothLanguages() {
        for field in Field.all {
            let zh = Words(.zh).label(field.name)
            let en = Words(.en).label(field.name)
            #expect(zh != field.name && en != field.name && zh != en, "\(field.name)")
        }
    }

    @Test func errorsSayWhatIsWrongInChinese() {
        let date = LedgerError(.invalidValue, field: "foundOn", "\"2019-13-40\" is not a date")
        #expect(Words(.zh).error(date).hasPrefix("日期格式不对"))
        #expect(Words(.en).error(date) == date.message)
        #expect(Words(.zh).error(LedgerError(.missingField, field: "place", "is required")) == "必填")
    }

    @Test func theLedgersRulesAreSaidInChinese() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reunite-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let node = try Node.create(in: folder, name: "测试")
        var now: UInt64 = 1_764_000_000_000
        func append(_ kind: EventKind, _ members: [(String, String)]) throws -> EventID {
            now += 1000
            let draft = try EventDraft(kind: kind, members: members.map { ($0.0, .string($0.1)) })
            return try node.store.append([draft], signedBy: node.key, nowMilliseconds: now)[0]
        }
        let caseID = try append(
            .abductionReported,
            [("sex", "male"), ("born", "2009"), ("missingSince", "2012-03"), ("place", "成都"), ("reporterName", "李")])
        let foundID = try append(
            .childFound, [("sex", "male"), ("foundOn", "2013-01"), ("place", "深圳"), ("reportedBy", "医院")])
        let early = try append(
            .childFound, [("sex", "male"), ("foundOn", "2011"), ("place", "深圳"), ("reportedBy", "医院")])
        func refusal(_ kind: EventKind, _ members: [(String, String)]) -> String? {
            do {
                _ = try append(kind, members)
                return nil
            } catch let error as LedgerError {
                return Words(.zh).error(error)
            } catch {
                return nil
            }
        }
        #expect(
            refusal(.reunited, [("caseId", caseID.hex), ("foundId", foundID.hex), ("on", "2013-06")])
                == "这个案件和这个孩子之间还没有已确认的比对：请先确认比对")
        #expect(
            refusal(.identityMatched, [("caseId", caseID.hex), ("foundId", early.hex), ("decidedBy", "王")])
                == "孩子被找到的日期早于案件中孩子出生或失踪的日期，不可能是同一个孩子")
        #expect(
            refusal(
                .abductionReported,
                [("sex", "male"), ("born", "2012"), ("missingSince", "2010"), ("place", "x"), ("reporterName", "y")])
                == "失踪日期早于出生日期")
    }

    @Test func formBodiesDecodePlusesPercentsAndRepeats() {
        let form = FormData(encoded: "name=%E5%B0%8F%E6%98%8E&note=a+b%2Bc&evidence=dna&evidence=marks&blank=+&empty")
        #expect(form["name"] == "小明")
        #expect(form["note"] == "a b+c")
        #expect(form.all("evidence") == ["dna", "marks"])
        #expect(form["blank"] == nil)
        #expect(form["empty"] == nil)
        #expect(form["absent"] == nil)
    }

    @Test func onlyLocalPathsAreFollowedAfterSignIn() {
        #expect(StaffWeb.localPath("/records/abc?saved=1") == "/records/abc?saved=1")
        #expect(StaffWeb.localPath("//evil.example/") == "/")
        #expect(StaffWeb.localPath("https://evil.example/") == "/")
        #expect(StaffWeb.localPath("/\\evil.example") == "/")
        #expect(StaffWeb.localPath(nil) == "/")
    }

    @Test func theAgePickerMakesMonthsAndBadDNAIsNamed() throws {
        let members = try FormField.members(
            of: .childFound, from: FormData(encoded: "ageYears=3&ageExtraMonths=2&sex=male&place=x"))
        #expect(members.contains { $0.0 == "ageMonths" && $0.1 == .string("38") })
        // Years too many to count are refused, naming the field: they overflowed and stopped the server.
        for encoded in ["ageYears=999999999999999999", "ageExtraMonths=9223372036854775807", "ageYears=-1"] {
            #expect(throws: LedgerError.self) {
                try FormField.members(of: .childFound, from: FormData(encoded: encoded))
            }
            do {
                _ = try FormField.members(of: .childFound, from: FormData(encoded: encoded))
            } catch let error as LedgerError {
                #expect(error.field == "ageMonths")
            }
        }
        #expect(throws: LedgerError.self) {
            try FormField.members(of: .childFound, from: FormData(encoded: "dna=%7Bnot"))
        }
        do {
            _ = try FormField.members(of: .childFound, from: FormData(encoded: "dna=%7Bnot"))
        } catch let error as LedgerError {
            #expect(error.field == "dna")
        }
    }

    @Test func formsMarkWhatTheLedgerRequires() {
        let form = FormField.form(for: .childFound)
        let required = Set(form.filter(\.required).map(\.name))
        #expect(required == ["sex", "foundOn", "place", "reportedBy"])
        #expect(FormField.form(for: .abductionReported).filter(\.required).count == 4)
    }
}

@Suite struct RecordSearchTests {
    static let origin = NodeKey().nodeID

    func found(_ fields: [(String, String)], at milliseconds: UInt64) throws -> Record {
        let draft = try EventDraft(kind: .childFound, members: fields.map { ($0.0, .string($0.1)) })
        let event = Event(
            origin: Self.origin, seq: 1, prev: nil, clock: HybridTimestamp(milliseconds: milliseconds, counter: 0),
            kind: .childFound, fields: draft.fields)
        return Fold.record(creation: event, amendments: [])
    }

    func search(_ query: String) throws -> RecordSearch {
        try RecordSearch(FormData(encoded: query), group: .found)
    }

    @Test func filtersByWordsPlaceSexAndPartialDates() throws {
        let base = [("reportedBy", "福利院")]
        let ming = try found(
            base + [("name", "小明"), ("sex", "male"), ("foundOn", "2013-01"), ("place", "广东省深圳市"), ("marks", "左脸有痣")],
            at: 1)
        let hong = try found(
            base + [("name", "小红"), ("sex", "female"), ("foundOn", "2016"), ("place", "东莞"), ("marks", "mole")], at: 2)
        // Listings keeps entries newest first.
        let entries = [hong, ming].map {
            Listings.Entry(record: $0, status: .open, text: Listings.searchText($0))
        }
        func ids(_ query: String) throws -> [EventID] { try search(query).apply(to: entries).map(\.record.id) }
        #expect(try ids("") == [hong.id, ming.id])
        #expect(try ids("q=%E5%B7%A6%E8%84%B8") == [ming.id])  // 左脸, in the marks
        #expect(try ids("q=MOLE") == [hong.id])
        #expect(try ids("place=%E6%B7%B1%E5%9C%B3") == [ming.id])  // 深圳
        #expect(try ids("sex=female") == [hong.id])
        #expect(try ids("from=2013-01-20") == [hong.id, ming.id])  // "2013-01" may be the 20th or later
        #expect(try ids("to=2012") == [])
        #expect(try ids("from=2014&to=2016-02") == [hong.id])
        #expect(try ids("status=open") == [hong.id, ming.id])
        #expect(try ids("status=confirmed") == [])
    }

    @Test func traditionalAndSimplifiedCharactersFindEachOther() throws {
        let chen = try found(
            [
                ("reportedBy", "福利院"), ("name", "陳明"), ("sex", "male"), ("foundOn", "2013-01"), ("place", "广东省深圳市"),
                ("marks", "左脸有痣"),
            ], at: 1)
        let entries = [Listings.Entry(record: chen, status: .open, text: Listings.searchText(chen))]
        func ids(_ query: String) throws -> [EventID] { try search(query).apply(to: entries).map(\.record.id) }
        func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        #expect(try ids("q=" + encoded("左臉")) == [chen.id])  // the marks say 左脸
        #expect(try ids("q=" + encoded("陈明")) == [chen.id])  // the name says 陳明
        #expect(try ids("place=" + encoded("廣東")) == [chen.id])
        #expect(try ids("q=" + encoded("右臉")) == [])
    }

    @Test func aBadFilterNamesItself() throws {
        #expect(throws: LedgerError.self) { try search("from=2019-13") }
        do {
            _ = try search("to=soon")
        } catch let error as LedgerError {
            #expect(error.field == "to")
        }
        do {
            _ = try search("status=lost")
        } catch let error as LedgerError {
            #expect(error.field == "status")
        }
    }
}

/// A node for the caches' tests, with records of the kinds they keep.
final class CacheFixture: @unchecked Sendable {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reunite-\(UUID().uuidString)").path
    let node: Node
    /// Written only by the one task that appends.
    private var now: UInt64 = 1_764_000_000_000

    init() throws {
        node = try Node.create(in: folder, name: "测试")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    @discardableResult func append(_ kind: EventKind, _ members: [(String, JSONValue)]) throws -> EventID {
        now += 1000
        return try node.store.append(
            [try EventDraft(kind: kind, members: members)], signedBy: node.key, nowMilliseconds: now)[0]
    }

    @discardableResult func abduction(_ name: String, _ marks: String, _ place: String) throws -> EventID {
        try append(
            .abductionReported,
            [
                ("childName", .string(name)), ("sex", "male"), ("born", "2009-05"), ("missingSince", "2012-03-14"),
                ("place", .string(place)), ("marks", .string(marks)), ("reporterName", "李建国"),
            ])
    }

    @discardableResult func foundChild() throws -> EventID {
        try append(
            .childFound,
            [
                ("sex", "male"), ("foundOn", "2014-06"), ("ageMonths", "61"), ("place", "广东深圳"),
                ("name", "Xiao Ming"), ("marks", "mole on the left cheek; scar on right knee"), ("reportedBy", "救助站"),
            ])
    }

    /// What the pages would show: the candidates of `records`, and every list.
    func read(_ register: Register, _ listings: Listings, candidatesOf records: [EventID]) async throws -> [String] {
        var lines: [String] = []
        for id in records {
            guard let record = try node.store.record(id) else { continue }
            for candidate in try await register.candidates(for: record, limit: 5, field: "id") {
                lines.append("\(id.short) \(candidate.id.short) \(candidate.score) \(candidate.reasons)")
            }
        }
        for group in RecordGroup.allCases {
            for entry in try await listings.entries(group) {
                lines.append("\(group) \(entry.record.id.short) \(entry.status) \(entry.text.count)")
            }
        }
        return lines
    }

    func freshRead(candidatesOf records: [EventID]) async throws -> [String] {
        // Every record described afresh: no prepared records kept in the folder.
        try await read(Register(store: node.store, directory: nil), Listings(store: node.store), candidatesOf: records)
    }
}

/// The server keeps what it read between requests and, when the ledger grows, reads only the
/// records that changed: what it then shows must be what a fresh read shows.
@Suite struct CachesBroughtUpToDateTests {
    @Test func candidatesAndListsAfterChangesEqualAFreshRead() async throws {
        let fixture = try CacheFixture()
        let liMing = try fixture.abduction("李明", "左脸有痣", "四川成都")
        let wangHao = try fixture.abduction("王浩", "右膝盖有疤", "贵州毕节")
        let chenJie = try fixture.abduction("陈杰", "两个旋", "山东临沂")
        let found = try fixture.foundChild()
        // More cases than an update looks for one by one (16), to be corrected at once below.
        let others = try (0..<20).map { try fixture.abduction("赵\($0)", "背有胎记", "河南周口") }
        let register = Register(store: fixture.node.store, directory: fixture.node.directory)
        let listings = Listings(store: fixture.node.store)
        let records = [liMing, wangHao, chenJie, found]
        let before = try await fixture.read(register, listings, candidatesOf: records)
        #expect(before.contains { $0.hasPrefix("\(found.short) \(liMing.short)") })

        // A new case much like the found child, a correction, a retraction and two decisions.
        let newCase = try fixture.abduction("李小明", "左脸有痣，右膝盖有疤", "广东深圳")
        try fixture.append(
            .corrected,
            [("target", .string(wangHao.hex)), ("changes", .object([("childName", "王明")])), ("reason", "核对")])
        try fixture.append(.retracted, [("target", .string(chenJie.hex)), ("reason", "重复登记")])
        try fixture.append(
            .matchRejected,
            [
                ("caseId", .string(liMing.hex)), ("foundId", .string(found.hex)), ("note", "DNA 排除"),
                ("decidedBy", "陈丽"),
            ])
        try fixture.append(
            .identityMatched,
            [
                ("caseId", .string(newCase.hex)), ("foundId", .string(found.hex)), ("evidence", .array(["marks"])),
                ("note", "体貌特征一致"), ("decidedBy", "陈丽"),
            ])

        let after = try await fixture.read(register, listings, candidatesOf: records)
        #expect(after == (try await fixture.freshRead(candidatesOf: records)))
        #expect(after != before)
        #expect(!after.contains { $0.hasPrefix("\(found.short) \(liMing.short)") })
        #expect(!after.contains { $0.hasPrefix("\(found.short) \(chenJie.short)") })
        #expect(after.contains { $0.hasPrefix("\(found.short) \(newCase.short)") && $0.contains("confirmed match") })
        #expect(after.contains { $0.hasPrefix("cases \(newCase.short)") })

        let asked = records + others.prefix(2)
        let uncorrected = try await fixture.read(register, listings, candidatesOf: asked)
        for other in others {
            try fixture.append(
                .corrected,
                [("target", .string(other.hex)), ("changes", .object([("marks", "右膝盖有疤")])), ("reason", "核对")])
        }
        let corrected = try await fixture.read(register, listings, candidatesOf: asked)
        #expect(corrected == (try await fixture.freshRead(candidatesOf: asked)))
        #expect(corrected != uncorrected)
    }

    @Test func requestsWhileRecordsArriveEndAsAFreshRead() async throws {
        let fixture = try CacheFixture()
        let records = [try fixture.abduction("李明", "左脸有痣", "四川成都"), try fixture.foundChild()]
        let register = Register(store: fixture.node.store, directory: fixture.node.directory)
        let listings = Listings(store: fixture.node.store)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for n in 0..<30 {
                    try fixture.abduction("李小明\(n)", n % 2 == 0 ? "左脸有痣" : "右膝盖有疤", "广东深圳")
                    if n % 3 == 0 { try fixture.foundChild() }
                    await Task.yield()
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<15 { _ = try await fixture.read(register, listings, candidatesOf: records) }
                }
            }
            try await group.waitForAll()
        }
        let kept = try await fixture.read(register, listings, candidatesOf: records)
        #expect(kept == (try await fixture.freshRead(candidatesOf: records)))
        #expect(kept.filter { $0.hasPrefix("cases ") }.count == 31)
    }
}

@Suite struct ReviewQueueTests {
    /// A child whose name, mark and age agree with a case waits for review; one who shares only
    /// sex, age and city with it does not, though that pair scores over 2 (the old threshold).
    @Test func listsOnlyPairsWithAChanceOfOneInTenOrMore() async throws {
        let fixture = try CacheFixture()
        let abduction = try fixture.abduction("李明", "左脸有痣", "四川成都")
        let alike = try fixture.foundChild()
        let vague = try fixture.append(
            .childFound,
            [
                ("sex", "male"), ("foundOn", "2014-06"), ("ageMonths", "61"), ("place", "四川成都救助站"),
                ("reportedBy", "救助站"),
            ])
        let register = Register(store: fixture.node.store, directory: fixture.node.directory)
        var queue = try await register.reviewQueue()
        for _ in 0..<100 where !queue.complete {
            try await Task.sleep(for: .milliseconds(20))
            queue = try await register.reviewQueue()
        }
        #expect(queue.complete)
        #expect(queue.pairs.map(\.found.id) == [alike])
        #expect(queue.pairs.first?.candidate.id == abduction)
        #expect((queue.pairs.first?.candidate.probability ?? 0) >= Register.reviewChance)
        let vagueBest = try await register.candidates(
            for: try #require(try fixture.node.store.record(vague)), limit: 1, field: "id")
        #expect(vagueBest.first?.id == abduction)
        #expect((vagueBest.first?.probability ?? 1) < Register.reviewChance)
        #expect((vagueBest.first?.score ?? 0) > 2)
    }
}

/// After a few events the review asks again only the found children they concern, at once; what
/// it then lists must be what a review worked out afresh lists.
@Suite struct ReviewKeptUpToDateTests {
    let fixture: CacheFixture

    init() throws { fixture = try CacheFixture() }

    @discardableResult func abduction(_ name: String, born: String, marks: String, place: String) throws -> EventID {
        try fixture.append(
            .abductionReported,
            [
                ("childName", .string(name)), ("sex", "male"), ("born", .string(born)), ("missingSince", "2012-03-14"),
                ("place", .string(place)), ("marks", .string(marks)), ("reporterName", "家属"),
            ])
    }

    @discardableResult func found(_ name: String?, months: Int, marks: String?, place: String) throws -> EventID {
        try fixture.append(
            .childFound,
            [
                ("sex", "male"), ("foundOn", "2014-06"), ("ageMonths", .number(Double(months))),
                ("place", .string(place)), ("reportedBy", "救助站"),
            ] + (name.map { [("name", .string($0))] } ?? []) + (marks.map { [("marks", .string($0))] } ?? []))
    }

    /// The review's pairs as "found case chance", waiting for a review worked out in the background.
    static func pairs(_ register: Register) async throws -> [String] {
        var queue = try await register.reviewQueue()
        for _ in 0..<200 where !queue.complete {
            try await Task.sleep(for: .milliseconds(20))
            queue = try await register.reviewQueue()
        }
        #expect(queue.complete)
        return queue.pairs.map {
            "\($0.found.id.short) \($0.candidate.id.short) \(String(format: "%.2f", $0.candidate.probability ?? -1))"
        }
    }

    /// The register's review, which must be up to date at the first asking, and a fresh one's.
    func reviewAtOnceAndAfresh(_ register: Register) async throws -> (kept: [String], fresh: [String]) {
        let queue = try await register.reviewQueue()
        #expect(queue.complete, "the review waits for a few events to be worked in")
        let kept = queue.pairs.map {
            "\($0.found.id.short) \($0.candidate.id.short) \(String(format: "%.2f", $0.candidate.probability ?? -1))"
        }
        return (kept, try await Self.pairs(Register(store: fixture.node.store, directory: fixture.node.directory)))
    }

    @Test func decisionsCorrectionsAndNewRecordsShowAtOnce() async throws {
        let places = ["四川成都", "贵州毕节", "山东临沂", "河南周口", "广西玉林"]
        let marks = ["左脸有痣", "右膝盖有疤", "两个旋", "后背有胎记", "左手有烫伤"]
        var cases: [EventID] = []
        for (n, name) in ["李明", "王浩", "陈杰", "张伟", "刘洋", "杨帆", "赵磊", "黄涛", "周斌", "吴昊"].enumerated() {
            cases.append(
                try abduction(name, born: "2009-0\(n % 9 + 1)", marks: marks[n % 5], place: places[n % 5]))
        }
        let liMing = try found("Li Ming", months: 61, marks: "mole on the left cheek", place: "广东深圳")
        let wangHao = try found("王浩", months: 58, marks: "右膝有疤", place: "广东东莞")
        let silent = try found(nil, months: 57, marks: "back birthmark", place: "福建莆田")
        try found("Xiao Tao", months: 55, marks: nil, place: "浙江温州")
        let register = Register(store: fixture.node.store, directory: fixture.node.directory)
        let first = try await Self.pairs(register)
        #expect(first.contains { $0.hasPrefix("\(liMing.short) \(cases[0].short)") })
        #expect(first.contains { $0.hasPrefix("\(wangHao.short) \(cases[1].short)") })

        // A new case much like the child who gave no name: the pair now waits for review.
        let newCase = try abduction("郑凯", born: "2009-09", marks: "后背有红色胎记", place: "福建莆田")
        var (kept, fresh) = try await reviewAtOnceAndAfresh(register)
        #expect(kept == fresh)
        #expect(kept.contains { $0.hasPrefix("\(silent.short) \(newCase.short)") })

        // Rejected: the pair drops out at once.
        try fixture.append(
            .matchRejected,
            [("caseId", .string(cases[0].hex)), ("foundId", .string(liMing.hex)), ("decidedBy", "陈丽")])
        (kept, fresh) = try await reviewAtOnceAndAfresh(register)
        #expect(kept == fresh)
        #expect(!kept.contains { $0.hasPrefix("\(liMing.short) \(cases[0].short)") })

        // The case's name corrected away from the child's, and another case retracted.
        try fixture.append(
            .corrected,
            [("target", .string(cases[1].hex)), ("changes", .object([("childName", "王明")])), ("reason", "核对")])
        try fixture.append(.retracted, [("target", .string(newCase.hex)), ("reason", "重复登记")])
        (kept, fresh) = try await reviewAtOnceAndAfresh(register)
        #expect(kept == fresh)
        #expect(!kept.contains { $0.contains(newCase.short) })

        // A new found child like a case, and a confirmed pair that leaves the review.
        let zhangWei = try found("张伟", months: 60, marks: "两个旋", place: "山东临沂")
        try fixture.append(
            .identityMatched,
            [
                ("caseId", .string(cases[1].hex)), ("foundId", .string(wangHao.hex)),
                ("evidence", .array(["marks"])), ("decidedBy", "陈丽"),
            ])
        (kept, fresh) = try await reviewAtOnceAndAfresh(register)
        #expect(kept == fresh)
        #expect(kept.contains { $0.hasPrefix("\(zhangWei.short) \(cases[3].short)") })
        #expect(!kept.contains { $0.hasPrefix(wangHao.short) })
    }

    /// In a node of many cases, a new case asks again only the found children it could lead,
    /// and is weighed beside the best of those it comes near.
    @Test func aNewCaseIsWeighedBesideTheBestItCannotLead() async throws {
        for (n, name) in ["李明", "王浩", "陈杰", "张伟", "刘洋"].enumerated() {
            try abduction(name, born: "2009-0\(n + 1)", marks: "右膝盖有疤", place: "贵州毕节")
        }
        let liMingCase = try abduction("李明", born: "2009-06", marks: "左脸有痣", place: "四川成都")
        let liMing = try found("Li Ming", months: 61, marks: "mole on the left cheek", place: "广东深圳")
        let xiaoTao = try found("Xiao Tao", months: 55, marks: nil, place: "浙江温州")
        let register = Register(store: fixture.node.store, directory: fixture.node.directory, newCasesWeighedFrom: 0)
        _ = try await Self.pairs(register)
        let before = try #require(try await register.reviewQueue().pairs.first { $0.found.id == liMing })
        #expect(before.candidate.id == liMingCase)

        // Like Li Ming in name but not in mark or age: it cannot lead his best.
        let near = try abduction("黎明", born: "2009-04", marks: "没有", place: "广西玉林")
        // Like Xiao Tao in all he gave: it leads.
        let leading = try abduction("肖涛", born: "2009-11", marks: "没有", place: "浙江温州")
        let queue = try await register.reviewQueue()
        #expect(queue.complete)
        let after = try #require(queue.pairs.first { $0.found.id == liMing })
        let scores = try await register.candidates(for: after.found, limit: 10, field: "id")
        let nearScore = try #require(scores.first { $0.id == near }?.score)
        let leadingScore = try #require(scores.first { $0.id == leading }?.score)
        #expect(nearScore < before.candidate.score - Register.newCaseMargin)
        #expect(nearScore > before.candidate.score - Register.reviewMargin)
        // Both new cases come near him; the order they are weighed in does not matter.
        let expected = [nearScore, leadingScore].reduce(try #require(before.candidate.probability)) {
            CandidateIndex.probability($0, scoring: before.candidate.score, besideOneScoring: $1)
        }
        #expect(after.candidate.id == liMingCase)
        #expect(after.candidate.score == before.candidate.score)
        #expect(abs((after.candidate.probability ?? 0) - expected) < 1e-12)
        #expect(expected < (before.candidate.probability ?? 0) - 0.01)
        #expect(queue.pairs.first { $0.found.id == xiaoTao }?.candidate.id == leading)

        // A case corrected is no new case: it is in his chance already, and he is asked again.
        try fixture.append(
            .corrected, [("target", .string(near.hex)), ("changes", .object([("born", "2009-05")])), ("reason", "核对")])
        let corrected = try #require(try await register.reviewQueue().pairs.first { $0.found.id == liMing })
        let asked = try #require(try await register.candidates(for: after.found, limit: 1, field: "id").first)
        #expect(corrected.candidate.id == asked.id)
        #expect(corrected.candidate.score == asked.score)
        #expect(corrected.candidate.probability == asked.probability)
    }
}
