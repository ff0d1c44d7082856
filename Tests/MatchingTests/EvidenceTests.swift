import Foundation
import LedgerCore
import Testing

@testable import Matching

@Suite struct EvidenceTests {
    @Test func chineseAndEnglishMarksReadAlike() {
        let chinese = Mark.parse("左脸有痣，右手背有烫伤")
        #expect(
            chinese == [
                Mark(kind: .mole, bodyPart: .cheek, side: .left), Mark(kind: .burn, bodyPart: .hand, side: .right),
            ])
        let english = Mark.parse("Nevus on the L cheek; burn scar right hand and two whorls")
        #expect(english.contains(Mark(kind: .mole, bodyPart: .cheek, side: .left)))
        #expect(english.contains(Mark(kind: .burn, bodyPart: .hand, side: .right)))
        #expect(english.contains(Mark(kind: .doubleWhorl, bodyPart: nil, side: nil)))
        // The longer body part wins: 手腕 is the wrist, not the hand; forehead is not the head.
        #expect(Mark.parse("手腕有疤") == [Mark(kind: .scar, bodyPart: .wrist, side: nil)])
        #expect(Mark.parse("birthmark on forehead") == [Mark(kind: .birthmark, bodyPart: .forehead, side: nil)])
        #expect(Mark.parse("likes trains").isEmpty)
    }

    @Test func namesMatchAcrossCharactersPinyinAndDialect() {
        #expect(Pinyin.syllables(of: "张小明") == ["zhang", "xiao", "ming"])
        #expect(Pinyin.syllables(of: "Xiaoming Zhang") == ["xiao", "ming", "zhang"])
        #expect(Pinyin.syllables(of: "Tom") == ["tom"])
        // n/l and -ng/-n: a child from the south says "Niu Min" for 刘明.
        #expect(!NameSounds(names: ["刘明"]).words.keys.isDisjoint(with: NameSounds(names: ["Niu Min"]).words.keys))
        #expect(NameSounds(names: ["刘明"]).words.keys == NameSounds(names: ["Niu Min"]).words.keys)
        // A milk name: 小宝 keeps only bao; 东东 is dong.
        #expect(NameSounds(names: ["小宝"]).words.keys == ["bao"])
        #expect(NameSounds(names: ["东东"]).words.keys == ["don"])
        #expect(NameSounds(names: ["zhi hao"]).words.keys == NameSounds(names: ["紫浩"]).words.keys)
    }

    let missingCase: [(String, JSONValue)] = [
        ("sex", "male"), ("born", "2011-03"), ("missingSince", "2014-05-02"), ("place", "贵州毕节"),
        ("lat", .number(27.3)), ("lon", .number(105.3)), ("reporterName", "张伟"), ("childName", "张小明"),
        ("marks", "左脸有痣"),
        ("bloodType", "A"),
    ]
    let foundBoy: [(String, JSONValue)] = [
        ("foundOn", "2015-07-10"), ("place", "Linyi, Shandong"), ("lat", .number(35.1)), ("lon", .number(118.35)),
        ("sex", "male"),
        ("name", "Mingming"), ("ageMonths", 52), ("ageUncertaintyMonths", 6), ("marks", "mole on left cheek"),
        ("bloodType", "A+"), ("reportedBy", "shelter"),
    ]

    @Test func everyPieceOfEvidenceIsExplained() throws {
        let abductionCase = try description(.abductionReported, missingCase, number: 1)
        let found = try description(.childFound, foundBoy, number: 2)
        let rarity = Rarity(descriptions: [abductionCase, found])
        let comparison = try #require(Matcher.compare(abductionCase: abductionCase, found: found, rarity: rarity))
        let texts = comparison.reasons.map(\.text)
        #expect(texts.contains { $0.hasPrefix("marks: mole left cheek ~ 左脸有痣") })
        #expect(texts.contains { $0.hasPrefix("names: Mingming ~ 张小明 (ming)") })
        #expect(texts.contains("born 2011-03, estimated 2011-03 ± 6 months"))
        #expect(
            texts.contains { $0.hasPrefix("found 1,5") && $0.hasSuffix("km from where last seen, 14 months after") })
        #expect(texts.contains("sex: both male"))
        #expect(texts.contains("blood type: both A"))
        #expect(comparison.score > 2)
        #expect(abs(comparison.score - comparison.reasons.reduce(0) { $0 + $1.log10Ratio }) < 1e-9)
        // The staff pages say each reason in Chinese too.
        let chinese = comparison.reasons.map(\.chinese)
        #expect(chinese.count == texts.count)
        #expect(chinese.contains("出生 2011-03，估计 2011-03 ± 6 个月"))
        #expect(chinese.contains("性别：都是男"))
        #expect(chinese.contains("血型：都是 A"))
        #expect(chinese.contains { $0.hasPrefix("在距走失地 1,5") && $0.hasSuffix("公里处被找到，走失后 14 个月") })
    }

    @Test func impossiblePairsAreNotCandidates() throws {
        let abductionCase = try description(.abductionReported, missingCase, number: 1)
        let rarity = Rarity(descriptions: [abductionCase])
        func variant(_ name: String, _ value: JSONValue) throws -> ChildDescription {
            try description(.childFound, foundBoy.map { $0.0 == name ? (name, value) : $0 }, number: 3)
        }
        #expect(
            Matcher.compare(abductionCase: abductionCase, found: try variant("sex", "female"), rarity: rarity) == nil)
        #expect(
            Matcher.compare(abductionCase: abductionCase, found: try variant("bloodType", "O"), rarity: rarity) == nil)
        // Found before the child went missing.
        #expect(
            Matcher.compare(abductionCase: abductionCase, found: try variant("foundOn", "2014-04"), rarity: rarity)
                == nil)
        // Found in the month the child went missing: possible, since the day is not known.
        #expect(
            Matcher.compare(abductionCase: abductionCase, found: try variant("foundOn", "2014-05"), rarity: rarity)
                != nil)
        #expect(
            Matcher.compare(abductionCase: abductionCase, found: try variant("sex", "unknown"), rarity: rarity) != nil)
    }

    /// The time from going missing to being found, by hand: density 0.2 e^(-d/45)/45 +
    /// 0.8 e^(-d/1460)/1460 a day, times 20 years (7305 days).
    @Test func aPartialDateIsEveryDayOfItNotItsFirst() throws {
        let missing = try PartialDate(parsing: "2016-05-01")
        let exact = Matcher.gap(
            from: missing.earliestDay...missing.latestDay, to: missing.earliestDay + 30...missing.earliestDay + 30)
        #expect(exact.shortest == 30 && exact.longest == 30)
        // 0.2 × 0.5134 / 45 + 0.8 × 0.9797 / 1460 = 0.0028186 a day.
        #expect(abs(exact.density - 0.0028186) < 1e-6)
        #expect(exact.words(days: "days", months: "months", to: "to") == "30 days")
        // Found "2016" against missing 2016-05-01: any of 0 to 244 days, the mean density over
        // them (0.2 × (1 − e^(−244/45)) + 0.8 × (1 − e^(−244/1460))) / 244 = 0.0013207, where
        // reading the year as its first day made it "0 days", at 0.2 / 45 + 0.8 / 1460 = 0.0049924.
        let year = try PartialDate(parsing: "2016")
        let wide = Matcher.gap(from: missing.earliestDay...missing.latestDay, to: year.earliestDay...year.latestDay)
        #expect(wide.shortest == 0 && wide.longest == 244)
        #expect(abs(wide.density - 0.0013207) < 1e-6)
        #expect(wide.words(days: "days", months: "months", to: "to") == "0 to 8 months")
        #expect(wide.words(days: "天", months: "个月", to: "至") == "0 至 8 个月")
        // Found in the month of going missing, a day not known.
        let month = try PartialDate(parsing: "2016-05")
        let sameMonth = Matcher.gap(from: month.earliestDay...month.latestDay, to: month.earliestDay...month.latestDay)
        #expect(sameMonth.words(days: "days", months: "months", to: "to") == "0 to 30 days")
    }

    @Test func partialBirthDateWidensTheAgeEvidence() throws {
        func ageWeight(born: String, ageMonths: Int) throws -> Double {
            let abductionCase = try description(
                .abductionReported, missingCase.map { $0.0 == "born" ? ("born", .string(born)) : $0 }, number: 1)
            let found = try description(
                .childFound, foundBoy.map { $0.0 == "ageMonths" ? ("ageMonths", .number(Double(ageMonths))) : $0 },
                number: 2)
            var tally = Matcher.Tally(explain: true)
            Matcher.addAge(abductionCase, found, to: &tally)
            return try #require(tally.reasons.first).log10Ratio
        }
        // Estimated birth 2011-03 (52 months before 2015-07).
        let exactMonth = try ageWeight(born: "2011-03", ageMonths: 52)
        let yearOnly = try ageWeight(born: "2011", ageMonths: 52)
        let twoYearsOff = try ageWeight(born: "2013-03", ageMonths: 52)
        #expect(exactMonth > yearOnly)
        #expect(yearOnly > 0)
        #expect(twoYearsOff < -0.5)
        #expect(twoYearsOff < exactMonth - 1.5)
    }

    @Test func rarerMarksAndNamesWeighMore() throws {
        let abductionCase = try description(.abductionReported, missingCase, number: 1)
        let found = try description(.childFound, foundBoy, number: 2)
        let others = try (10..<60).map { n in
            try description(
                .childFound,
                [
                    ("foundOn", "2015"), ("place", "x"), ("sex", "male"), ("reportedBy", "x"),
                    ("marks", "mole on left cheek"), ("name", "Ming"),
                ], number: UInt8(n))
        }
        let rare = Rarity(descriptions: [abductionCase, found])
        let common = Rarity(descriptions: [abductionCase, found] + others)
        let rareScore = try #require(Matcher.compare(abductionCase: abductionCase, found: found, rarity: rare)).score
        let commonScore = try #require(Matcher.compare(abductionCase: abductionCase, found: found, rarity: common))
            .score
        #expect(rareScore > commonScore + 1)
    }

    @Test func scientificNotationAndMonths() throws {
        #expect(Matcher.scientific(9.4914) == "3.1e9")
        #expect(Matcher.scientific(1.5) == "32")
        #expect(Matcher.month(ofDay: 0) == "1970-01")
        #expect(Matcher.month(ofDay: try PartialDate(parsing: "2011-03-15").earliestDay) == "2011-03")
        #expect(Matcher.grouped(1450) == "1,450")
    }
}

@Suite struct NameAndPlaceTests {
    @Test func aWholeNameSharedIsWorthMoreThanItsSyllables() {
        let full = NameSounds(names: ["梁斌博"])
        #expect(full.words.sequences == ["liang-bin-bo", "bin-bo", "bo"])
        // Two words in Latin letters count in the other order too, as a whole name (see below).
        #expect(NameSounds(names: ["Bin Bo"]).words.sequences == ["bin-bo", "bo"])
        #expect(NameSounds(names: ["Bo Bo"]).words.sequences == ["bo-bo", "bo"])
        // A child who says "欣" gives the whole given name of 何欣, only a part of 董欣艳's.
        #expect(NameSounds(names: ["欣"]).words.sequences == ["xin"])
        #expect(NameSounds(names: ["何欣"]).words.sequences == ["he-xin", "xin"])
        #expect(NameSounds(names: ["董欣艳"]).words.sequences == ["dong-xin-yan", "xin-yan", "yan"])
        #expect(!NameSounds(names: ["董欣艳"]).words.sequences.contains("xin"))
        // A milk name counts with and without its 小.
        #expect(NameSounds(names: ["小明"]).words.sequences == ["xiao-ming", "ming"])
        // 肖 is a surname, not the milk-name 小: it stays.
        #expect(NameSounds(names: ["肖瑞"]).words.syllables == ["xiao", "rui"])
        #expect(NameSounds(names: ["小瑞"]).words.syllables == ["rui"])
    }

    @Test func theInstepIsTheFootNotTheBack() {
        #expect(Mark.parse("左脚背有烧伤") == [Mark(kind: .burn, bodyPart: .foot, side: .left)])
        #expect(Mark.parse("后背有胎记") == [Mark(kind: .birthmark, bodyPart: .back, side: nil)])
    }

    @Test func placeNamesAreComparedWithoutTheirCommonWords() {
        #expect(ChildDescription.placeKeys("四川成都救助站") == ["四川", "成都"])
        // No pair spans a province's name: 江西南昌 and 广西南宁 share no place.
        #expect(ChildDescription.placeKeys("江西南昌").isDisjoint(with: ChildDescription.placeKeys("广西南宁")))
        #expect(ChildDescription.placeKeys("浙江西湖区") == ["浙江", "西湖"])
        #expect(ChildDescription.placeKeys("湖北京山县") == ["湖北", "京山"])
        #expect(ChildDescription.placeKeys("成都市儿童福利院") == ["成都"])
        #expect(ChildDescription.placeKeys("Linyi").isEmpty)
        // 福建 and 中山 are places, though 福利院 and 中心 are words every place has.
        #expect(ChildDescription.placeKeys("福建福州救助站") == ["福建", "福州"])
        #expect(ChildDescription.placeKeys("广东中山市中心医院") == ["广东", "中山"])
        #expect(ChildDescription.placeKeys("福州市儿童福利院") == ["福州"])
    }
}

@Suite struct MarkPlacementTests {
    @Test func aMarkOnTheKneeIsAlsoOnTheLeg() throws {
        #expect(Mark.BodyPart.leg.contains(.knee))
        #expect(Mark.BodyPart.leg.contains(.toe))
        #expect(!Mark.BodyPart.knee.contains(.leg))
        #expect(!Mark.BodyPart.arm.contains(.leg))
        let abductionCase = try maleCase(marks: "左腿有疤")
        func marks(of found: ChildDescription) -> Matcher.Tally {
            var tally = Matcher.Tally(explain: true)
            Matcher.addMarks(abductionCase, found, Rarity(descriptions: [abductionCase, found]), to: &tally)
            return tally
        }
        let placed = marks(of: try maleFound(marks: "scar on left knee", 2))
        #expect(placed.reasons.map(\.text) == ["marks: scar left knee ~ 左腿有疤"])
        #expect(placed.score > 0)
        // A right knee is not within a left leg: two marks, one of each record's not in the other.
        let apart = marks(of: try maleFound(marks: "scar on right knee", 3))
        #expect(apart.reasons.map(\.text) == ["marks: 1 of the found child's not in the case"])
        #expect(apart.score < 0)
    }

    @Test func eachMarkIsShownWithTheWordsThatNameIt() throws {
        // Before, each reason quoted the whole of both descriptions, so staff had to find the mark.
        let abductionCase = try maleCase(marks: "左耳后有一颗黑痣，右手食指有疤；肚子上有胎记")
        let found = try maleFound(marks: "scar on right index finger, mole behind left ear", 2)
        var tally = Matcher.Tally(explain: true)
        Matcher.addMarks(abductionCase, found, Rarity(descriptions: [abductionCase, found]), to: &tally)
        #expect(
            tally.reasons.map(\.text) == [
                "marks: scar right finger ~ 右手食指有疤", "marks: mole left ear ~ 左耳后有一颗黑痣",
                "marks: 1 of the case's not described when found",
            ])
        #expect(tally.reasons.first?.chinese == "体貌特征：scar on right index finger ~ 右手食指有疤")
        // A mark placed by the clause after it ("mole, R hand"), and one no clause names alone.
        let moleOnTheRightHand = Mark(kind: .mole, bodyPart: .hand, side: .right)
        func words(naming mark: Mark, in text: String) -> String? {
            Mark.wordings(of: text).first { $0.marks.contains(mark) }?.words
        }
        #expect(words(naming: moleOnTheRightHand, in: "mole, R hand; scar") == "mole, R hand")
        #expect(words(naming: moleOnTheRightHand, in: "scar on the knee") == nil)
    }
}

@Suite struct NameSoundAndPlaceWordingTests {
    /// A case whose child is called `name`, and nothing else to compare by name.
    func abductionCase(named name: String, _ number: UInt8) throws -> ChildDescription {
        try description(
            .abductionReported,
            [
                ("sex", "female"), ("missingSince", "2016"), ("place", "x"), ("reporterName", "x"),
                ("childName", .string(name)),
            ],
            number: number)
    }

    /// A found child who gives `name`.
    func foundChild(giving name: String, _ number: UInt8) throws -> ChildDescription {
        try description(
            .childFound, [("foundOn", "2020"), ("place", "y"), ("reportedBy", "y"), ("name", .string(name))],
            number: number)
    }

    /// The names evidence alone, with its words.
    func names(_ abductionCase: ChildDescription, _ found: ChildDescription, _ rarity: Rarity) -> Matcher.Tally {
        var tally = Matcher.Tally(explain: true)
        Matcher.addNames(abductionCase, found, rarity, to: &tally)
        return tally
    }

    @Test func aNameHeardAsWrittenOutranksOneThatOnlySoundsAlike() throws {
        let qian = try abductionCase(named: "陈倩", 1)
        let qiang = try abductionCase(named: "卢强", 2)
        let found = try foundChild(giving: "Qian", 3)
        let rarity = Rarity(descriptions: [qian, qiang, found])
        let written = names(qian, found, rarity)
        let heardAlike = names(qiang, found, rarity)
        #expect(written.score > heardAlike.score)
        #expect(written.reasons.map(\.text) == ["names: Qian ~ 陈倩 (qian)"])
        #expect(heardAlike.reasons.map(\.text) == ["names: Qian ~ 卢强 (qian ~ qiang)"])
    }

    @Test func aNameSharedWholeIsShownWhole() throws {
        func reasons(_ caseName: String, _ given: String) throws -> [String] {
            let (named, giving) = (try abductionCase(named: caseName, 1), try foundChild(giving: given, 2))
            return names(named, giving, Rarity(descriptions: [named, giving])).reasons.map(\.text)
        }
        // The whole given name, not its syllables one by one: that is what the score weighs.
        #expect(try reasons("王小明", "Xiao Ming") == ["names: Xiao Ming ~ 王小明 (xiao-ming)"])
        #expect(try reasons("林晨瑞", "杨晨瑞") == ["names: 杨晨瑞 ~ 林晨瑞 (chen-rui)"])
        #expect(try reasons("王小明", "Ming Hao") == ["names: Ming Hao ~ 王小明 (ming)"])
    }

    @Test func eachSyllableTheChildGaveThatTheCaseLacksCountsAgainst() throws {
        let chenQian = try abductionCase(named: "陈倩", 1)
        let qian = try foundChild(giving: "Qian", 2)
        let wangQian = try foundChild(giving: "Wang Qian", 3)
        let hao = try foundChild(giving: "Hao", 4)
        let wangHao = try foundChild(giving: "Wang Hao", 5)
        let rarity = Rarity(descriptions: [chenQian, qian, wangQian, hao, wangHao])
        func names(_ found: ChildDescription) -> Matcher.Tally { self.names(chenQian, found, rarity) }
        // "Wang" is no sound of 陈倩: the same evidence as "Qian", times 0.3.
        #expect(isClose(names(wangQian).score, names(qian).score + log10(0.3), within: 1e-9))
        #expect(names(wangQian).reasons.map(\.text) == ["names: Wang Qian ~ 陈倩 (qian)"])
        // Nothing shared: 0.3 for one syllable; for two, 0.09 would say more than a name
        // replaced after separation allows, so 0.25.
        #expect(isClose(names(hao).score, log10(0.3), within: 1e-9))
        #expect(isClose(names(wangHao).score, log10(0.25), within: 1e-9))
        #expect(names(wangHao).reasons.map(\.text) == ["names: Wang Hao and 陈倩 sound different"])
    }

    @Test func aSyllableSharedOutsideEveryFormOfTheNameCountsATenth() throws {
        let zhaoJiahan = try abductionCase(named: "赵佳涵", 1)
        let jia = try foundChild(giving: "Jia", 2)
        let han = try foundChild(giving: "Han", 3)
        let rarity = Rarity(descriptions: [zhaoJiahan, jia, han])
        // "Han" is the last syllable, what a milk name is made of: a form of the name a child
        // gives, worth what that form's rarity says. "Jia" is from the middle: its syllable's
        // evidence, a tenth of it.
        let jiaAlone = min(0.6 / rarity.syllableShare(Code.syllable("jia")), 300)
        #expect(isClose(names(zhaoJiahan, jia, rarity).score, log10(jiaAlone * 0.1), within: 1e-9))
        #expect(names(zhaoJiahan, jia, rarity).reasons.map(\.text) == ["names: Jia ~ 赵佳涵 (jia)"])
        let hanAsAForm = min(0.6 / rarity.sequenceShare(Code.sequence("han")), 3000)
        #expect(isClose(names(zhaoJiahan, han, rarity).score, log10(hanAsAForm), within: 1e-9))
    }

    @Test func aNameInTheWesternOrderIsTheSameName() throws {
        let wangHao = try abductionCase(named: "王浩", 1)
        let chinese = try foundChild(giving: "Wang Hao", 2)
        let western = try foundChild(giving: "Hao Wang", 3)
        let rarity = Rarity(descriptions: [wangHao, chinese, western])
        #expect(isClose(names(wangHao, western, rarity).score, names(wangHao, chinese, rarity).score, within: 1e-9))
        #expect(NameSounds(names: ["Hao Wang"]).words.sequences == ["hao-wang", "wang"])
        #expect(NameSounds(names: ["Hao Wang"]).words.wholeNames == ["hao-wang", "wang-hao"])
        // Characters have one order; three words are not turned about.
        #expect(NameSounds(names: ["浩王"]).words.wholeNames == ["hao-wang"])
        #expect(!NameSounds(names: ["Xiao Ming Zhang"]).words.wholeNames.contains("zhang-xiao-ming"))
    }

    @Test func aNameTurnedAboutMeetsOnlyAWholeName() throws {
        // "Zi Bao" is 梓宝 said in order; turned about it is 宝梓, the given name of 蔡宝梓 but
        // not a whole name, so it meets that case only syllable by syllable.
        let ziBao = try abductionCase(named: "蔡梓宝", 1)
        let baoZi = try abductionCase(named: "蔡宝梓", 2)
        let found = try foundChild(giving: "Zi Bao", 3)
        let rarity = Rarity(descriptions: [ziBao, baoZi, found])
        // Its syllables are shared out of place: a tenth of what they are worth in order.
        #expect(isClose(names(ziBao, found, rarity).score - names(baoZi, found, rarity).score, 1, within: 1e-9))
        #expect(names(baoZi, found, rarity).reasons.map(\.text) == ["names: Zi Bao ~ 蔡宝梓 (bao, zi)"])
    }

    @Test func aFieldHoldingSeveralNamesIsReadAsThoseNames() throws {
        #expect(NameSounds.names(in: "张伟（小名：伟伟）") == ["张伟", "伟伟"])
        #expect(NameSounds.names(in: "在家叫东东、小东") == ["东东", "小东"])
        #expect(NameSounds.names(in: "Li Ming aka Mingming") == ["Li Ming", "Mingming"])
        #expect(NameSounds.names(in: "Weiwei or Xiao Wei (nickname)") == ["Weiwei", "Xiao Wei"])
        #expect(NameSounds.names(in: "Xi'an") == ["Xi'an"])
        // "Also called" between two names parts them; what follows 叫 elsewhere is the name.
        #expect(NameSounds.names(in: "张伟又叫伟伟") == ["张伟", "伟伟"])
        #expect(NameSounds.names(in: "张伟又名伟伟") == ["张伟", "伟伟"])
        #expect(NameSounds.names(in: "又叫东东") == ["东东"])
        // 伟伟 is a whole name of the case, as if the family had given it as another name; before,
        // "张伟小名伟伟" was one name of six syllables, 伟伟 no form of it.
        let inOneField = try abductionCase(named: "张伟（小名：伟伟）", 1)
        let found = try foundChild(giving: "伟伟", 2)
        let rarity = Rarity(descriptions: [inOneField, found])
        #expect(inOneField.names == ["张伟", "伟伟"])
        #expect(inOneField.nameSounds == NameSounds(names: ["张伟", "伟伟"]))
        #expect(inOneField.nameSounds.words.sequences.contains("wei-wei"))
        #expect(names(inOneField, found, rarity).reasons.map(\.text) == ["names: 伟伟 ~ 张伟 / 伟伟 (wei-wei)"])
    }

    @Test func wordsSayingThereIsNoNameAreNoName() throws {
        for none in [
            "不详", "未知", "无", "姓名不详", "Unknown", "none", "N/A", "n/a", "?", "-", "不詳", "無", "ＵＮＫＮＯＷＮ", " (unknown)",
        ] {
            #expect(NameSounds.names(in: none).isEmpty, "\(none)")
        }
        // "Na" is a name (娜); what a child called themselves is the name.
        #expect(NameSounds.names(in: "Na") == ["Na"])
        #expect(NameSounds.names(in: "姓名不详（自称明明）") == ["明明"])
        #expect(NameSounds.names(in: "自称叫小明") == ["小明"])
        #expect(NameSounds.names(in: "他说他叫明明") == ["明明"])
        #expect(NameSounds.names(in: "姓名不详，说自己叫阿宝") == ["阿宝"])
        #expect(NameSounds.names(in: "calls himself Ming") == ["Ming"])
        // Words of staff who could not get a name, and a name held back.
        for none in ["none given", "did not say", "问不出", "匿名", "待查", "某某", "unknown (nonverbal)"] {
            #expect(NameSounds.names(in: none).isEmpty, "\(none)")
        }
        #expect(NameSounds.names(in: "王某") == ["王"])
        #expect(NameSounds.names(in: "张XX") == ["张"])
        #expect(NameSounds.names(in: "李××（自称小宝）") == ["李", "小宝"])
        #expect(NameSounds.names(in: "Max") == ["Max"])
        // 姓 says what follows is the surname.
        #expect(NameSounds.names(in: "姓王，叫明明") == ["王", "明明"])
        #expect(NameSounds.names(in: "姓名：王明") == ["王明"])
        // Hedges, notes on how a name was written, and the sentences around it are no name: before,
        // 家在河南 was a name of four syllables, 音 one of one.
        let written: [String: [String]] = [
            "据孩子说叫龙龙，家在河南": ["龙龙"], "孩子不会说话，无名字": [], "可能姓李，叫明明": ["李", "明明"],
            "听起来像“陈晨”": ["陈晨"], "王（音）": ["王"],
            "孩子叫妞妞或者丫丫": ["妞妞", "丫丫"], "name sounds like 'Xiao Long'": ["Xiao Long"],
            "wang ming (phonetic)": ["wang ming"], "Xi'an": ["Xi'an"],
        ]
        for (text, names) in written { #expect(NameSounds.names(in: text) == names, "\(text)") }
        // Who named a child is no name, and a name follows the words saying what a child was
        // called or named: before, "福利院起名国庆" was one name of six syllables, fu-li-yuan-...
        let named: [String: [String]] = [
            "起名叫平安": ["平安"], "养父母叫他小宝": ["小宝"], "被收养后改名李强": ["李强"], "姓张叫国庆": ["张", "国庆"],
            "孩子姓名王明": ["王明"], "买家给改名叫刘强": ["刘强"],
            // What was asked is no name: before, 什么 (shen-me) was one.
            "问他叫什么，他说叫东东": ["东东"], "问她叫啥": [],
        ]
        for (text, names) in named { #expect(NameSounds.names(in: text) == names, "\(text)") }
        // A name a shelter, the police or an orphanage gave a child found says nothing of the
        // family: 党 is a surname shelters give, and a real one.
        for given in [
            "福利院起名国庆", "福利院起名 国庆", "院方取名：国庆", "随院长姓张", "民警取名为平安", "暂名：党小福", "国庆（福利院所起）",
            "警方暂命名为平安",
            "姓名：张三（化名）", "named Lele by the shelter", "Shelter name: Ping An", "police named him An An",
        ] {
            #expect(NameSounds.names(in: given).isEmpty, "\(given)")
        }
        #expect(NameSounds.names(in: "暂名党小福，自称叫明明") == ["明明"])
        // A note on who named a child drops only the name it is about; the police saying what a
        // child said is no such note.
        let noted: [String: [String]] = [
            "明明（暂名：党小福）": ["明明"], "明明，暂名党小福": ["明明"], "国庆，福利院起的名": [], "据民警介绍，孩子自称叫明明": ["明明"],
            "民警说孩子叫明明": ["明明"], "staff said his name is Ming": ["Ming"], "民警取名为：平安": [],
        ]
        for (text, names) in noted { #expect(NameSounds.names(in: text) == names, "\(text)") }
        // In a case, the police station may be where the family's name was registered; a name
        // given in place of the child's is no name there either.
        #expect(NameSounds.names(in: "派出所登记名：王小明", foundChild: false) == ["王小明"])
        #expect(NameSounds.names(in: "派出所登记名：王小明").isEmpty)
        #expect(NameSounds.names(in: "张三（化名）", foundChild: false).isEmpty)
        // Before a colon, a word ending in 名 says what kind of name follows: 户口名 was a name.
        #expect(NameSounds.names(in: "户口名：王小明，小名：明明", foundChild: false) == ["王小明", "明明"])
        #expect(NameSounds.names(in: "Says his name is Mingming; shelter calls him Lele") == ["Mingming"])
        // Without punctuation, "but" and "and" part the two: the whole sentence gave no name.
        #expect(NameSounds.names(in: "his name is Mingming but the shelter calls him Lele") == ["Mingming"])
        #expect(NameSounds.names(in: "says he is Mingming and the shelter named him Lele") == ["Mingming"])
        #expect(NameSounds.names(in: "Wang Ming and Xiao Ming") == ["Wang Ming", "Xiao Ming"])
        // In any case: a record written in capitals said "Wang Ming AND Xiao Ming" was one name.
        #expect(NameSounds.names(in: "WANG MING AND XIAO MING") == ["WANG MING", "XIAO MING"])
        #expect(NameSounds.names(in: "Mingming But the shelter calls him Lele") == ["Mingming"])
        #expect(NameSounds.names(in: "Mingming BUT SHELTER CALLS HIM LELE") == ["Mingming"])
        // 又叫 between two names, as before.
        #expect(NameSounds.names(in: "张伟又叫伟伟") == ["张伟", "伟伟"])
        #expect(NameSounds.names(in: "He Ming, says he is Mingming") == ["He Ming", "Mingming"])
        // An article alone before such a word is no name either, where an or a alone may be one.
        #expect(NameSounds.names(in: "an infant").isEmpty)
        #expect(NameSounds.names(in: "a baby boy").isEmpty)
        #expect(NameSounds.names(in: "An infant, calls himself Mingming") == ["Mingming"])
        #expect(NameSounds.names(in: "a toddler who says Lele") == ["Lele"])
        #expect(NameSounds.names(in: "An") == ["An"])
        #expect(NameSounds.names(in: "A Ming") == ["A Ming"])
        // English sentences around a name, or in place of one: their words were syllables of it.
        let sentences: [String: [String]] = [
            "answers to 'Bao Bao'": ["Bao Bao"], "unknown, responds to Lele": ["Lele"],
            "Wang Xiaoming (called Mingming at home)": ["Wang Xiaoming", "Mingming"],
            "Called 'Niu Niu' by the family who bought him": ["Niu Niu"], "Child said: Mingming": ["Mingming"],
            "does not know his name": [], "cannot speak": [], "mute": [], "too young to say": [],
            "名字听不清，像是“小龙”": ["小龙"], "surname Wang, given name Ming": ["Wang", "Ming"],
            "mother calls him Bao": ["Bao"], "Dongdong (what his grandma called him)": ["Dongdong"],
            "goes by the name of Lele": ["Lele"], "baby, no name": [],
            // And in Chinese: what the child calls family is no name, nor are notes on the child.
            "问不出名字，只会说“妈妈”": [], "口音像四川，自称叫小军": ["小军"], "本人自述：王小明": ["王小明"],
            "随身纸条写“陈晨，2010年生”": ["陈晨"],
            // An age given as a guess: its hedge is no name ("约" and "about" were).
            "男孩，约5岁，自称姓刘": ["刘"], "约3岁": [], "大约4岁的男孩": [], "年龄约6岁，自称叫小强": ["小强"],
            "估计5岁左右": [], "boy, about 5 years old": [], "about 5, says he is Ming": ["Ming"],
            "approx. 4 yrs": [],
            // Who is called is no name ("自己宝宝" was), and a label after a space begins another.
            "叫自己宝宝": ["宝宝"], "王毛 小名毛毛": ["王毛", "毛毛"], "外号小胖": ["小胖"], "绰号：黑子": ["黑子"],
        ]
        for (text, names) in sentences { #expect(NameSounds.names(in: text) == names, "\(text)") }
        // Notes on the child's sex or age, or a number, beside a name in a case.
        let notes: [String: [String]] = [
            "王小明（男）": ["王小明"], "王小明，男，3岁": ["王小明"], "王小明 (boy, 3)": ["王小明"], "张三（三岁半）": ["张三"],
            "王小明，身份证号：110101200001011234": ["王小明"], "王晓明/王小明（不确定）": ["王晓明", "王小明"],
            "王小明3岁": ["王小明"], "王小明（５岁）": ["王小明"], "Xiao Ming 3": ["Xiao Ming"],
            // A digit after a letter is a tone, as some registers write pinyin.
            "Wang2 Xiao3ming2": ["Wang2 Xiao3ming2"],
        ]
        for (text, names) in notes { #expect(NameSounds.names(in: text, foundChild: false) == names, "\(text)") }
        // Read as a name, 未知 would be wei zhi, the whole given name of 张伟志.
        let weizhi = try abductionCase(named: "张伟志", 1)
        let unknown = try foundChild(giving: "未知", 2)
        #expect(unknown.names.isEmpty)
        #expect(names(weizhi, unknown, Rarity(descriptions: [weizhi, unknown])).reasons.isEmpty)
    }

    @Test func aNameSaidToBeOneOfTheFamilysIsNotTheChilds() throws {
        // A father's surname is the child's as a rule, and a brother's; a mother's name, or a
        // grandmother's, says nothing of the child's. Before, each was read as the child's name.
        let family: [String: [String]] = [
            "爸爸叫王强": ["王"], "自称明明，爸爸叫王强": ["明明", "王"], "他说他爸爸叫王强，妈妈叫李红": ["王"], "父亲王强": ["王"],
            "父亲：王强": ["王"], "爸爸是王强": ["王"], "爸爸姓王": ["王"], "哥哥叫王大明": ["王"], "王小明的爸爸：王强": ["王"],
            "欧阳明明，爸爸叫欧阳强": ["欧阳明明"], "says his father is Wang Qiang": ["Wang"],
            "father's name is Wang Qiang": ["Wang"], "Mingming (father: Wang Qiang)": ["Mingming", "Wang"],
            "Ming, dad: Wang Qiang, mom: Li Hong": ["Ming", "Wang"], "my dad is Wang Qiang": ["Wang"],
            "his mom is Li Hong": [], "mother: Li Hong": [], "his father is called Wang Qiang": ["Wang"],
            // Which parent "son of" names is not said: neither the name nor its surname is kept.
            "Wang Ming, son of Wang Qiang": ["Wang Ming"], "Li Hua (daughter of Li Qiang)": ["Li Hua"],
            // Family calling the child a name names the child; 妹妹 and 弟弟 alone are milk names.
            "妈妈叫他小宝": ["小宝"], "阿姨叫她丽丽": ["丽丽"], "mother calls him Bao": ["Bao"], "妹妹": ["妹妹"],
            "弟弟": ["弟弟"], "姑娘叫小红": ["小红"], "my name is Mingming": ["Mingming"],
        ]
        for (text, names) in family { #expect(NameSounds.names(in: text) == names, "\(text)") }
        #expect(NameSounds.names(in: "王小明（父亲王强）", foundChild: false) == ["王小明"])
        // A child whose father is 王强 shares the surname of 王小明, and nothing with 李强 now.
        let wang = try abductionCase(named: "王小明", 1)
        let li = try abductionCase(named: "李强", 2)
        let found = try foundChild(giving: "自称明明，爸爸叫王强", 3)
        let rarity = Rarity(descriptions: [wang, li, found])
        #expect(names(wang, found, rarity).reasons.map(\.text) == ["names: 明明 / 王 ~ 王小明 (ming, wang)"])
        #expect(names(li, found, rarity).score < 0)
    }

    @Test func aReportingFathersSurnameIsTheChilds() throws {
        // As a father's surname a found child gives counts as the child's, so does that of a case's
        // reporter who says they are the father (or 爷爷, or a brother); not a mother's, an
        // uncle's or a grandmother's, nor anyone's whose relation is not given.
        let reporters: [(name: String, relation: String, surname: String?)] = [
            ("王强", "父亲", "王"), ("王先生", "孩子的爸爸", "王"), ("Mr Wang", "father", "Wang"), ("Mr. Wang Qiang", "dad", "Wang"),
            ("Wang Qiang", "Father", "Wang"), ("欧阳强", "爸爸", "欧阳"), ("王建国", "爷爷", "王"), ("李红", "母亲", nil),
            ("李刚", "舅舅", nil), ("张秀英", "奶奶", nil), ("王强", "", nil), ("王强", "继父", nil),
        ]
        for (name, relation, surname) in reporters {
            #expect(ParentName.reporterSurname(name, relation: relation) == surname, "\(name), \(relation)")
        }
        func reported(by reporter: String, _ relation: String, childName: String?, _ number: UInt8) throws
            -> ChildDescription
        {
            try description(
                .abductionReported,
                [
                    ("sex", "male"), ("missingSince", "2016"), ("place", "x"), ("reporterName", .string(reporter)),
                    ("reporterRelation", .string(relation)),
                ] + (childName.map { [("childName", .string($0))] } ?? []),
                number: number)
        }
        // A case giving only the milk name: the father's surname is the child's, the mother's not.
        let byFather = try reported(by: "王强", "父亲", childName: "明明", 1)
        let byMother = try reported(by: "李红", "母亲", childName: "明明", 2)
        let found = try foundChild(giving: "王明明", 3)
        let rarity = Rarity(descriptions: [byFather, byMother, found])
        #expect(names(byFather, found, rarity).reasons.map(\.text) == ["names: 王明明 ~ 明明 / 王 (ming-ming)"])
        #expect(names(byFather, found, rarity).score > names(byMother, found, rarity).score + 0.5)
        // A name beginning with the surname gains nothing; a case giving no name is given none.
        #expect(
            try reported(by: "王强", "父亲", childName: "王小明", 4).nameSounds
                == reported(by: "李红", "母亲", childName: "王小明", 5).nameSounds)
        #expect(try reported(by: "王强", "父亲", childName: nil, 6).nameSounds.keyCodes.isEmpty)
    }

    @Test func aParentsNameTheChildGivesMeetsTheReporterWhoIsThatParent() throws {
        // What the child's words say of a parent: read from the name and the circumstances.
        let read = NameSounds.read("自称明明，爸爸叫王强，妈妈叫李红")
        #expect(read.names == ["明明", "王"])
        #expect(read.parents.map(\.parent) == [.father, .mother] && read.parents.map(\.name) == ["王强", "李红"])
        #expect(NameSounds.read("my dad is Wang Qiang").parents.map(\.name) == ["Wang Qiang"])
        #expect(NameSounds.read("奶奶叫张秀英").parents.isEmpty)
        // A parent named with 是, or by whose name it is, wherever the words stand.
        for text in [
            "爸爸是王强", "他说他爸爸是王强", "孩子说爸是王强，妈妈在家", "爸爸的名字是王强", "爸爸的名字叫王强", "父亲的名字为王强",
        ] {
            let read = NameSounds.read(text)
            #expect(read.parents.map(\.parent) == [.father] && read.parents.map(\.name) == ["王强"], "\(text)")
        }
        #expect(NameSounds.read("他说他妈妈是欧阳红").parents.map(\.name) == ["欧阳红"])
        // Written without a comma between them, each name is its own parent's.
        let unparted = NameSounds.read("爸爸叫王建国妈妈叫李红")
        #expect(unparted.parents.map(\.parent) == [.father, .mother])
        #expect(unparted.parents.map(\.name) == ["王建国", "李红"] && unparted.names == ["王"])
        #expect(NameSounds.read("他叫明明妈妈叫李红").names == ["明明"])
        // What a parent does, or where they are, is no name: read so, it counted against the
        // child's own case ("农民 and 王建国 sound different").
        for text in [
            "爸爸是农民", "孩子说爸爸是司机", "妈妈是老师", "爸爸是开车的", "爸爸是当兵的", "妈妈是护士", "妈妈在家", "爸爸在外地打工",
        ] {
            let read = NameSounds.read(text)
            #expect(read.parents.isEmpty && read.names.isEmpty, "\(text): \(read.parents.map(\.name)) \(read.names)")
        }
        // A stepparent, a godparent or the family who took the child in is no parent to compare,
        // and their surname is not the child's.
        for text in [
            "后妈叫李红", "干爸爸叫王强", "收养他的爸爸叫王强", "买他的那家爸爸叫王强", "后爸是王强", "adoptive father is Wang Qiang",
            "foster mother: Li Hong", "stepfather Wang Qiang",
        ] {
            let read = NameSounds.read(text)
            #expect(read.parents.isEmpty && read.names.isEmpty, "\(text): \(read.names)")
        }
        // Who the reporter is: a parent, or someone else.
        for (relation, parent) in [
            ("父亲", Parent.father), ("孩子的妈妈", .mother), ("Father", .father), ("mother", .mother), ("爸爸", .father),
        ] {
            #expect(Parent(relation: relation) == parent, "\(relation)")
        }
        for relation in ["奶奶", "舅舅", "police officer", "祖母", ""] { #expect(Parent(relation: relation) == nil) }
        // A surname alone, or with a form of address, is no whole name.
        for name in ["王先生", "Mrs Li", "王", "李女士"] { #expect(ParentName(.father, name) == nil, "\(name)") }
        #expect(ParentName(.father, "王强") != nil)

        func reportedCase(by reporter: String, relation: String?, _ number: UInt8) throws -> ChildDescription {
            try description(
                .abductionReported,
                [
                    ("sex", "male"), ("missingSince", "2016"), ("place", "x"), ("reporterName", .string(reporter)),
                    ("childName", "王小明"),
                ] + (relation.map { [("reporterRelation", .string($0))] } ?? []),
                number: number)
        }
        func found(_ members: [(String, JSONValue)], _ number: UInt8) throws -> ChildDescription {
            try description(
                .childFound, [("foundOn", "2020"), ("place", "y"), ("reportedBy", "y")] + members, number: number)
        }
        let byFather = try reportedCase(by: "王强", relation: "父亲", 1)
        let byOtherFather = try reportedCase(by: "李刚", relation: "父亲", 2)
        let bySameSurname = try reportedCase(by: "王刚", relation: "父亲", 3)
        let byGrandmother = try reportedCase(by: "王强", relation: "奶奶", 4)
        let byMother = try reportedCase(by: "李红（孩子母亲）", relation: "母亲", 5)
        let byMister = try reportedCase(by: "王先生", relation: "父亲", 6)
        let saysFather = try found([("name", "自称明明，爸爸叫王强")], 7)
        let saysMother = try found([("circumstances", "民警在车站发现孩子，孩子说妈妈叫李红，家在四川")], 8)
        let cases = [byFather, byOtherFather, bySameSurname, byGrandmother, byMother, byMister]
        let rarity = Rarity(descriptions: cases + [saysFather, saysMother])
        func parentNames(_ abductionCase: ChildDescription, _ found: ChildDescription, _ among: Rarity? = nil)
            -> [Reason]
        {
            var tally = Matcher.Tally(explain: true)
            Matcher.addParentNames(abductionCase, found, among ?? rarity, to: &tally)
            return tally.reasons
        }
        let same = parentNames(byFather, saysFather)
        #expect(same.map(\.text) == ["father's name: 王强 ~ reporter 王强 (father)"])
        #expect(same.map(\.chinese) == ["父亲姓名：王强 ~ 报案人王强（父亲）"])
        #expect(same[0].log10Ratio > 1)
        let different = parentNames(byOtherFather, saysFather)
        #expect(different.map(\.text) == ["father's name: 王强 and reporter 李刚 (father) sound different"])
        #expect(different[0].log10Ratio < 0)
        // A surname shared alone says no more than the child's own surname; a grandmother, or a
        // reporter named by a form of address, is no parent to compare.
        for abductionCase in [bySameSurname, byGrandmother, byMister] {
            #expect(parentNames(abductionCase, saysFather).isEmpty)
        }
        #expect(parentNames(byMother, saysMother).map(\.text) == ["mother's name: 李红 ~ reporter 李红 (mother)"])
        #expect(parentNames(byMother, saysFather).isEmpty && parentNames(byFather, saysMother).isEmpty)
        // A reporter who does not say who they are may be either parent the child named, or
        // neither: the same name weighs half as much, and another name says nothing against.
        let byUnstated = try reportedCase(by: "王强", relation: nil, 9)
        let byOtherUnstated = try reportedCase(by: "李刚", relation: nil, 10)
        let byUnstatedMother = try reportedCase(by: "李红", relation: nil, 11)
        let among = Rarity(
            descriptions: cases + [saysFather, saysMother, byUnstated, byOtherUnstated, byUnstatedMother])
        let unstated = parentNames(byUnstated, saysFather, among)
        #expect(unstated.map(\.text) == ["father's name: 王强 ~ reporter 王强 (relation not given)"])
        #expect(unstated.map(\.chinese) == ["父亲姓名：王强 ~ 报案人王强（未填与孩子关系）"])
        let stated = try #require(parentNames(byFather, saysFather, among).first)
        #expect(isClose(unstated[0].log10Ratio, stated.log10Ratio - log10(2), within: 1e-9))
        #expect(
            parentNames(byUnstatedMother, saysMother, among).map(\.text) == [
                "mother's name: 李红 ~ reporter 李红 (relation not given)"
            ])
        #expect(parentNames(byOtherUnstated, saysFather, among).isEmpty)
        #expect(parentNames(byUnstated, saysMother, among).isEmpty)
        #expect(ParentName.reporter("王强", relation: nil)?.parent == nil)
        #expect(ParentName.reporter("王强", relation: " ")?.name == "王强")
        for either in ["父母", "孩子的家长", "Parent", "parents", "爸爸妈妈"] {
            #expect(ParentName.reporter("王强", relation: either).map { $0.parent == nil } == true, "\(either)")
        }
        #expect(ParentName.reporter("王强", relation: "孩子的父亲")?.parent == .father)
        for other in ["grandparents", "stepparent", "外公", "police"] {
            #expect(ParentName.reporter("王强", relation: other) == nil, "\(other)")
        }
        #expect(ParentName.reporter("王强", relation: "奶奶") == nil)
        // And in the whole comparison, the father's case comes first.
        let scores = cases.map { Matcher.compare(abductionCase: $0, found: saysFather, rarity: rarity)?.score ?? -99 }
        #expect(scores[0] == scores.max() && scores[0] > scores[2] + 1)
    }

    /// A name the child said, or the family called them, in a found child's circumstances: read
    /// from the clauses that say so, the rest of the words left alone; none when the child could
    /// not tell, nor one a shelter gave.
    @Test func theNameAChildSaidInTheCircumstancesIsTheirs() throws {
        func names(_ circumstances: String, name: String = "不详", _ number: UInt8 = 20) throws -> [String] {
            try description(
                .childFound,
                [
                    ("foundOn", "2020"), ("place", "y"), ("reportedBy", "y"), ("name", .string(name)),
                    ("circumstances", .string(circumstances)),
                ],
                number: number
            ).names
        }
        let said: [String: [String]] = [
            "在火车站被发现，孩子自称叫明明，说家在河南周口": ["明明"], "民警在街头发现，孩子说自己叫王小明": ["王小明"],
            "名字叫乐乐。妈妈抱着他走失": ["乐乐"], "found at the bus station, says his name is Hao Hao": ["Hao Hao"],
            "走失时穿红色外套，被路人送到派出所": [], "被叫醒后送来": [], "孩子说不出自己叫什么": [],
            "问他叫什么名字，他不说": [], "福利院给他起名叫国庆": [], "孩子说家在河南周口": [],
            "the police were called. He says his name is Bao": ["Bao"], "he is called Bao": ["Bao"],
        ]
        for (circumstances, expected) in said {
            #expect(try names(circumstances) == expected, "\(circumstances)")
        }
        // Said in both, the name is one name.
        #expect(try names("孩子自称叫明明", name: "明明") == ["明明"])
        // And it is compared as a name: the case named 明明 is told by it.
        let found = try description(
            .childFound,
            [("foundOn", "2020"), ("place", "y"), ("reportedBy", "y"), ("circumstances", "孩子自称叫明明")],
            number: 21)
        let mingming = try abductionCase(named: "李明明", 22)
        let other = try abductionCase(named: "张伟", 23)
        let rarity = Rarity(descriptions: [found, mingming, other])
        let reasons = try #require(Matcher.compare(abductionCase: mingming, found: found, rarity: rarity)).reasons
        #expect(reasons.contains { $0.text.hasPrefix("names: 明明 ~ 李明明") })
        #expect(
            try #require(Matcher.compare(abductionCase: mingming, found: found, rarity: rarity)).score
                > (Matcher.compare(abductionCase: other, found: found, rarity: rarity)?.score ?? -99) + 1)
    }

    @Test func whereTheChildSaysHomeIsMeetsWhereTheCaseWentMissing() throws {
        let said: [String: String?] = [
            "孩子说家在四川，爸爸叫王强": "四川", "老家河南周口": "河南周口", "家住四川省凉山州的一个村子": "四川省凉山州",
            "says his home is in Zhoukou, Henan.": "zhoukou, henan", "hometown: Chengdu": "chengdu",
            "不知道家在哪里": nil, "现住在救助站": nil, "来自河南的人贩子把他卖了": nil, "自称明明": nil, "家在": nil,
        ]
        for (text, home) in said { #expect(ChildDescription.homeSaid(in: text) == home, "\(text)") }

        func missingFrom(_ place: String, _ number: UInt8) throws -> ChildDescription {
            try description(
                .abductionReported,
                [("sex", "male"), ("missingSince", "2016"), ("place", .string(place)), ("reporterName", "x")],
                number: number)
        }
        let zhoukou = try missingFrom("河南周口", 1)
        let chengdu = try missingFrom("四川成都", 2)
        let zhoukouInPinyin = try missingFrom("Zhoukou, Henan", 3)
        let found = try description(
            .childFound,
            [
                ("foundOn", "2020"), ("place", "广东深圳救助站"), ("reportedBy", "y"),
                ("circumstances", "民警在车站发现孩子，孩子说家在河南周口的一个村子"),
            ], number: 4)
        let silent = try description(
            .childFound, [("foundOn", "2020"), ("place", "广东深圳救助站"), ("reportedBy", "y")], number: 5)
        let rarity = Rarity(descriptions: [zhoukou, chengdu, zhoukouInPinyin, found, silent])
        func home(_ abductionCase: ChildDescription, _ found: ChildDescription) -> [Reason] {
            var tally = Matcher.Tally(explain: true)
            Matcher.addHome(abductionCase, found, rarity, to: &tally)
            return tally.reasons
        }
        let same = home(zhoukou, found)
        #expect(same.map(\.text) == ["home, as the child said: 河南周口 ~ last seen in 河南周口"])
        #expect(same.map(\.chinese) == ["孩子说家在河南周口 ~ 走失地河南周口"])
        #expect(same[0].log10Ratio > 0.5)
        let elsewhere = home(chengdu, found)
        #expect(elsewhere.map(\.text) == ["home, as the child said: 河南周口, not where last seen (四川成都)"])
        #expect(elsewhere[0].log10Ratio < 0)
        #expect(home(zhoukouInPinyin, found).first.map { $0.log10Ratio > 0.5 } == true)
        #expect(home(zhoukou, silent).isEmpty)
        // The found place (a shelter in Shenzhen) is not home, and says nothing of it.
        #expect(silent.home == nil && found.home?.text == "河南周口")
    }

    @Test func fullWidthLettersAndTheWaysOfTypingUAreReadAsPinyin() {
        #expect(ChineseText.normalized("Ｗａｎｇ　Ｈａｏ，２岁") == "Wang Hao,2岁")
        #expect(ChineseText.fullWidth("N510") == "Ｎ５１０")
        #expect(ChineseText.normalized(ChineseText.fullWidth("N510 9")) == "N510 9")
        #expect(NameSounds(names: ["Ｗａｎｇ　Ｈａｏ"]) == NameSounds(names: ["Wang Hao"]))
        // 吕 and 女 are lü and nü: lv on a pinyin keyboard, Lyu in a passport, lu in the table.
        #expect(Pinyin.syllables(of: "Lv Ming") == ["lu", "ming"])
        #expect(Pinyin.syllables(of: "Lyu Ming") == ["lu", "ming"])
        #expect(Pinyin.syllables(of: "Lü Ming") == ["lu", "ming"])
        #expect(NameSounds(names: ["吕明"]).words.syllables == NameSounds(names: ["Lyu Ming"]).words.syllables)
        #expect(
            NameSounds(names: ["Lyu Ming"]).words.sequences.isSuperset(of: NameSounds(names: ["吕明"]).words.sequences))
        #expect(Pinyin.syllables(of: "Xiaonv") == ["xiao", "nu"])
        #expect(Pinyin.syllables(of: "lvelve") == ["lue", "lue"])
        // Cantonese and Wade-Giles spellings no pinyin syllable has: Lee was le e, Ah (阿) ah.
        #expect(Pinyin.syllables(of: "Lee Ka Wai") == ["li", "ka", "wei"])
        #expect(Pinyin.syllables(of: "Ah Ming") == ["a", "ming"])
        #expect(Pinyin.syllables(of: "Shih Sung") == ["shi", "song"])
        #expect(Pinyin.nameReadings(of: "Wing") == [["rong"], ["yong"]])
        // Words that are no pinyin stay whole.
        #expect(Pinyin.syllables(of: "Lynn") == ["lynn"])
    }

    @Test func traditionalCharactersAreReadAsSimplified() throws {
        // Every pair of the table read, and every character of GB 2312 given its syllable.
        #expect(ChineseText.traditionalPairs.count == 2552)
        #expect(ChineseText.traditionalPairs.last.map { [$0.traditional, $0.simplified] } == [0x21ED5, 0x5C81])
        #expect(Pinyin.syllableByCharacter.count == 6763)
        #expect(Pinyin.syllableByCharacter["啊"] == "a" && Pinyin.syllableByCharacter["座"] == "zuo")
        #expect(ChineseText.normalized("陳傑，右膝蓋有疤") == "陈杰,右膝盖有疤")
        #expect(ChineseText.normalized("Wang Hao 王浩, scar") == "Wang Hao 王浩, scar")
        // 乾 is a character of GB 2312 itself (qian in names), so it is left as it is.
        #expect(ChineseText.normalized("乾") == "乾")
        #expect(NameSounds(names: ["陳傑", "傑兒"]) == NameSounds(names: ["陈杰", "杰儿"]))
        #expect(Mark.parse("右膝蓋有疤，頭頂有兩個旋") == Mark.parse("右膝盖有疤，头顶有两个旋"))
        #expect(Mark.parse("右膝蓋有疤") == [Mark(kind: .scar, bodyPart: .knee, side: .right)])
        #expect(ChildDescription.placeKeys("廣東省廣州市") == ChildDescription.placeKeys("广东省广州市"))
        #expect(ChildDescription.sharedPlaceName("廣東廣州", "广东广州救助站") == "广东广州")
        // A found child recorded in traditional characters against a case in simplified ones.
        let chenJie = try abductionCase(named: "陈杰", 1)
        let found = try description(
            .childFound,
            [
                ("foundOn", "2020"), ("place", "廣東省廣州市"), ("reportedBy", "y"), ("name", "陳傑"),
                ("marks", "右膝蓋有疤"),
            ],
            number: 2)
        let caseWithMarks = try description(
            .abductionReported,
            [
                ("sex", "male"), ("missingSince", "2016"), ("place", "广东省广州市"), ("reporterName", "x"),
                ("childName", "陈杰"), ("marks", "右膝盖有疤痕"),
            ],
            number: 3)
        let rarity = Rarity(descriptions: [chenJie, found, caseWithMarks])
        #expect(names(chenJie, found, rarity).reasons.map(\.text) == ["names: 陳傑 ~ 陈杰 (chen-jie)"])
        let comparison = try #require(Matcher.compare(abductionCase: caseWithMarks, found: found, rarity: rarity))
        #expect(comparison.reasons.contains { $0.text.hasPrefix("marks: scar right knee ~ 右膝盖有疤痕") })
        #expect(comparison.reasons.contains { $0.text.hasPrefix("found in 广东, where last seen") })
    }

    @Test func aPlaceWrittenInPinyinMeetsItsCharacters() throws {
        #expect(ChildDescription.placeSounds("Chengdu Children's Welfare Home", keys: []) == ["cheng-du"])
        #expect(
            ChildDescription.placeSounds("四川成都", keys: ChildDescription.placeKeys("四川成都")) == ["si-chuan", "cheng-du"])
        // Pinyin writes an apostrophe before a syllable beginning with a vowel: Henan is he nan.
        #expect(ChildDescription.placeSounds("Henan Sheng Zhoukou Shi", keys: []) == ["he-nan", "zhou-kou"])
        #expect(Pinyin.syllables(of: "Xi'an") == ["xi", "an"])
        func place(_ text: String, found: Bool, _ number: UInt8) throws -> ChildDescription {
            try description(
                found ? .childFound : .abductionReported,
                found
                    ? [("foundOn", "2016-05"), ("place", .string(text)), ("reportedBy", "y")]
                    : [("sex", "male"), ("missingSince", "2016-01"), ("place", .string(text)), ("reporterName", "x")],
                number: number)
        }
        let chengdu = try place("四川成都", found: false, 1)
        let inPinyin = try place("Chengdu, Sichuan", found: true, 2)
        let suzhou = try place("江苏苏州", found: false, 3)
        let suzhouOfAnhui = try place("安徽宿州救助站", found: true, 4)
        let rarity = Rarity(descriptions: [chengdu, inPinyin, suzhou, suzhouOfAnhui])
        func placeReasons(_ a: ChildDescription, _ f: ChildDescription) throws -> [String] {
            try #require(Matcher.compare(abductionCase: a, found: f, rarity: rarity)).reasons.map(\.text).filter {
                $0.hasPrefix("found")
            }
        }
        #expect(
            try placeReasons(chengdu, inPinyin) == [
                "found in Chengdu, Sichuan ~ 四川成都, where last seen, 3 to 5 months after"
            ]
        )
        // In characters two places that sound alike are two places.
        #expect(try placeReasons(suzhou, suzhouOfAnhui) == ["found 3 to 5 months after going missing"])
        // A place nobody knows is no place two records share.
        let unknownCase = try place("不详", found: false, 5)
        let unknownFound = try place("地点不详", found: true, 6)
        let unknownInEnglish = try place("Unknown", found: true, 7)
        #expect(unknownCase.placeCodes.isEmpty && unknownFound.placeCodes.isEmpty)
        #expect(unknownInEnglish.placeSoundCodes.isEmpty)
        #expect(try placeReasons(unknownCase, unknownFound) == ["found 3 to 5 months after going missing"])
    }

    @Test func aSurnameIsReadAsASurname() {
        #expect(NameSounds(names: ["曾伟"]).words.syllables == ["zeng", "wei"])
        #expect(
            NameSounds(names: ["曾伟"]).words.sequences
                == NameSounds(names: ["Zeng Wei"]).words.sequences.subtracting(["wei-zeng"]))
        #expect(NameSounds(names: ["单雪"]).words.syllables == ["shan", "xue"])
        // Not in the middle of a name, nor in a doubled milk name.
        #expect(NameSounds(names: ["王曾"]).words.syllables == ["wang", "ceng"])
        #expect(NameSounds(names: ["卜凡"]).words.syllables == ["bu", "fan"])
    }

    @Test func namesRomanizedInHongKongOrTaiwanAreRead() throws {
        #expect(Pinyin.syllables(of: "Cheung Wai") == ["zhang", "wei"])
        #expect(Pinyin.syllables(of: "Hsu Chih-ming") == ["xu", "zhi", "ming"])
        // Chan is a pinyin syllable as well as 陈 in Cantonese: read as 陈 too where the name shows
        // it is not pinyin (a surname pinyin never gives, a Cantonese or Wade-Giles word, a
        // hyphenated given name), never in a name written in pinyin.
        #expect(Pinyin.syllables(of: "Chan") == ["chan"])
        #expect(Pinyin.nameReadings(of: "Chan Siu Ming") == [["chan", "xiao", "ming"], ["chen", "xiao", "ming"]])
        #expect(Pinyin.nameReadings(of: "Chang Mei-ling").contains(["zhang", "mei", "ling"]))
        #expect(Pinyin.nameReadings(of: "Zhang Chao") == [["zhang", "chao"]])
        #expect(Pinyin.nameReadings(of: "Chang Ming") == [["chang", "ming"]])
        let chenXiaoming = try abductionCase(named: "陈小明", 7)
        let chan = try foundChild(giving: "Chan Siu Ming", 8)
        let chen = try foundChild(giving: "Chen Xiao Ming", 9)
        let those = Rarity(descriptions: [chenXiaoming, chan, chen])
        #expect(isClose(names(chenXiaoming, chan, those).score, names(chenXiaoming, chen, those).score, within: 1e-9))
        // Wong is 黄 or 王.
        #expect(Pinyin.nameReadings(of: "Wong Ming") == [["huang", "ming"], ["wang", "ming"]])
        let huangMing = try abductionCase(named: "黄明", 1)
        let wangMing = try abductionCase(named: "王明", 2)
        let wong = try foundChild(giving: "Wong Ming", 3)
        let rarity = Rarity(descriptions: [huangMing, wangMing, wong])
        #expect(names(huangMing, wong, rarity).reasons.map(\.text) == ["names: Wong Ming ~ 黄明 (huang-ming)"])
        #expect(names(wangMing, wong, rarity).reasons.map(\.text) == ["names: Wong Ming ~ 王明 (wang-ming)"])
    }

    @Test func aNameIsReadAsNamesAreRead() throws {
        // 晟 is sheng in a name; 长 and 乐 are read both ways.
        #expect(NameSounds(names: ["李晟"]).words.syllables == ["li", "sheng"])
        #expect(
            Pinyin.nameReadings(of: "长乐") == [["zhang", "le"], ["chang", "le"], ["zhang", "yue"], ["chang", "yue"]])
        #expect(NameSounds(names: ["王长乐"]).words.sequences.isSuperset(of: ["wang-chang-le", "chang-le", "zhang-le"]))
        let wangChangle = try abductionCase(named: "王长乐", 1)
        let changle = try foundChild(giving: "Changle", 2)
        let zhangle = try foundChild(giving: "Zhang Le", 3)
        let rarity = Rarity(descriptions: [wangChangle, changle, zhangle])
        // The child's given name whole, whichever way 长 is read.
        #expect(names(wangChangle, changle, rarity).reasons.map(\.text) == ["names: Changle ~ 王长乐 (chang-le)"])
        #expect(
            isClose(names(wangChangle, changle, rarity).score, names(wangChangle, zhangle, rarity).score, within: 1e-9))
    }

    @Test func aSyllableReadTwoWaysIsOneSyllable() throws {
        // 乐 is le or yue: a child called 乐乐 against 王越 gave yue, and le is no syllable unheard.
        let wangYue = try abductionCase(named: "王越", 1)
        let leLe = try foundChild(giving: "乐乐", 2)
        let yueYue = try foundChild(giving: "悦悦", 3)
        var rarity = Rarity(descriptions: [wangYue, leLe, yueYue])
        #expect(names(wangYue, leLe, rarity).score > 1)
        #expect(isClose(names(wangYue, leLe, rarity).score, names(wangYue, yueYue, rarity).score, within: 1e-9))
        // Wong is huang or wang: against 黄明, as much as Huang.
        let huangMing = try abductionCase(named: "黄明", 4)
        let wong = try foundChild(giving: "Wong Ming", 5)
        let huang = try foundChild(giving: "Huang Ming", 6)
        rarity = Rarity(descriptions: [huangMing, wong, huang])
        #expect(isClose(names(huangMing, wong, rarity).score, names(huangMing, huang, rarity).score, within: 1e-9))
    }

    @Test func aMilkNameIsMadeOfTheLastSyllable() {
        #expect(NameSounds(names: ["黄涛霞"]).words.sequences == ["huang-tao-xia", "tao-xia", "xia"])
        #expect(NameSounds(names: ["霞霞"]).words.sequences == ["xia-xia", "xia"])
        #expect(NameSounds(names: ["刘明"]).words.foldedSequences == ["liu-min", "min"])
    }

    @Test func theBackOfTheHandIsTheHand() {
        #expect(Mark.parse("scar on left back of the hand") == [Mark(kind: .scar, bodyPart: .hand, side: .left)])
        #expect(Mark.parse("scar on the back of the right hand") == [Mark(kind: .scar, bodyPart: .hand, side: .right)])
        #expect(Mark.parse("mole on the back of his left hand") == [Mark(kind: .mole, bodyPart: .hand, side: .left)])
        #expect(
            Mark.parse("birthmark on the back of the left knee") == [
                Mark(kind: .birthmark, bodyPart: .knee, side: .left)
            ])
        #expect(Mark.parse("mole on the back of the neck") == [Mark(kind: .mole, bodyPart: .neck, side: nil)])
        #expect(Mark.parse("scar on the back of her head") == [Mark(kind: .scar, bodyPart: .head, side: nil)])
        #expect(Mark.parse("mole on back of neck") == [Mark(kind: .mole, bodyPart: .neck, side: nil)])
        #expect(Mark.parse("scar on the back") == [Mark(kind: .scar, bodyPart: .back, side: nil)])
    }

    @Test func theSharedPlaceIsNamedWhole() {
        #expect(ChildDescription.sharedPlaceName("山东济南", "山东济南救助站") == "山东济南")
        #expect(ChildDescription.sharedPlaceName("四川成都", "成都市儿童福利院") == "成都")
        #expect(ChildDescription.sharedPlaceName("福建莆田", "福建莆田救助站") == "福建莆田")
        #expect(ChildDescription.sharedPlaceName("北京", "上海") == "")
    }
}

@Suite struct MarkWordingTests {
    @Test func marksAreReadHoweverTheyAreWorded() {
        let read: [String: Mark] = [
            "two hair whorls": Mark(kind: .doubleWhorl, bodyPart: nil, side: nil),
            // As `reunite candidates` names the kind: it read as no mark before.
            "double hair whorl": Mark(kind: .doubleWhorl, bodyPart: nil, side: nil),
            "右手六个指头": Mark(kind: .extraDigit, bodyPart: .hand, side: .right),
            "右手大拇指旁多一指": Mark(kind: .extraDigit, bodyPart: .finger, side: .right),
            "左脚多长了一个脚趾": Mark(kind: .extraDigit, bodyPart: .foot, side: .left),
            "extra digit on the left hand": Mark(kind: .extraDigit, bodyPart: .hand, side: .left),
            "double-whorl": Mark(kind: .doubleWhorl, bodyPart: nil, side: nil),
            "double-crown": Mark(kind: .doubleWhorl, bodyPart: nil, side: nil),
            // 漩 typed for 旋, and the whorl named with the head.
            "头发有两个漩": Mark(kind: .doubleWhorl, bodyPart: .head, side: nil),
            "两个头旋": Mark(kind: .doubleWhorl, bodyPart: nil, side: nil),
            // Several fingers, not one more.
            "多个手指有疤": Mark(kind: .scar, bodyPart: .finger, side: nil),
            "右手小指断了一截": Mark(kind: .missingDigit, bodyPart: .finger, side: .right),
            "missing part of right little finger": Mark(kind: .missingDigit, bodyPart: .finger, side: .right),
            "右手缺一根手指": Mark(kind: .missingDigit, bodyPart: .hand, side: .right),
            // The lost-finger wordings are made from their parts, as the extra finger's are.
            "左手小拇指缺一截": Mark(kind: .missingDigit, bodyPart: .finger, side: .left),
            "左手缺了一根": Mark(kind: .missingDigit, bodyPart: .hand, side: .left),
            "右脚少了一个脚趾": Mark(kind: .missingDigit, bodyPart: .foot, side: .right),
            "右手大拇指旁多一个小指头": Mark(kind: .extraDigit, bodyPart: .finger, side: .right),
            // A pit before the ear, worded as the hole it is.
            "耳前有小洞": Mark(kind: .earPit, bodyPart: .ear, side: nil),
            "left ear has a small hole in front": Mark(kind: .earPit, bodyPart: .ear, side: .left),
            "pit in front of right ear": Mark(kind: .earPit, bodyPart: .ear, side: .right),
            "左脚并趾": Mark(kind: .webbedDigits, bodyPart: .foot, side: .left),
            "webbed toes on left foot": Mark(kind: .webbedDigits, bodyPart: .foot, side: .left),
            "脖子有白癜风": Mark(kind: .vitiligo, bodyPart: .neck, side: nil),
            "vitiligo on neck": Mark(kind: .vitiligo, bodyPart: .neck, side: nil),
            "lazy left eye": Mark(kind: .squint, bodyPart: .eye, side: .left),
            "port wine stain on neck": Mark(kind: .birthmark, bodyPart: .neck, side: nil),
            "Mongolian spot on buttocks": Mark(kind: .birthmark, bodyPart: .buttock, side: nil),
            "左耳前有小孔": Mark(kind: .earPit, bodyPart: .ear, side: .left),
            "右耳有拴马桩": Mark(kind: .earPit, bodyPart: .ear, side: .right),
            "左眼斜视": Mark(kind: .squint, bodyPart: .eye, side: .left),
            "左手有六个手指": Mark(kind: .extraDigit, bodyPart: .hand, side: .left),
            "后脑勺有疤": Mark(kind: .scar, bodyPart: .head, side: nil),
            "mole, R hand": Mark(kind: .mole, bodyPart: .hand, side: .right),
            "mole on rt cheek": Mark(kind: .mole, bodyPart: .cheek, side: .right),
            "scar lt knee": Mark(kind: .scar, bodyPart: .knee, side: .left),
            "left earlobe mole": Mark(kind: .mole, bodyPart: .ear, side: .left),
            "birthmark on nape": Mark(kind: .birthmark, bodyPart: .neck, side: nil),
            "豁嘴": Mark(kind: .cleftLip, bodyPart: nil, side: nil),
            "cleft palate": Mark(kind: .cleftLip, bodyPart: nil, side: nil),
            // 手术 is surgery, not the hand (手).
            "兔唇手术疤痕": Mark(kind: .cleftLip, bodyPart: nil, side: nil),
            "肚子上有一道手术疤痕": Mark(kind: .scar, bodyPart: .belly, side: nil),
            // Freckles are not the birthmark 斑 alone would say; warts are a kind of their own.
            "鼻子上有雀斑": Mark(kind: .freckles, bodyPart: .nose, side: nil),
            "freckles on nose": Mark(kind: .freckles, bodyPart: .nose, side: nil),
            "右手大拇指有疣": Mark(kind: .wart, bodyPart: .finger, side: .right),
            // A spot, patch or stain of colour is a birthmark, as 斑 is.
            "café-au-lait spot on right leg": Mark(kind: .birthmark, bodyPart: .leg, side: .right),
            "large brown patch on back": Mark(kind: .birthmark, bodyPart: .back, side: nil),
            "stork bite on neck": Mark(kind: .birthmark, bodyPart: .neck, side: nil),
            "beauty mark on chin": Mark(kind: .mole, bodyPart: .chin, side: nil),
            // A healed cut or stitched wound is a scar.
            "cut on chin": Mark(kind: .scar, bodyPart: .chin, side: nil),
            "左小腿有伤口": Mark(kind: .scar, bodyPart: .leg, side: .left),
            "crossed eyes": Mark(kind: .squint, bodyPart: nil, side: nil),
            // Parts named by a place within them.
            "a red birthmark on the back of his neck": Mark(kind: .birthmark, bodyPart: .neck, side: nil),
            "scar on left elbow": Mark(kind: .scar, bodyPart: .arm, side: .left),
            "左胳膊肘有疤": Mark(kind: .scar, bodyPart: .arm, side: .left),
            "左腋下有痣": Mark(kind: .mole, bodyPart: .arm, side: .left),
            "nevus on the left temple": Mark(kind: .mole, bodyPart: .head, side: .left),
            "左太阳穴有痣": Mark(kind: .mole, bodyPart: .head, side: .left),
            "mole on collarbone": Mark(kind: .mole, bodyPart: .chest, side: nil),
            "锁骨上有痣": Mark(kind: .mole, bodyPart: .chest, side: nil),
            "scar on right hip": Mark(kind: .scar, bodyPart: .waist, side: .right),
            "右髋部有疤": Mark(kind: .scar, bodyPart: .waist, side: .right),
            "bluish patch on lower back": Mark(kind: .birthmark, bodyPart: .waist, side: nil),
            "birthmark in the small of her back": Mark(kind: .birthmark, bodyPart: .waist, side: nil),
            "后腰有青色胎记": Mark(kind: .birthmark, bodyPart: .waist, side: nil),
            "upper back: mole": Mark(kind: .mole, bodyPart: .back, side: nil),
            "mole on the jaw": Mark(kind: .mole, bodyPart: .chin, side: nil),
            "mole on throat": Mark(kind: .mole, bodyPart: .neck, side: nil),
            "喉咙处有疤": Mark(kind: .scar, bodyPart: .neck, side: nil),
            "scar on shin": Mark(kind: .scar, bodyPart: .leg, side: nil),
            "mole near navel": Mark(kind: .mole, bodyPart: .belly, side: nil),
            "scar on left heel": Mark(kind: .scar, bodyPart: .foot, side: .left),
            "面部右侧有疤痕": Mark(kind: .scar, bodyPart: .cheek, side: .right),
            // An ear tag as Chinese notices name it.
            "左侧耳朵有赘肉": Mark(kind: .earPit, bodyPart: .ear, side: .left),
            "左耳前有副耳": Mark(kind: .earPit, bodyPart: .ear, side: .left),
            "右耳有耳赘": Mark(kind: .earPit, bodyPart: .ear, side: .right),
            "skin tag in front of left ear": Mark(kind: .earPit, bodyPart: .ear, side: .left),
            // Each finger by its name, and a toe named as a finger of the foot.
            "左手食指有疤": Mark(kind: .scar, bodyPart: .finger, side: .left),
            "右手中指有痣": Mark(kind: .mole, bodyPart: .finger, side: .right),
            "left pinky scar": Mark(kind: .scar, bodyPart: .finger, side: .left),
            "左脚小指有痣": Mark(kind: .mole, bodyPart: .toe, side: .left),
            "右脚大脚拇指有疤": Mark(kind: .scar, bodyPart: .toe, side: .right),
            "胳肢窝有痣": Mark(kind: .mole, bodyPart: .arm, side: nil),
            "鬓角有胎记": Mark(kind: .birthmark, bodyPart: .head, side: nil),
            "人中有痣": Mark(kind: .mole, bodyPart: .lip, side: nil),
            "mole on philtrum": Mark(kind: .mole, bodyPart: .lip, side: nil),
            "左肋下有胎记": Mark(kind: .birthmark, bodyPart: .chest, side: .left),
            "mole on right ribs": Mark(kind: .mole, bodyPart: .chest, side: .right),
            "scar on the left collar bone": Mark(kind: .scar, bodyPart: .chest, side: .left),
            "scar in the groin": Mark(kind: .scar, bodyPart: .waist, side: nil),
        ]
        for (text, mark) in read { #expect(Mark.parse(text) == [mark], "\(text)") }
        // A front tooth lost is no finger, pierced ears (耳洞) no pit, and an armpit no pit.
        #expect(Mark.parse("门牙缺了一个").isEmpty)
        #expect(Mark.parse("有耳洞").isEmpty)
        #expect(Mark.parse("armpit mole") == [Mark(kind: .mole, bodyPart: .arm, side: nil)])
        // A clause naming only a place does not move a mark already placed.
        #expect(Mark.parse("mole on left cheek, nose") == [Mark(kind: .mole, bodyPart: .cheek, side: .left)])
    }

    @Test func aMarkTheChildDoesNotHaveIsNoMark() {
        for none in ["无", "无明显特征", "none", "No distinguishing marks", "no scars", "没有胎记或痣", "未见明显疤痕", "不详", "unknown"] {
            let read = Mark.read(none)
            #expect(read.marks.isEmpty && read.otherWords.isEmpty, "\(none)")
        }
        let moleLeftCheek = Mark(kind: .mole, bodyPart: .cheek, side: .left)
        #expect(Mark.parse("no scars but a mole on the left cheek") == [moleLeftCheek])
        #expect(Mark.parse("无明显胎记，但左脸有痣") == [moleLeftCheek])
        #expect(Mark.parse("左脸有痣，无其他特征") == [moleLeftCheek])
        #expect(Mark.read("左脸有痣，其他不详") == ([moleLeftCheek], []))
        // A mark whose place nobody knows is still the mark.
        #expect(Mark.parse("胎记位置不详") == [Mark(kind: .birthmark, bodyPart: nil, side: nil)])
        // 无名指, the ring finger, says no "none"; nor does the "no" in "nose".
        #expect(Mark.parse("右手无名指有疤") == [Mark(kind: .scar, bodyPart: .finger, side: .right)])
        #expect(Mark.parse("mole on nose") == [Mark(kind: .mole, bodyPart: .nose, side: nil)])
    }

    @Test func aMarkGainedAfterGoingMissingCountsLessAgainst() throws {
        let abductionCase = try maleCase(marks: "左脸有痣")
        let scarred = try maleFound(marks: "scar on right knee", 2)
        let birthmarked = try maleFound(marks: "birthmark on right knee", 3)
        let rarity = Rarity(descriptions: [abductionCase, scarred, birthmarked])
        var scar = Matcher.Tally(explain: false)
        Matcher.addMarks(abductionCase, scarred, rarity, to: &scar)
        var birthmark = Matcher.Tally(explain: false)
        Matcher.addMarks(abductionCase, birthmarked, rarity, to: &birthmark)
        #expect(scar.score < 0)
        #expect(birthmark.score < scar.score)
    }

    @Test func featuresTheVocabularyCannotReadAreComparedByTheirWords() throws {
        #expect(Mark.read("左脸有痣，头顶一撮白发").otherWords == ["撮白", "白发"])
        #expect(Mark.read("左脸有痣，头顶一撮白发").marks == [Mark(kind: .mole, bodyPart: .cheek, side: .left)])
        #expect(Mark.read("white forelock; mole on the left cheek").otherWords == ["white", "forelock"])
        // A clause that names a mark gives no other words: its colour or size is the mark's.
        #expect(Mark.read("红色胎记，small mole").otherWords.isEmpty)
        // What an intake form says of every healthy child is no feature to share.
        #expect(Mark.read("发育正常，营养良好").otherWords.isEmpty)
        #expect(Mark.read("healthy, nothing notable").otherWords.isEmpty)
        #expect(Mark.read("身体健康，皮肤白").otherWords == ["身体", "皮肤", "肤白"])
        let abductionCase = try maleCase(marks: "左脸有痣，后背胎记像蝴蝶，头顶一撮白发")
        let alike = try maleFound(marks: "头发有一撮白发", 2)
        let other = try maleFound(marks: "牙齿不齐", 3)
        let rarity = Rarity(descriptions: [abductionCase, alike, other])
        var shared = Matcher.Tally(explain: true)
        Matcher.addOtherFeatures(abductionCase, alike, rarity, to: &shared)
        #expect(shared.reasons.map(\.text) == [#"marks: 头发有一撮白发 ~ 头顶一撮白发 (both say "撮白发")"#])
        #expect(shared.score > 0)
        var none = Matcher.Tally(explain: true)
        Matcher.addOtherFeatures(abductionCase, other, rarity, to: &none)
        #expect(none.reasons.isEmpty)
    }

    @Test func aCaseMarkTheShelterDidNotDescribeCountsAgainstABirthmarkLess() throws {
        let abductionCase = try maleCase(marks: "左脸有痣，背上有胎记")
        let withMole = try maleFound(marks: "mole on the left cheek", 2)
        let withBirthmark = try maleFound(marks: "birthmark on the back", 3)
        let rarity = Rarity(descriptions: [abductionCase, withMole, withBirthmark])
        func against(_ found: ChildDescription) -> Reason? {
            var tally = Matcher.Tally(explain: true)
            Matcher.addMarks(abductionCase, found, rarity, to: &tally)
            return tally.reasons.last
        }
        // The birthmark may have faded: 0.7; a mole the shelter would have seen: 0.5.
        #expect(against(withMole)?.text == "marks: 1 of the case's not described when found")
        #expect(abs(against(withMole)!.log10Ratio - log10(0.7)) < 1e-9)
        #expect(abs(against(withBirthmark)!.log10Ratio - log10(0.5)) < 1e-9)
        #expect(against(withBirthmark)?.chinese == "体貌特征：案件中有 1 处特征被找到时未记录")
        // A shelter that wrote no marks at all says nothing either way.
        let withNone = try description(
            .childFound, [("foundOn", "2016"), ("place", "y"), ("sex", "male"), ("reportedBy", "y")], number: 4)
        #expect(against(withNone) == nil)
    }
}

@Suite struct PinyinWordingTests {
    @Test func toneMarksAndMilkPrefixesInPinyin() {
        #expect(NameSounds(names: ["Xiǎo Míng"]).words.sequences == NameSounds(names: ["小明"]).words.sequences)
        #expect(NameSounds(names: ["Lǚ Lü"]).words.syllables == ["lu"])
        #expect(NameSounds(names: ["Ah Ming"]).words.syllables == ["ming"])
    }
}

/// Records reach a node from peers and from import files: whatever text they hold, reading and
/// comparing them must neither crash nor give a score that is not a number.
@Suite struct OddTextTests {
    @Test func anyTextIsReadAndComparedToAFiniteScore() throws {
        let alphabet = Array(
            "左右脸痣胎记疤头顶一撮白发小明阿王李张四川成都江西南昌广西南宁省市救助站有个的 ,;.，；。、/\n和及"
                + "abcdefghijklmnopqrstuvwxyz ABC-'0123456789ǎüē👶\u{301}\u{30C}\t")
        var rng = SeededGenerator(seed: 7)
        func text() -> String {
            String((0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
        }
        var compared = 0
        for round in 0..<2_000 {
            guard
                let abductionCase = try? record(
                    .abductionReported,
                    [
                        ("sex", "male"), ("born", "2010"), ("missingSince", "2013"), ("place", .string(text())),
                        ("reporterName", "x"), ("childName", .string(text())), ("otherNames", .string(text())),
                        ("marks", .string(text())),
                    ], number: 1),
                let found = try? record(
                    .childFound,
                    [
                        ("foundOn", "2016"), ("ageMonths", "70"), ("place", .string(text())), ("sex", "male"),
                        ("reportedBy", "y"), ("name", .string(text())), ("marks", .string(text())),
                    ], number: 2),
                let caseDescription = ChildDescription(record: abductionCase),
                let foundDescription = ChildDescription(record: found)
            else { continue }
            let rarity = Rarity(descriptions: [caseDescription, foundDescription])
            let comparison = Matcher.compare(abductionCase: caseDescription, found: foundDescription, rarity: rarity)
            #expect(
                comparison.map { $0.score.isFinite && $0.reasons.allSatisfy { $0.log10Ratio.isFinite } } != false,
                "round \(round)")
            let index = CandidateIndex(side: .abductionCase, descriptions: [caseDescription])
            _ = index.candidates(for: foundDescription, rarity: rarity, limit: 5)
            compared += 1
        }
        #expect(compared > 1_000)
    }
}

@Suite struct CertificateSerialTests {
    @Test func oneSerialHoweverItIsTyped() {
        for text in ["M440123456, 广州市妇幼保健院", "出生医学证明编号：m440123456", "Ｍ４４０１２３４５６ 广州"] {
            #expect(BirthCertificates.serial(in: text) == "M440123456", "\(text)")
        }
        #expect(BirthCertificates.serial(in: "广州市妇幼保健院") == nil)
        #expect(BirthCertificates.serial(in: "No. 12345") == nil)
    }
}
