import LedgerCore
import Matching

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

extension RandomNumberGenerator {
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }

    mutating func normal(_ sd: Double) -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return sd * (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    mutating func exponential(mean: Double) -> Double {
        -mean * log(Double.random(in: Double.ulpOfOne..<1, using: &self))
    }
}

/// A synthetic register with known truth: families whose child went missing (a case each),
/// some of those children found later and recorded by a shelter (with a noisy age, a far-away
/// place, reworded marks, a misheard or replaced name), and decoys: found children with no case.
struct Population {
    var cases: [Record] = []
    var found: [Record] = []
    /// Found child -> the case of the same child. Decoys have none.
    var truth: [EventID: EventID] = [:]
    var decoys: Set<EventID> = []

    struct Options {
        var cases = 20_000
        var foundWithCase = 2_000
        var decoys = 1_000
        var seed: UInt64 = 2026
    }

    init(_ options: Options) {
        var rng = SeededGenerator(seed: options.seed)
        var next: UInt64 = 0
        func newID() -> EventID {
            next += 1
            var bytes = [UInt8](repeating: 0, count: 32)
            for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: (next &* 0x9E37_79B9_7F4A_7C15) >> (8 * UInt64(i))) }
            bytes[31] = UInt8(truncatingIfNeeded: next)
            bytes[30] = UInt8(truncatingIfNeeded: next >> 8)
            bytes[29] = UInt8(truncatingIfNeeded: next >> 16)
            return EventID(bytes: bytes)
        }
        for family in 0..<(options.cases + options.decoys) {
            let child = Child.random(using: &rng)
            let isDecoy = family >= options.cases
            var caseID: EventID?
            if !isDecoy {
                let id = newID()
                cases.append(Self.record(id, .abductionReported, child.caseFields(using: &rng)))
                caseID = id
            }
            guard isDecoy || family < options.foundWithCase else { continue }
            let foundID = newID()
            found.append(Self.record(foundID, .childFound, child.foundFields(using: &rng)))
            if let caseID { truth[foundID] = caseID } else { decoys.insert(foundID) }
        }
    }

    static func record(_ id: EventID, _ kind: EventKind, _ fields: FieldSet) -> Record {
        Record(
            id: id, kind: kind, origin: NodeID(bytes: [UInt8](repeating: 7, count: 32)),
            createdAt: HybridTimestamp(rawValue: 0), fields: fields, retracted: false, history: [id])
    }
}

/// One child's truth, from which the family's and the shelter's records are drawn.
struct Child {
    var sex: Sex
    var bornDay: Int
    var missingDay: Int
    var home: Place
    var surname: Character
    var given: [Character]
    /// The name the family calls the child at home, made from the last character of the given
    /// name: 小明, 明明 or 阿明. The family may write it down; the child may give it.
    var milkName: String
    var marks: [(kind: Mark.Kind, part: Mark.BodyPart?, side: Mark.Side?)]
    var blood: BloodType.Group
    var parentsDNA: (mother: DNAProfile?, father: DNAProfile?)?
    var family: Family

    static let firstDay = 10_957  // 2000-01-01
    static let lastDay = 20_453  // 2025-12-31

    static func random(using rng: inout some RandomNumberGenerator) -> Child {
        let born = Int.random(in: firstDay...(firstDay + 18 * 365), using: &rng)
        let missing = min(born + Int(rng.exponential(mean: 700)) + 1, lastDay - 30)
        var marks: [(Mark.Kind, Mark.BodyPart?, Mark.Side?)] = []
        // Most children have a mark a parent would name: a mole, a birthmark, a scar, a whorl.
        for _ in 0..<(rng.chance(0.7) ? (rng.chance(0.35) ? 2 : 1) : 0) {
            let kind = weighted(markKinds, &rng)
            let part = rng.pick(partsByKind[kind]!)
            let side: Mark.Side? = part.map { bilateral.contains($0) ? rng.pick([.left, .right]) : nil } ?? nil
            marks.append((kind, part, side))
        }
        let family = Family.random(using: &rng)
        let given = (0..<(rng.chance(0.7) ? 2 : 1)).map { _ in rng.pick(givenCharacters) }
        let last = String(given.last!)
        let milkName = rng.pick(["小" + last, last + last, "阿" + last])
        let parents: (DNAProfile?, DNAProfile?)?
        if rng.chance(0.5) {
            let who = Double.random(in: 0..<1, using: &rng)
            let mother = who < 0.8 ? family.mother.typed(with: rng.pick(kits)) : nil
            let father = who >= 0.5 ? family.father.typed(with: rng.pick(kits)) : nil
            parents = (mother, father)
        } else {
            parents = nil
        }
        return Child(
            sex: rng.chance(0.65) ? .male : .female, bornDay: born, missingDay: missing, home: rng.pick(places),
            surname: weighted(surnameWeights, &rng),
            given: given, milkName: milkName, marks: marks,
            blood: weighted([(.a, 0.28), (.b, 0.29), (.o, 0.34), (.ab, 0.09)], &rng), parentsDNA: parents,
            family: family)
    }

    var fullName: String { String(surname) + String(given) }

    // MARK: - What the family reports

    func caseFields(using rng: inout some RandomNumberGenerator) -> FieldSet {
        var fields = FieldSet()
        fields[.sex] = .sex(sex)
        fields[.born] = .date(Self.partial(bornDay, precision: Self.weighted([(3, 0.5), (2, 0.35), (1, 0.15)], &rng)))
        fields[.missingSince] = .date(Self.partial(missingDay, precision: 3))
        fields[.place] = .text(home.name)
        if rng.chance(0.8) {
            fields[.lat] = .microdegrees(Int64((home.lat + rng.normal(0.3)) * 1e6))
            fields[.lon] = .microdegrees(Int64((home.lon + rng.normal(0.3)) * 1e6))
        }
        if rng.chance(0.92) { fields[.childName] = .text(fullName) }
        if rng.chance(0.35) { fields[.otherNames] = .text(milkName) }
        let described = marks.filter { _ in rng.chance(0.8) }
        if !described.isEmpty {
            let chinese = rng.chance(0.8)
            fields[.marks] = .text(
                described.map { Self.describe($0, chinese: chinese, using: &rng) }.joined(
                    separator: chinese ? "，" : "; "))
        }
        if rng.chance(0.35) { fields[.bloodType] = .bloodType(BloodType(group: blood, rh: .unstated)) }
        fields[.reporterName] = .text(String(surname) + "先生")
        if let parents = parentsDNA {
            fields[.parentsDNA] = .parentsDNA(mother: parents.mother, father: parents.father)
        }
        return fields
    }

    // MARK: - What the shelter records

    func foundFields(using rng: inout some RandomNumberGenerator) -> FieldSet {
        var fields = FieldSet()
        let foundDay = min(
            missingDay + (rng.chance(0.3) ? Int.random(in: 1...60, using: &rng) : Int(rng.exponential(mean: 1100))),
            Self.lastDay)
        fields[.foundOn] = .date(Self.partial(foundDay, precision: rng.chance(0.7) ? 3 : 2))
        let place = rng.chance(0.4) ? home : rng.pick(Self.places)
        fields[.place] = .text(place.name + "救助站")
        if rng.chance(0.8) {
            let near = place.name == home.name
            fields[.lat] = .microdegrees(Int64((place.lat + rng.normal(near ? 0.5 : 0.3)) * 1e6))
            fields[.lon] = .microdegrees(Int64((place.lon + rng.normal(near ? 0.5 : 0.3)) * 1e6))
        }
        fields[.sex] = .sex(rng.chance(0.03) ? .unknown : sex)
        let ageMonths = Double(foundDay - bornDay) / 30.44
        let error = 1 + 0.1 * ageMonths
        if rng.chance(0.95) {
            fields[.ageMonths] = .months(UInt64(max(0, (ageMonths + rng.normal(error)).rounded())))
            if rng.chance(0.7) {
                fields[.ageUncertaintyMonths] = .months(
                    UInt64(max(1, (error * Double.random(in: 0.8...1.6, using: &rng)).rounded())))
            }
        }
        if let name = givenName(atMonths: ageMonths, using: &rng) {
            fields[.name] = .text(name)
        } else if let placeholder = Self.placeholder(Self.noNameWords, foundDay) {
            fields[.name] = .text(placeholder)
        }
        if rng.chance(0.4) {
            fields[.otherNames] = .text(String(rng.pick(Self.surnames)) + String(rng.pick(Self.givenCharacters)))
        }
        let described = marks.filter { _ in rng.chance(0.7) }
        if !described.isEmpty {
            let chinese = rng.chance(0.5)
            fields[.marks] = .text(
                described.map { mark in
                    var seen = mark
                    if rng.chance(0.05), let side = seen.side { seen.side = side == .left ? .right : .left }
                    if rng.chance(0.1), let part = seen.part, let coarse = Self.coarser[part] { seen.part = coarse }
                    return Self.describe(seen, chinese: chinese, using: &rng)
                }
                .joined(separator: chinese ? "，" : "; "))
        } else if let placeholder = Self.placeholder(Self.noMarksWords, foundDay) {
            fields[.marks] = .text(placeholder)
        }
        if rng.chance(0.25) {
            let recorded = rng.chance(0.01) ? rng.pick(BloodType.Group.allCases) : blood
            fields[.bloodType] = .bloodType(BloodType(group: recorded, rh: .unstated))
        }
        fields[.reportedBy] = .text(place.name + "救助站")
        // Police rescues of infants type their DNA almost always; shelters taking in older
        // children less often.
        if rng.chance(ageMonths < 36 ? 0.85 : 0.5) {
            fields[.childDNA] = .dna(family.child.typed(with: rng.pick(Self.kits)))
        }
        return fields
    }

    /// What a child says when asked their name: none for most infants; otherwise the given
    /// name, a milk name, the full name (misheard in dialect a quarter of the time) or
    /// something unrelated, written in characters or in pinyin.
    func givenName(atMonths age: Double, using rng: inout some RandomNumberGenerator) -> String? {
        let gives: Double = age < 24 ? 0.05 : age < 36 ? 0.3 : age < 48 ? 0.65 : 0.85
        guard rng.chance(gives) else { return nil }
        var syllables: [String]
        var isMilkName = false
        switch Double.random(in: 0..<1, using: &rng) {
        case ..<0.4: syllables = given.map(givenSyllable)
        case ..<0.65:
            syllables = Pinyin.syllables(of: milkName)
            isMilkName = true
        case ..<0.9: syllables = [Pinyin.surnameReadings[surname] ?? Self.syllable(surname)] + given.map(givenSyllable)
        default: syllables = [Self.syllable(rng.pick(Self.givenCharacters))]
        }
        syllables = syllables.map { rng.chance(0.25) ? Self.mishear($0, using: &rng) : $0 }
        if rng.chance(0.3) {
            return syllables.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        }
        // Staff write what they hear with a common name character where one sounds right, and a
        // milk name's first syllable as 小 or 阿.
        return String(
            syllables.enumerated().map { position, syllable in
                if isMilkName, position == 0, let prefix = Self.milkPrefixes[syllable] { return prefix }
                let candidates = Pinyin.characters(readAs: syllable)
                return candidates.first { Self.givenCharacters.contains($0) || Self.surnames.contains($0) }
                    ?? candidates.first ?? "?"
            })
    }

    /// What staff write in a field when there is nothing to write, for a third of the records
    /// without it: chosen by the found day rather than drawn, so that the rest of the population
    /// stays as it was, and these say nothing to the matcher.
    static func placeholder(_ words: [String], _ day: Int) -> String? {
        day % 3 == 0 ? words[day / 3 % words.count] : nil
    }
    static let noNameWords = ["不详", "未知", "unknown", "姓名不详", "N/A"]
    static let noMarksWords = ["无", "无明显特征", "none", "no distinguishing marks", "不详"]

    static func syllable(_ character: Character) -> String { Pinyin.syllables(of: String(character)).first ?? "" }

    /// A character of the given name as this child says it: one that names read two ways (乐,
    /// le or yue) is read the other way by half the families, chosen by the birth day rather
    /// than drawn, so that the rest of the population stays as it was.
    func givenSyllable(_ character: Character) -> String {
        guard let other = Pinyin.otherNameReadings[character], bornDay % 2 == 1 else { return Self.syllable(character) }
        return other
    }

    /// A dialect mishearing: zh/z, ch/c, sh/s, n/l, r/l, h/f before u, -ng/-n.
    static func mishear(_ syllable: String, using rng: inout some RandomNumberGenerator) -> String {
        var options: [String] = []
        for (a, b) in [("zh", "z"), ("ch", "c"), ("sh", "s")] {
            if syllable.hasPrefix(a) { options.append(b + syllable.dropFirst(2)) }
            if syllable.hasPrefix(b), !syllable.hasPrefix(a) { options.append(a + syllable.dropFirst(1)) }
        }
        if syllable.hasPrefix("n") { options.append("l" + syllable.dropFirst()) }
        if syllable.hasPrefix("l") { options.append("n" + syllable.dropFirst()) }
        if syllable.hasPrefix("r") { options.append("l" + syllable.dropFirst()) }
        if syllable.hasPrefix("hu") { options.append("f" + syllable.dropFirst(1)) }
        if syllable.hasPrefix("fu") { options.append("h" + syllable.dropFirst(1)) }
        if syllable.hasSuffix("ng") { options.append(String(syllable.dropLast())) }
        if syllable.hasSuffix("n") { options.append(syllable + "g") }
        let real = options.filter(Pinyin.isSyllable)
        return real.isEmpty ? syllable : rng.pick(real)
    }

    static func partial(_ day: Int, precision: Int) -> PartialDate {
        let (year, month, dayOfMonth) = PartialDate.civil(fromDay: day)
        return try! PartialDate(
            year: year, month: precision >= 2 ? month : nil, day: precision >= 3 ? dayOfMonth : nil)
    }

    static func describe(
        _ mark: (kind: Mark.Kind, part: Mark.BodyPart?, side: Mark.Side?), chinese: Bool,
        using rng: inout some RandomNumberGenerator
    ) -> String {
        if chinese {
            let side = mark.side.map { $0 == .left ? "左" : "右" } ?? ""
            let part = mark.part.map { rng.pick(partWordsChinese[$0]!) } ?? ""
            let kind = rng.pick(kindWordsChinese[mark.kind]!)
            return rng.chance(0.5) || side.isEmpty ? "\(side)\(part)有\(kind)" : "\(part)\(side)侧有\(kind)"
        }
        let side = mark.side.map { $0 == .left ? rng.pick(["left", "L"]) : rng.pick(["right", "R"]) }
        let part = mark.part.map { rng.pick(partWordsEnglish[$0]!) }
        let kind = rng.pick(kindWordsEnglish[mark.kind]!)
        let place = [side, part].compactMap { $0 }.joined(separator: " ")
        if place.isEmpty { return kind }
        return rng.chance(0.5) ? "\(kind) on \(place)" : "\(place): \(kind)"
    }

    static func weighted<T>(_ items: [(T, Double)], _ rng: inout some RandomNumberGenerator) -> T {
        var remaining = Double.random(in: 0..<items.reduce(0) { $0 + $1.1 }, using: &rng)
        for (item, weight) in items {
            remaining -= weight
            if remaining < 0 { return item }
        }
        return items.last!.0
    }

    // MARK: - Vocabulary

    static let milkPrefixes: [String: Character] = ["xiao": "小", "a": "阿"]

    /// The commonest surnames first, each less common than the one before (Zipf-like).
    static let surnameWeights = surnames.enumerated().map { ($1, 1 / Double($0 + 3)) }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
    static let givenCharacters = Array(
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志宝乐欢天佳俊浩宇轩子涵梓萱鑫博文晨雨欣怡思梦琪凯鹏飞辉斌龙海林波峰亮婷雪颖倩慧巧美晶琳兵东成阳春金福健家振瑞豪嘉航泽睿")

    static let markKinds: [(Mark.Kind, Double)] = [
        (.mole, 0.35), (.birthmark, 0.2), (.scar, 0.25), (.burn, 0.08), (.doubleWhorl, 0.07), (.extraDigit, 0.01),
        (.cleftLip, 0.01), (.dimple, 0.03),
    ]
    static let partsByKind: [Mark.Kind: [Mark.BodyPart?]] = [
        .mole: [.cheek, .forehead, .neck, .back, .arm, .hand, .chin, .ear, .nose, .lip, .chest],
        .birthmark: [.back, .buttock, .leg, .arm, .chest, .belly, .neck],
        .scar: [.forehead, .head, .knee, .hand, .arm, .leg, .chin, .eyebrow],
        .burn: [.hand, .arm, .leg, .foot, .chest],
        .doubleWhorl: [nil], .extraDigit: [.hand, .foot], .cleftLip: [.lip], .dimple: [.cheek],
    ]
    static let bilateral: Set<Mark.BodyPart> = [.cheek, .ear, .arm, .hand, .knee, .leg, .foot, .eyebrow, .buttock]
    static let coarser: [Mark.BodyPart: Mark.BodyPart] = [.knee: .leg, .hand: .arm, .eyebrow: .forehead, .chin: .cheek]

    static let kindWordsChinese: [Mark.Kind: [String]] = [
        .mole: ["痣", "黑痣", "一颗痣", "痦子"], .birthmark: ["胎记", "红色胎记", "青色胎记"], .scar: ["疤", "疤痕", "伤疤"],
        .burn: ["烫伤", "烫伤疤痕", "烧伤"], .doubleWhorl: ["两个旋", "双旋"], .extraDigit: ["六指", "多指"],
        .cleftLip: ["兔唇", "唇裂"], .dimple: ["酒窝"],
    ]
    static let kindWordsEnglish: [Mark.Kind: [String]] = [
        .mole: ["mole", "small mole", "nevus", "dark mole"],
        .birthmark: ["birthmark", "red birthmark", "port-wine mark"],
        .scar: ["scar", "small scar"], .burn: ["burn scar", "burn mark"], .doubleWhorl: ["two whorls", "double crown"],
        .extraDigit: ["extra finger", "six fingers"], .cleftLip: ["cleft lip", "repaired cleft lip"],
        .dimple: ["dimple"],
    ]
    static let partWordsChinese: [Mark.BodyPart: [String]] = [
        .cheek: ["脸", "脸颊", "面颊"], .forehead: ["额头", "脑门"], .neck: ["脖子", "颈部"], .back: ["背", "后背"],
        .arm: ["手臂", "胳膊"], .hand: ["手", "手背"], .chin: ["下巴"], .ear: ["耳朵", "耳后"], .nose: ["鼻子"],
        .lip: ["嘴角", "嘴唇"], .chest: ["胸口", "胸前"], .buttock: ["屁股", "臀部"], .leg: ["腿", "大腿", "小腿"],
        .belly: ["肚子", "腹部"], .knee: ["膝盖"], .head: ["头", "头顶"], .eyebrow: ["眉毛"], .foot: ["脚", "脚背"],
    ]
    static let partWordsEnglish: [Mark.BodyPart: [String]] = [
        .cheek: ["cheek", "face"], .forehead: ["forehead"], .neck: ["neck"], .back: ["back"],
        .arm: ["arm", "upper arm", "forearm"], .hand: ["hand", "back of the hand"], .chin: ["chin"],
        .ear: ["ear", "behind the ear"], .nose: ["nose"], .lip: ["lip", "corner of the mouth"], .chest: ["chest"],
        .buttock: ["buttock", "bottom"], .leg: ["leg", "thigh"], .belly: ["belly", "stomach"], .knee: ["knee"],
        .head: ["head", "scalp"], .eyebrow: ["eyebrow"], .foot: ["foot", "ankle"],
    ]

    /// Two common kits: a Goldeneye-like 19 loci and a Huaxia-like 23.
    static let kits: [[String]] = [
        [
            "D3S1358", "D13S317", "D7S820", "D16S539", "Penta E", "D2S1338", "D19S433", "vWA", "TPOX", "D18S51",
            "D5S818", "FGA", "D6S1043", "D8S1179", "D21S11", "TH01", "CSF1PO", "Penta D", "D12S391",
        ],
        [
            "CSF1PO", "FGA", "TH01", "TPOX", "vWA", "D3S1358", "D5S818", "D7S820", "D8S1179", "D13S317", "D16S539",
            "D18S51", "D21S11", "D1S1656", "D2S441", "D2S1338", "D10S1248", "D12S391", "D19S433", "D22S1045",
            "D6S1043", "Penta D", "Penta E",
        ],
    ]

    static let places: [Place] = [
        Place("北京", 39.90, 116.40), Place("天津", 39.13, 117.20), Place("河北石家庄", 38.04, 114.51),
        Place("山西太原", 37.87, 112.55), Place("内蒙古呼和浩特", 40.84, 111.75), Place("辽宁沈阳", 41.80, 123.43),
        Place("吉林长春", 43.82, 125.32), Place("黑龙江哈尔滨", 45.80, 126.53), Place("上海", 31.23, 121.47),
        Place("江苏南京", 32.06, 118.80), Place("浙江杭州", 30.27, 120.16), Place("安徽合肥", 31.82, 117.23),
        Place("福建福州", 26.07, 119.30), Place("江西南昌", 28.68, 115.86), Place("山东济南", 36.65, 117.12),
        Place("河南郑州", 34.75, 113.62), Place("湖北武汉", 30.59, 114.31), Place("湖南长沙", 28.23, 112.94),
        Place("广东广州", 23.13, 113.26), Place("广西南宁", 22.82, 108.37), Place("海南海口", 20.04, 110.34),
        Place("重庆", 29.56, 106.55), Place("四川成都", 30.57, 104.07), Place("贵州贵阳", 26.65, 106.63),
        Place("云南昆明", 25.04, 102.71), Place("西藏拉萨", 29.65, 91.13), Place("陕西西安", 34.34, 108.94),
        Place("甘肃兰州", 36.06, 103.83), Place("青海西宁", 36.62, 101.78), Place("宁夏银川", 38.49, 106.23),
        Place("新疆乌鲁木齐", 43.83, 87.62), Place("贵州毕节", 27.30, 105.29), Place("山东临沂", 35.10, 118.35),
        Place("福建莆田", 25.45, 119.01), Place("广东深圳", 22.54, 114.06),
    ]
}

struct Place {
    let name: String
    let lat: Double
    let lon: Double

    init(_ name: String, _ lat: Double, _ lon: Double) {
        self.name = name
        self.lat = lat
        self.lon = lon
    }
}

/// Parents drawn from the allele frequencies, and a child who inherits one allele from each,
/// with each parent's per-generation mutation rate of one repeat up or down.
struct Family {
    let mother: [String: DNAProfile.Genotype]
    let father: [String: DNAProfile.Genotype]
    let child: [String: DNAProfile.Genotype]

    static let loci = Array(Set(Child.kits.joined())).sorted()

    static func random(using rng: inout some RandomNumberGenerator) -> Family {
        var mother: [String: DNAProfile.Genotype] = [:]
        var father: [String: DNAProfile.Genotype] = [:]
        var child: [String: DNAProfile.Genotype] = [:]
        for locus in loci {
            let m = DNAProfile.Genotype(draw(locus, &rng), draw(locus, &rng))
            let f = DNAProfile.Genotype(draw(locus, &rng), draw(locus, &rng))
            mother[locus] = m
            father[locus] = f
            child[locus] = DNAProfile.Genotype(
                passOn(rng.chance(0.5) ? m.first : m.second, rate: Kinship.maternalMutationRate, &rng),
                passOn(rng.chance(0.5) ? f.first : f.second, rate: Kinship.paternalMutationRate, &rng))
        }
        return Family(mother: mother, father: father, child: child)
    }

    static func passOn(_ allele: UInt32, rate: Double, _ rng: inout some RandomNumberGenerator) -> UInt32 {
        guard rng.chance(rate) else { return allele }
        return rng.chance(0.5) || allele < 20 ? allele + 10 : allele - 10
    }

    static let tables: [String: [(UInt32, Double)]] = {
        var tables: [String: [(UInt32, Double)]] = [:]
        let text = AlleleFrequencies.chinese
        for locus in loci {
            // Draw from the alleles the table lists, by their frequencies.
            var alleles: [(UInt32, Double)] = []
            for tenths in stride(from: UInt32(30), through: 400, by: 1) {
                if let f = text.listedFrequency(of: tenths, at: locus) { alleles.append((tenths, f)) }
            }
            tables[locus] = alleles
        }
        return tables
    }()

    static func draw(_ locus: String, _ rng: inout some RandomNumberGenerator) -> UInt32 {
        Child.weighted(tables[locus]!, &rng)
    }
}

extension [String: DNAProfile.Genotype] {
    func typed(with kit: [String]) -> DNAProfile {
        DNAProfile(loci: filter { kit.contains($0.key) })
    }
}
