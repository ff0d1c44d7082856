import LedgerCore

/// What an abduction case or a found-child record says about the child, in the form the
/// matcher compares: days since 1970 for dates, parsed marks, name sounds, DNA as integers.
/// A class, read-only once made: an index holds a hundred thousand and hands them around.
public final class ChildDescription: Sendable {
    public enum Side: Sendable { case abductionCase, foundChild }

    public let id: EventID
    public let side: Side
    public let sex: Sex?
    /// Cases: the birth date as the family gave it, and the days it could mean.
    public let born: PartialDate?
    public let bornDays: ClosedRange<Int>?
    /// Found children: the found date minus the estimated age, and how far off that may be
    /// (one standard deviation, in days).
    public let estimatedBirth: (day: Double, spread: Double)?
    /// The days the child went missing (cases) or was found (found children).
    public let eventDays: ClosedRange<Int>
    public let coordinates: (lat: Double, lon: Double)?
    /// Pairs of Chinese characters in the place name (`placeKeys(_:)`), as the codes compared.
    let placeCodes: [UInt64]
    /// The same words as pinyin ("cheng-du"), and for a place written in Latin letters the
    /// pairs of syllables in each word ("Chengdu, Sichuan"): compared when either record names
    /// its place without characters, so that Chengdu meets 成都. Between two places in
    /// characters the characters are compared, since 苏州 and 宿州 sound alike.
    let placeSoundCodes: [UInt64]
    /// The place as written, for saying which place two records share.
    let placeText: String
    /// Where a found child said home is ("孩子说家在河南周口"), read as a place is; nil when the
    /// record does not say. Cases have none: where the child went missing is near home as a rule.
    let home: (text: String, codes: [UInt64], soundCodes: [UInt64])?

    /// The pairs of characters themselves, worked out again when asked: the matcher compares
    /// their codes, and none are kept for a place nobody knows.
    public var placeKeys: Set<String> { placeCodes.isEmpty ? [] : Self.placeKeys(placeText) }
    public let bloodGroup: BloodType.Group?
    /// The names matched on (a case's name and milk names, the name a found child gives), and
    /// their sounds.
    public let nameSounds: NameSounds
    public var names: [String] { nameSounds.names }
    /// A case's reporter when a parent; the parents a found child named.
    public let parentNames: [ParentName]
    public let marksText: String?
    public let marks: [Mark]
    /// Words of the described features that are no mark this vocabulary knows (Mark.read),
    /// each with its code.
    public let otherFeatures: [(word: String, code: UInt64)]
    /// A found child's profile, or the parents' of a case, as integer tables.
    public let childDNA: GenotypeTable?
    public let motherDNA: GenotypeTable?
    public let fatherDNA: GenotypeTable?
    /// The serial of the birth certificate, if the record names one.
    public let certificateSerial: String?

    /// What a place, a description of marks or a list of names reads as: the same text read
    /// once (a shelter's name is every found child's place there, milk names repeat).
    struct Readings {
        var places: [String: (codes: [UInt64], soundCodes: [UInt64])] = [:]
        var marks: [String: (marks: [Mark], otherFeatures: [(word: String, code: UInt64)])] = [:]
        var names: [[String]: NameSounds] = [:]

        mutating func place(_ text: String) -> (codes: [UInt64], soundCodes: [UInt64]) {
            if let read = places[text] { return read }
            // A place nobody knows is no place, not one every such record shares.
            guard !ChineseText.saysUnknown(text) else { return ([], []) }
            let keys = ChildDescription.placeKeys(text)
            let read = (
                keys.map(Code.place).sorted(),
                ChildDescription.placeSounds(text, keys: keys).map(Code.placeSound).sorted()
            )
            places[text] = read
            return read
        }

        mutating func marks(_ text: String) -> (marks: [Mark], otherFeatures: [(word: String, code: UInt64)]) {
            if let read = marks[text] { return read }
            let (found, otherWords) = Mark.read(text)
            let read = (found, otherWords.sorted().map { (word: $0, code: Code.feature($0)) })
            marks[text] = read
            return read
        }

        mutating func nameSounds(_ list: [String]) -> NameSounds {
            if let read = names[list] { return read }
            let read = NameSounds(names: list)
            names[list] = read
            return read
        }
    }

    /// Reads the cases and found children among `records`, on every core, each text read once
    /// for a stretch of records; the others are left out.
    public static func describe(_ records: [Record]) -> [ChildDescription] {
        let stretch = 4_096
        let stretches = stride(from: 0, to: records.count, by: stretch).map {
            records[$0..<min($0 + stretch, records.count)]
        }
        return Parallel.map(stretches, chunkSize: 1) { stretch in
            var readings = Readings()
            return stretch.compactMap { ChildDescription(record: $0, readings: &readings) }
        }.flatMap { $0 }
    }

    /// Reads an abduction case or a found child; nil for other records.
    public convenience init?(record: Record) {
        var readings = Readings()
        self.init(record: record, readings: &readings)
    }

    convenience init?(record: Record, readings: inout Readings) {
        let fields = record.fields
        let side: Side
        switch record.kind {
        case .abductionReported: side = .abductionCase
        case .childFound: side = .foundChild
        default: return nil
        }
        let sex: Sex? = if case .sex(let sex) = fields[.sex], sex != .unknown { sex } else { nil }
        let event = fields.date(side == .abductionCase ? .missingSince : .foundOn)
        let estimatedBirth: (Double, Double)? =
            if side == .foundChild, let event, case .months(let age) = fields[.ageMonths] {
                Self.estimateBirth(found: event, ageMonths: Double(age), fields: fields)
            } else {
                nil
            }
        let coordinates: (Double, Double)? =
            if case .microdegrees(let lat) = fields[.lat], case .microdegrees(let lon) = fields[.lon] {
                (Double(lat) / 1e6, Double(lon) / 1e6)
            } else {
                nil
            }
        let placeText = fields.text(.place) ?? ""
        let place = readings.place(placeText)
        let bloodGroup: BloodType.Group? = if case .bloodType(let type) = fields[.bloodType] { type.group } else { nil }
        // A case's other names are the family's (milk names); a found child's are the names given
        // after separation, which say nothing of the family and are left out of matching.
        // Each field read once, for the child's names and for the parents it names.
        let nameFields =
            ([fields.text(side == .abductionCase ? .childName : .name)]
            + (side == .abductionCase ? [fields.text(.otherNames)] : [])).compactMap { $0 }.map {
                NameSounds.read($0, foundChild: side == .foundChild)
            }
        // The name a found child said, or the family called them, as the circumstances tell it.
        let said = side == .foundChild ? fields.text(.circumstances).flatMap(Self.nameSaid(in:)) : nil
        var names: [String] = []
        for name in (nameFields + [said.map { NameSounds.read($0) }].compactMap { $0 }).flatMap(\.names)
        where !names.contains(name) {
            names.append(name)
        }
        // Not for a case giving no name: a surname alone would leave each syllable of the name a
        // found child gives unheard (Matcher.addNames), and count against the child's own case.
        if side == .abductionCase, !names.isEmpty,
            let surname = ParentName.reporterSurname(
                fields.text(.reporterName), relation: fields.text(.reporterRelation)),
            !names.contains(where: { NameSounds.begins($0, with: surname) })
        {
            names.append(surname)
        }
        let parentNames =
            side == .abductionCase
            ? [ParentName.reporter(fields.text(.reporterName), relation: fields.text(.reporterRelation))]
                .compactMap { $0 }
            : ParentName.told(
                in: nameFields + [fields.text(.circumstances).map { NameSounds.read($0) }].compactMap { $0 })
        let homeText =
            side == .foundChild
            ? [fields.text(.name), fields.text(.circumstances)].compactMap { $0.flatMap(Self.homeSaid(in:)) }.first
            : nil
        var home: (String, [UInt64], [UInt64])? = nil
        if let homeText {
            let read = readings.place(homeText)
            home = (homeText, read.codes, read.soundCodes)
        }
        let marksText = fields.text(.marks)
        let marks = marksText.map { readings.marks($0) } ?? ([], [])
        let dna: (child: GenotypeTable?, mother: GenotypeTable?, father: GenotypeTable?) =
            switch fields[side == .abductionCase ? .parentsDNA : .childDNA] {
            case .parentsDNA(let mother, let father):
                (nil, mother.map(GenotypeTable.init), father.map(GenotypeTable.init))
            case .dna(let profile): (GenotypeTable(profile), nil, nil)
            default: (nil, nil, nil)
            }
        self.init(
            id: record.id, side: side, sex: sex, born: side == .abductionCase ? fields.date(.born) : nil,
            estimatedBirth: estimatedBirth,
            eventDays: (event?.earliestDay ?? Int.min / 2)...(event?.latestDay ?? Int.max / 2),
            coordinates: coordinates, place: (placeText, place.codes, place.soundCodes), home: home,
            bloodGroup: bloodGroup, nameSounds: readings.nameSounds(names), parentNames: parentNames,
            marks: (marksText, marks.0, marks.1), dna: dna,
            certificateSerial: fields.text(.birthCertificate).flatMap(BirthCertificates.serial(in:)))
    }

    /// What describing a record gives, read already (or read back: ChildDescription+Bytes).
    init(
        id: EventID, side: Side, sex: Sex?, born: PartialDate?, estimatedBirth: (day: Double, spread: Double)?,
        eventDays: ClosedRange<Int>, coordinates: (lat: Double, lon: Double)?,
        place: (text: String, codes: [UInt64], soundCodes: [UInt64]),
        home: (text: String, codes: [UInt64], soundCodes: [UInt64])?,
        bloodGroup: BloodType.Group?, nameSounds: NameSounds, parentNames: [ParentName],
        marks: (text: String?, marks: [Mark], otherFeatures: [(word: String, code: UInt64)]),
        dna: (child: GenotypeTable?, mother: GenotypeTable?, father: GenotypeTable?), certificateSerial: String?
    ) {
        self.id = id
        self.side = side
        self.sex = sex
        self.born = born
        bornDays = born.map { $0.earliestDay...$0.latestDay }
        self.estimatedBirth = estimatedBirth
        self.eventDays = eventDays
        self.coordinates = coordinates
        (placeText, placeCodes, placeSoundCodes) = place
        self.home = home
        self.bloodGroup = bloodGroup
        self.nameSounds = nameSounds
        self.parentNames = parentNames
        (marksText, self.marks, otherFeatures) = marks
        (childDNA, motherDNA, fatherDNA) = dna
        self.certificateSerial = certificateSerial
    }

    public var hasDNA: Bool { childDNA != nil || motherDNA != nil || fatherDNA != nil }

    /// What can rule a pair out before anything is weighed (`Matcher.rulesOut`): few enough
    /// fields to read from the start of a description kept as bytes, without the rest.
    struct Outline {
        let sex: Sex?
        let bloodGroup: BloodType.Group?
        let hasChildDNA: Bool
        let hasDNA: Bool
        let eventDays: ClosedRange<Int>
        let bornDays: ClosedRange<Int>?
    }

    var outline: Outline {
        Outline(
            sex: sex, bloodGroup: bloodGroup, hasChildDNA: childDNA != nil, hasDNA: hasDNA, eventDays: eventDays,
            bornDays: bornDays)
    }

    /// A stated uncertainty is taken as one standard deviation; without one, age estimates of
    /// infants are good to a couple of months and grow worse with age (about 15 %).
    static func estimateBirth(found: PartialDate, ageMonths: Double, fields: FieldSet) -> (Double, Double) {
        let daysPerMonth = 30.44
        let foundDay = Double(found.earliestDay + found.latestDay) / 2
        let foundWidth = Double(found.latestDay - found.earliestDay) / 3.46  // sd of a uniform span
        let stated: Double? = if case .months(let u) = fields[.ageUncertaintyMonths] { Double(u) } else { nil }
        let months = max(stated ?? (2 + 0.15 * ageMonths), 1)
        let spread = (months * daysPerMonth * months * daysPerMonth + foundWidth * foundWidth).squareRoot()
        return (foundDay - ageMonths * daysPerMonth, spread)
    }

    /// The place a found child's words name as home: what follows 家在, 家住, 老家 or 家乡 up to the
    /// end of its clause or a 的 ("孩子说家在四川的一个村子" is 四川), or "home is in" or "hometown"
    /// up to the end of its sentence ("home is in Zhoukou, Henan"). Not 住在 or 来自: "现住在救助站"
    /// is where the child lives now, "来自河南的人贩子" where a trafficker came from. Nil where the
    /// child could not say ("不知道家在哪里").
    static func homeSaid(in text: String) -> String? {
        let text = ChineseText.normalized(text).lowercased()
        for (marker, ends) in homeMarkers {
            guard let start = text.firstRange(of: marker)?.upperBound else { continue }
            var said = text[start...].prefix { !ends.contains($0) }
            while let first = said.first, first.isWhitespace || ":：".contains(first) { said.removeFirst() }
            while said.last?.isWhitespace == true { said.removeLast() }
            guard !said.isEmpty, !ChineseText.saysUnknown(String(said)),
                !homeNotKnown.contains(where: { said.contains($0) })
            else { return nil }
            return String(said)
        }
        return nil
    }

    /// The clauses of a found child's circumstances that say what the child is called, by the
    /// child or the family ("孩子自称叫明明", "说他叫浩浩", "名字叫乐乐", "says his name is Hao Hao"),
    /// joined; nil when none does. Only those: read as names, the rest of the words would be names
    /// too ("走失时穿红色外套"). Not a clause saying the child could not tell ("孩子说不出自己叫什么").
    /// A name a shelter or the police gave is left out as in the name field (NameSounds.read).
    static func nameSaid(in text: String) -> String? {
        let said = text.split(whereSeparator: { clauseBreaks.contains($0) }).filter { clause in
            let read = ChineseText.normalized(String(clause)).lowercased()
            return namingMarkers.contains { read.contains($0) } && !nameNotKnown.contains { read.contains($0) }
        }
        return said.isEmpty ? nil : said.joined(separator: "，")
    }
    private static let clauseBreaks = Set(",，。;；.!?！？\n")
    private static let namingMarkers = [
        "自称", "名叫", "名字叫", "名字是", "叫做", "自己叫", "他叫", "她叫", "我叫", "说叫", "小名", "乳名", "自己姓", "他姓", "她姓",
        "我姓", "name is", "name's", "calls himself", "calls herself", "is called",
    ]
    private static let nameNotKnown = [
        "什么", "不知", "不清", "不记得", "不晓得", "说不出", "叫不出", "不会说", "不肯", "不愿", "not know", "n't know",
        "unknown", "not say", "n't say", "not remember", "n't remember",
    ]
    private static let chineseClauseEnds = Set(",，。;；.!?！？\n、的（()")
    private static let sentenceEnds = Set(".;；。!?！？\n()（")
    private static let homeMarkers: [(String, Set<Character>)] =
        ["老家在", "老家是", "家乡在", "家乡是", "家在", "家住", "老家", "家乡"].map { ($0, chineseClauseEnds) }
        + ["hometown is", "home is in", "hometown", "home is", "home in"].map { ($0, sentenceEnds) }
    private static let homeNotKnown = ["哪", "不知", "不清", "不记得", "不晓得", "where", "not know", "n't know", "unknown"]

    /// Words that every kind of place has, read as gaps: whole words, since their characters
    /// also name places (福 of 福利院 begins 福建, 中 of 中心 begins 中山).
    static let placeNoiseWords: [[Character]] = [
        "救助管理站", "救助站", "福利院", "儿童", "医院", "附近", "中心", "人民", "火车站", "汽车站", "派出所", "公安局", "街道",
    ].map(Array.init)
    /// Characters that end or divide a place's name (省, 市, 县, 路), read as gaps.
    static let placeNoise = Set("省市区县镇乡村路号站院所 ")

    /// A place name as compared: normalized, with the words every place has blanked out.
    static func placeCharacters(_ place: String) -> [Character] {
        var characters = Array(ChineseText.normalized(place))
        for word in placeNoiseWords {
            var index = 0
            while index + word.count <= characters.count {
                if characters[index] == word[0], characters[index..<index + word.count].elementsEqual(word) {
                    characters.replaceSubrange(index..<index + word.count, with: [" "])
                }
                index += 1
            }
        }
        return characters
    }

    /// The longest stretch of place name two places share, without the words every place has:
    /// "四川成都" of "四川成都" and "四川成都救助站", for saying where, rather than one of the pairs
    /// of characters that were compared.
    static func sharedPlaceName(_ a: String, _ b: String) -> String {
        let first = placeCharacters(a)
        let second = placeCharacters(b)
        var best: ArraySlice<Character> = []
        for start in first.indices {
            for other in second.indices {
                var length = 0
                while start + length < first.count, other + length < second.count,
                    first[start + length] == second[other + length], !placeNoise.contains(first[start + length])
                {
                    length += 1
                }
                if length > best.count { best = first[start..<start + length] }
            }
        }
        return String(best)
    }

    /// The pairs of characters a place name is compared by. A pair never spans the end of a
    /// province's name: 江西南昌 and 广西南宁 both hold "西南", which names neither.
    static func placeKeys(_ place: String) -> Set<String> {
        let characters = placeCharacters(place)
        var provinceEnds: Set<Int> = []
        var index = 0
        while index < characters.count {
            let province = provincesByFirstCharacter[characters[index]]?.first { name in
                index + name.count <= characters.count && characters[index..<index + name.count].elementsEqual(name)
            }
            index += province?.count ?? 1
            if province != nil { provinceEnds.insert(index) }
        }
        let named = characters.map { Pinyin.syllableByCharacter[$0] != nil && !placeNoise.contains($0) }
        var keys: Set<String> = []
        for index in characters.indices.dropLast() where !provinceEnds.contains(index + 1) {
            if named[index] && named[index + 1] { keys.insert(String(characters[index...index + 1])) }
        }
        return keys
    }

    /// Pairs of syllables: those of `keys`, a place's pairs of characters, read as pinyin, and
    /// within each word in Latin letters that reads as pinyin whole, leaving out the words every
    /// place has ("Chengdu Shi", "Sichuan Province").
    static func placeSounds(_ place: String, keys: Set<String>) -> Set<String> {
        var sounds: Set<String> = []
        for key in keys {
            let syllables = key.compactMap { placeReadings[$0] ?? Pinyin.syllableByCharacter[$0] }
            if syllables.count == 2 { sounds.insert(syllables.joined(separator: "-")) }
        }
        // Only a place with Latin letters, full-width or not, has words to read.
        let hasLatin = place.unicodeScalars.contains {
            $0.properties.isAlphabetic && ($0.isASCII || (0xFF21...0xFF5A).contains($0.value))
        }
        guard hasLatin else { return sounds }
        let words = ChineseText.normalized(place).lowercased().split { !($0.isASCII && $0.isLetter) && $0 != "'" }
        for word in words where !latinPlaceNoise.contains(String(word)) {
            let syllables = Pinyin.syllables(of: String(word))
            guard syllables.count >= 2, syllables.allSatisfy(Pinyin.isSyllable) else { continue }
            for index in syllables.indices.dropLast() {
                sounds.insert(syllables[index] + "-" + syllables[index + 1])
            }
        }
        return sounds
    }

    /// Characters places read otherwise than the table: 成都 is Chengdu, 长沙 Changsha, 重庆
    /// Chongqing, 厦门 Xiamen, 西藏 Xizang, 六安 Lu'an, 蚌埠 Bengbu, 番禺 Panyu, 单县 Shanxian.
    static let placeReadings: [Character: String] = [
        "都": "du", "长": "chang", "重": "chong", "厦": "xia", "藏": "zang", "六": "lu", "蚌": "beng", "番": "pan",
        "单": "shan",
    ]

    /// Pinyin of the words every place has (市 shi, 省 sheng, 区 qu, 县 xian, 镇 zhen, 村 cun, 路
    /// lu, 救助站 jiuzhuzhan).
    static let latinPlaceNoise: Set<String> = ["shi", "sheng", "qu", "xian", "zhen", "cun", "lu", "jiuzhuzhan"]

    /// The names of China's provinces, autonomous regions, municipalities and special regions,
    /// as addresses begin with them.
    static let provinces: [[Character]] = [
        "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东",
        "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏",
        "宁夏", "新疆", "香港", "澳门",
    ].map(Array.init)

    static let provincesByFirstCharacter = Dictionary(grouping: provinces, by: { $0[0] })
}
