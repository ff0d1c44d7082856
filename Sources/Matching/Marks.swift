/// A distinguishing mark, read from how a family or a shelter wrote it: "mole on the left
/// cheek", "左脸有痣" and "nevus, L cheek" are one mark. Kind, body part and side are read
/// separately so that a different wording of the same mark still matches.
public struct Mark: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case mole, birthmark, scar, burn, doubleWhorl = "double hair whorl", extraDigit = "extra finger or toe"
        case cleftLip = "cleft lip", dimple, tattoo, earPit = "ear pit or tag", squint, freckles, wart
        case missingDigit = "missing finger or toe", webbedDigits = "webbed fingers or toes", vitiligo

        /// Scars, burns, tattoos, a lost finger and vitiligo come after birth, so a child may have
        /// gained one after going missing that the family could not describe.
        public var canBeAcquired: Bool { [.scar, .burn, .tattoo, .missingDigit, .vitiligo].contains(self) }
    }

    public enum BodyPart: String, CaseIterable, Sendable {
        case head, forehead, eyebrow, eye, ear, nose, cheek, lip, chin, neck, shoulder, arm, wrist, hand, finger
        case chest, belly, back, waist, buttock, leg, knee, foot, toe

        /// Whether `other` lies within this part (the leg contains the knee and the foot).
        public func contains(_ other: BodyPart) -> Bool {
            var part = other
            while let broader = Mark.broaderPart[part] {
                if broader == self { return true }
                part = broader
            }
            return false
        }
    }

    public enum Side: String, Sendable { case left, right }

    /// Parts that people name instead of a smaller part inside them: "leg" for the knee.
    static let broaderPart: [BodyPart: BodyPart] = [
        .knee: .leg, .toe: .foot, .foot: .leg, .finger: .hand, .wrist: .arm, .hand: .arm, .eyebrow: .forehead,
        .forehead: .head, .chin: .cheek, .lip: .cheek, .nose: .cheek, .eye: .cheek, .ear: .head, .waist: .belly,
        .shoulder: .arm,
    ]

    public let kind: Kind
    public let bodyPart: BodyPart?
    public let side: Side?

    public var description: String {
        [side?.rawValue, bodyPart?.rawValue].compactMap { $0 }.isEmpty
            ? kind.rawValue
            : "\(kind.rawValue) \([side?.rawValue, bodyPart?.rawValue].compactMap { $0 }.joined(separator: " "))"
    }

    /// Every mark named in `text`, one per clause (clauses split at punctuation, "and", 和 or 、).
    /// A clause that names only a place ("mole, R hand") places the mark before it.
    public static func parse(_ text: String) -> [Mark] { read(text).marks }

    /// The marks in `text`, and the words of the clauses that name no kind of mark this
    /// vocabulary knows ("头顶一撮白发", "white forelock"): pairs of Chinese characters and
    /// English words, without the words every description has, for comparing features the
    /// vocabulary cannot read.
    public static func read(_ text: String) -> (marks: [Mark], otherWords: Set<String>) {
        var marks: [Mark] = []
        var otherWords: Set<String> = []
        for clause in clauses(of: ChineseText.normalized(text).lowercased()) {
            var rest = clause
            let kind = take(kindWords, from: &rest)
            while take(wordsNamingNoPart, from: &rest) != nil {}
            let part = take(bodyPartWords, from: &rest)
            let side = take(sideWords, from: &rest)
            // "无胎记", "no scars", "无明显特征": what the child does not have is no mark, and no
            // feature to share with every record saying the same.
            if take(negationWords, from: &rest) != nil { continue }
            // "其他不详", "location unknown": a mark named stands; words saying nothing is known
            // are no feature.
            let saysUnknown = take(unknownWords, from: &rest) != nil
            guard let kind else {
                if saysUnknown { continue }
                otherWords.formUnion(words(of: rest))
                if let part, let last = marks.last, last.bodyPart == nil {
                    let placed = Mark(kind: last.kind, bodyPart: part, side: side ?? last.side)
                    marks.removeLast()
                    if !marks.contains(placed) { marks.append(placed) }
                }
                continue
            }
            let mark = Mark(kind: kind, bodyPart: part, side: side)
            if !marks.contains(mark) { marks.append(mark) }
        }
        return (marks, otherWords)
    }

    /// The words of `text` that name each mark, as written, for reasons people read: each clause
    /// with the marks it names ("左耳后有一颗黑痣" of "左耳后有一颗黑痣，右手食指有疤"), then each clause
    /// with the one after it, which may place its mark ("mole, R hand"). Each clause is read
    /// twice at most, however many marks a reason names.
    public static func wordings(of text: String) -> [(words: String, marks: [Mark])] {
        let pieces = clauses(of: text).map { clause in
            String(clause.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }
        return (pieces + zip(pieces, pieces.dropFirst()).map { $0 + ", " + $1 }).map { ($0, parse($0)) }
    }

    /// Pairs of neighbouring Chinese characters and English words of three letters or more,
    /// leaving out the ones that describe nothing (有, 个, 上; "the", "with").
    static func words(of text: [Character]) -> Set<String> {
        let text = blankingWordsSayingNothing(text)
        var words: Set<String> = []
        var latin = ""
        func endLatin() {
            if latin.count >= 3, !englishStopWords.contains(latin) { words.insert(latin) }
            latin = ""
        }
        for (index, character) in text.enumerated() {
            if character.isASCII && character.isLetter {
                latin.append(character)
                continue
            }
            endLatin()
            guard index + 1 < text.count, isFeatureCharacter(character), isFeatureCharacter(text[index + 1]) else {
                continue
            }
            words.insert(String(text[index...index + 1]))
        }
        endLatin()
        return words
    }

    private static func isFeatureCharacter(_ character: Character) -> Bool {
        Pinyin.syllableByCharacter[character] != nil && !chineseStopCharacters.contains(character)
    }

    /// What an intake form says of every healthy child ("发育正常，营养良好"): words two records
    /// share without it saying they are one child (the English ones are in `englishStopWords`).
    private static let chineseWordsSayingNothing: Set<[Character]> = Set(
        ["正常", "健康", "良好", "一般", "发育", "营养", "异常", "明显", "特征", "特殊"].map(Array.init))

    /// `text` with the Chinese words that say nothing blanked, so that no pair is made across them.
    private static func blankingWordsSayingNothing(_ text: [Character]) -> [Character] {
        var text = text
        var index = 0
        while index + 1 < text.count {
            if chineseWordsSayingNothing.contains(Array(text[index...index + 1])) {
                text[index] = " "
                text[index + 1] = " "
                index += 2
            } else {
                index += 1
            }
        }
        return text
    }

    private static let chineseStopCharacters = Set("有个的了在是和很也都处块颗粒条道些侧边部上下里内外着一")
    private static let englishStopWords: Set<String> = [
        "the", "and", "with", "has", "have", "one", "two", "small", "little", "large", "big", "near", "side", "from",
        "that", "this", "very", "his", "her",
        // What an intake form says of every healthy child: "healthy, nothing notable".
        "healthy", "normal", "nothing", "notable", "unremarkable", "remarkable", "obvious", "features", "feature",
        "special", "well", "nourished",
    ]

    private static func clauses(of text: String) -> [[Character]] {
        var pieces: [[Character]] = []
        var current: [Character] = []
        for character in text {
            if clauseBreaks.contains(character) {
                if !current.isEmpty { pieces.append(current) }
                current = []
            } else {
                current.append(character)
                // " and " and " but " part two marks as a comma does ("mole on the cheek and scar
                // on the knee", "no scars but a mole on the left cheek").
                if let conjunction = [" and ", " but "].first(where: { current.suffix(5).elementsEqual($0) }) {
                    current.removeLast(conjunction.count)
                    if !current.isEmpty { pieces.append(current) }
                    current = []
                }
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Terms by their first character, longest first: a node parses the marks of a hundred
    /// thousand records when it builds its index, so each clause is read once, not once a term.
    typealias Vocabulary<Value> = [Character: [(term: [Character], value: Value)]]

    private static func vocabulary<Value>(_ terms: [(String, Value)]) -> Vocabulary<Value> {
        Dictionary(grouping: terms.map { (term: Array($0.0), value: $0.1) }, by: { $0.term[0] })
            .mapValues { $0.sorted { $0.term.count > $1.term.count } }
    }

    /// Finds the longest term present (the first of equals), blanks it out so a shorter term
    /// inside it cannot match again (手腕 before 手, forehead before head), and returns its meaning.
    private static func take<Value>(_ vocabulary: Vocabulary<Value>, from text: inout [Character]) -> Value? {
        var best: (start: Int, length: Int, value: Value)?
        for start in text.indices {
            guard let candidates = vocabulary[text[start]] else { continue }
            for (term, value) in candidates where term.count > (best?.length ?? 0) {
                guard start + term.count <= text.count, text[start..<start + term.count].elementsEqual(term),
                    !term[0].isASCII || isWholeWord(start, term.count, in: text)
                else { continue }
                best = (start, term.count, value)
                break
            }
        }
        guard let best else { return nil }
        text.replaceSubrange(best.start..<best.start + best.length, with: [" "])
        return best.value
    }

    private static func isWholeWord(_ start: Int, _ length: Int, in text: [Character]) -> Bool {
        let before = start == 0 ? nil : text[start - 1]
        let after = start + length == text.count ? nil : text[start + length]
        // "l cheek" and "left cheek" both read as left; "moles" as mole.
        return !(before?.isLetter ?? false) && !(after.map { $0.isLetter && $0 != "s" } ?? false)
    }

    private static let clauseBreaks = Set(",;.，；。、/\n和及但")
    private static let kindWords = vocabulary(kindTerms + extraDigitTerms + missingDigitTerms)
    private static let bodyPartWords = vocabulary(bodyPartTerms)
    private static let sideWords = vocabulary(sideTerms)
    /// Words holding a part's character that name no part: 手术 (surgery) is not the hand, and
    /// "the back of" the right hand, the knee or the neck is that part, not the back.
    private static let wordsNamingNoPart = vocabulary(
        sortedByLength([("手术", ()), ("back of the", ()), ("back of his", ()), ("back of her", ()), ("back of", ())]))
    /// Words saying nothing is known (其他不详, "location unknown").
    private static let unknownWords = vocabulary(
        sortedByLength([("不详", ()), ("未知", ()), ("不明", ()), ("不清楚", ()), ("unknown", ()), ("not known", ())]))
    /// Words saying the child has no such mark, read after the part so that 无名指 (the ring
    /// finger) is a finger.
    private static let negationWords = vocabulary(
        sortedByLength([
            ("无", ()), ("没有", ()), ("没", ()), ("未见", ()), ("未发现", ()), ("no", ()), ("none", ()), ("without", ()),
            ("nil", ()),
        ]))

    private static func sortedByLength<Value>(_ terms: [(String, Value)]) -> [(String, Value)] {
        terms.sorted { $0.0.count > $1.0.count }
    }

    private static let kindTerms: [(String, Kind)] = sortedByLength([
        ("mole", .mole), ("nevus", .mole), ("naevus", .mole), ("beauty spot", .mole), ("beauty mark", .mole),
        ("痣", .mole), ("痦子", .mole), ("黑点", .mole),
        ("birthmark", .birthmark), ("birth mark", .birthmark), ("port-wine", .birthmark), ("port wine", .birthmark),
        ("mongolian spot", .birthmark), ("café au lait", .birthmark), ("cafe au lait", .birthmark),
        ("café-au-lait", .birthmark), ("cafe-au-lait", .birthmark), ("stork bite", .birthmark),
        ("angel kiss", .birthmark), ("salmon patch", .birthmark),
        // A spot, patch or stain of colour on the skin, as a shelter describes what it sees: 斑 in Chinese.
        ("spot", .birthmark), ("patch", .birthmark), ("patches", .birthmark), ("stain", .birthmark),
        ("hemangioma", .birthmark), ("haemangioma", .birthmark), ("strawberry mark", .birthmark),
        ("胎记", .birthmark), ("胎痣", .birthmark), ("红记", .birthmark), ("青记", .birthmark), ("斑", .birthmark),
        ("血管瘤", .birthmark),
        ("scar", .scar), ("疤", .scar), ("疤痕", .scar), ("伤痕", .scar), ("伤疤", .scar),
        // A healed cut or stitched wound is described by the injury as often as by its scar.
        ("cut", .scar), ("stitches", .scar), ("wound", .scar), ("伤口", .scar), ("缝针", .scar), ("缝过针", .scar),
        ("burn", .burn), ("burn scar", .burn), ("烫伤", .burn), ("烫伤疤", .burn), ("烧伤", .burn), ("烫疤", .burn),
        ("double whorl", .doubleWhorl), ("two whorls", .doubleWhorl), ("whorls", .doubleWhorl),
        ("double crown", .doubleWhorl), ("two crowns", .doubleWhorl), ("两个旋", .doubleWhorl), ("双旋", .doubleWhorl),
        ("两个发旋", .doubleWhorl), ("两个头旋", .doubleWhorl),
        // 漩 (an eddy) is often typed for the whorl's 旋.
        ("两个漩", .doubleWhorl), ("双漩", .doubleWhorl), ("两个发漩", .doubleWhorl), ("两个头漩", .doubleWhorl),
        ("double hair whorl", .doubleWhorl), ("double-whorl", .doubleWhorl),
        ("double-crown", .doubleWhorl),
        ("extra finger", .extraDigit), ("extra toe", .extraDigit), ("six fingers", .extraDigit),
        ("six toes", .extraDigit), ("polydactyly", .extraDigit), ("六指", .extraDigit), ("多指", .extraDigit),
        ("六趾", .extraDigit), ("六个手指", .extraDigit), ("六根手指", .extraDigit), ("六个脚趾", .extraDigit),
        ("六个指头", .extraDigit), ("六根指头", .extraDigit), ("六个脚指头", .extraDigit), ("枝指", .extraDigit),
        ("extra digit", .extraDigit), ("six-fingered", .extraDigit), ("six fingered", .extraDigit),
        ("supernumerary", .extraDigit),
        // A cleft palate is named with the lip: most children with one have the other, and
        // families call both 兔唇.
        ("cleft lip", .cleftLip), ("harelip", .cleftLip), ("兔唇", .cleftLip), ("唇裂", .cleftLip), ("豁嘴", .cleftLip),
        ("cleft palate", .cleftLip), ("腭裂", .cleftLip), ("唇腭裂", .cleftLip),
        ("dimple", .dimple), ("酒窝", .dimple), ("酒窝儿", .dimple),
        ("tattoo", .tattoo), ("纹身", .tattoo), ("刺青", .tattoo),
        // A pit or a small tag of skin in front of the ear: common, inherited, and often named
        // in Chinese notices (耳前瘘管, 小孔, 拴马桩).
        ("ear pit", .earPit), ("ear tag", .earPit), ("preauricular", .earPit), ("瘘管", .earPit), ("小孔", .earPit),
        ("拴马桩", .earPit), ("小肉球", .earPit), ("小肉粒", .earPit), ("副耳", .earPit), ("耳赘", .earPit),
        ("肉赘", .earPit), ("skin tag", .earPit), ("accessory ear", .earPit), ("小洞", .earPit), ("pit", .earPit),
        ("small hole", .earPit), ("tiny hole", .earPit), ("little hole", .earPit), ("pinhole", .earPit),
        // 赘肉 is flab, but no one writes a child's flab as a mark: beside the ear it is a tag.
        ("赘肉", .earPit),
        ("squint", .squint), ("cross-eyed", .squint), ("lazy eye", .squint), ("lazy", .squint), ("strabismus", .squint),
        ("斜视", .squint), ("斗鸡眼", .squint), ("对眼", .squint), ("crossed eyes", .squint),
        ("cross eyed", .squint),
        // Freckles are a kind of their own: 雀斑, not the birthmark 斑 alone says.
        ("freckle", .freckles), ("freckles", .freckles), ("雀斑", .freckles), ("wart", .wart), ("verruca", .wart),
        ("疣", .wart), ("瘊子", .wart),
        // All or part of a finger or toe lost, as families and shelters word it: rare, and kept for life.
        // The Chinese wordings are made from their parts (`missingDigitTerms`).
        ("missing finger", .missingDigit), ("missing toe", .missingDigit), ("missing part of", .missingDigit),
        ("amputated", .missingDigit), ("断指", .missingDigit), ("缺指", .missingDigit),
        ("webbed", .webbedDigits), ("syndactyly", .webbedDigits), ("并指", .webbedDigits), ("并趾", .webbedDigits),
        ("蹼", .webbedDigits),
        ("vitiligo", .vitiligo), ("白癜风", .vitiligo), ("白癜", .vitiligo),
    ])

    /// "多一个手指", "多长了一根脚趾", "多出一指": one more finger or toe, however it is worded.
    /// Not 多个 or 多根 without 一: "多个手指有疤" is scars on several fingers.
    private static let extraDigitTerms: [(String, Kind)] =
        ["多", "多长", "多长了", "多了", "多出", "多出了"].flatMap { more in
            ["一", "一个", "一根"].flatMap { one in digitWords.map { (more + one + $0, Kind.extraDigit) } }
        }

    /// "缺一根手指", "小指断了一截", "左手缺了一根": a finger or toe lost, or part of one, however
    /// it is worded. A part (一截, 半截) or one 根 lost says a digit alone, since a mark names
    /// nothing else so; one 个 says it only with the digit named ("门牙缺了一个" is a tooth).
    private static let missingDigitTerms: [(String, Kind)] =
        ["缺", "少", "断", "缺了", "少了", "断了", "掉了"].flatMap { lost in
            ["一截", "一节", "半截", "一段", "一根"].map { (lost + $0, Kind.missingDigit) }
                + ["一根", "一个"].flatMap { one in digitWords.map { (lost + one + $0, Kind.missingDigit) } }
        }

    /// A finger or a toe, as the counts above name one ("多一个小指头", "缺一根脚趾").
    private static let digitWords = ["手指", "指头", "脚趾", "脚指头", "小指头", "小手指", "小拇指", "指", "趾"]

    private static let bodyPartTerms: [(String, BodyPart)] = sortedByLength([
        ("head", .head), ("scalp", .head), ("temple", .head), ("sideburn", .head), ("头", .head), ("头顶", .head),
        ("鬓角", .head),
        ("后脑勺", .head), ("后脑", .head), ("脑袋", .head), ("太阳穴", .head),
        ("forehead", .forehead), ("brow", .forehead), ("额", .forehead), ("额头", .forehead), ("脑门", .forehead),
        ("eyebrow", .eyebrow), ("眉", .eyebrow), ("眉毛", .eyebrow),
        ("eye", .eye), ("eyelid", .eye), ("眼", .eye), ("眼角", .eye),
        ("ear", .ear), ("earlobe", .ear), ("ear lobe", .ear), ("耳", .ear), ("耳朵", .ear), ("耳后", .ear),
        ("nose", .nose), ("鼻", .nose), ("鼻子", .nose),
        ("cheek", .cheek), ("face", .cheek), ("脸", .cheek), ("脸颊", .cheek), ("面颊", .cheek), ("面部", .cheek),
        ("腮", .cheek),
        ("lip", .lip), ("mouth", .lip), ("philtrum", .lip), ("嘴", .lip), ("嘴角", .lip), ("唇", .lip), ("人中", .lip),
        ("chin", .chin), ("jaw", .chin), ("下巴", .chin), ("下颌", .chin), ("下颚", .chin),
        ("neck", .neck), ("nape", .neck), ("throat", .neck), ("脖", .neck), ("脖子", .neck), ("颈", .neck),
        ("喉", .neck), ("喉咙", .neck),
        ("shoulder", .shoulder), ("肩", .shoulder), ("肩膀", .shoulder),
        ("arm", .arm), ("forearm", .arm), ("upper arm", .arm), ("elbow", .arm), ("armpit", .arm), ("手臂", .arm),
        ("胳膊", .arm), ("臂", .arm), ("肘", .arm), ("腋", .arm), ("胳肢窝", .arm),
        ("wrist", .wrist), ("手腕", .wrist),
        ("hand", .hand), ("palm", .hand), ("手", .hand), ("虎口", .hand),
        ("手背", .hand), ("手掌", .hand),
        ("finger", .finger), ("thumb", .finger), ("pinky", .finger), ("pinkie", .finger), ("手指", .finger),
        ("拇指", .finger), ("食指", .finger), ("中指", .finger), ("无名指", .finger), ("小指", .finger),
        ("chest", .chest), ("collarbone", .chest), ("collar bone", .chest), ("rib", .chest), ("胸", .chest),
        ("胸口", .chest), ("胸前", .chest), ("锁骨", .chest), ("肋", .chest),
        ("belly", .belly), ("abdomen", .belly), ("stomach", .belly), ("tummy", .belly), ("navel", .belly),
        ("肚", .belly),
        ("肚子", .belly), ("腹", .belly), ("腹部", .belly),
        ("back", .back), ("背", .back), ("后背", .back),
        // The lower back is 腰 in Chinese: a family's 腰上有胎记 is a shelter's "lower back".
        ("waist", .waist), ("hip", .waist), ("lower back", .waist), ("small of the back", .waist),
        ("small of his back", .waist), ("small of her back", .waist), ("腰", .waist), ("后腰", .waist),
        ("髋", .waist), ("胯", .waist), ("groin", .waist), ("腹股沟", .waist),
        ("buttock", .buttock), ("bottom", .buttock), ("屁股", .buttock), ("臀", .buttock),
        ("leg", .leg), ("thigh", .leg), ("calf", .leg), ("shin", .leg), ("腿", .leg), ("大腿", .leg), ("小腿", .leg),
        ("knee", .knee), ("膝", .knee), ("膝盖", .knee),
        ("foot", .foot), ("feet", .foot), ("ankle", .foot), ("instep", .foot), ("脚", .foot), ("足", .foot),
        ("脚踝", .foot), ("脚背", .foot), ("脚底", .foot), ("heel", .foot), ("sole", .foot),
        // 小指 and 拇指 are fingers unless 脚 says they are toes.
        ("toe", .toe), ("脚趾", .toe), ("脚小指", .toe), ("脚拇指", .toe),
    ])

    private static let sideTerms: [(String, Side)] = sortedByLength([
        ("left", .left), ("l", .left), ("lt", .left), ("左", .left), ("right", .right), ("r", .right), ("rt", .right),
        ("右", .right),
    ])
}
