/// Names as sounds. A name reaches a node as characters (张小明), as pinyin (Zhang Xiaoming) or
/// as a child says it, misheard in dialect; comparing the toneless syllables, folded where
/// dialects merge them, matches all three.
public enum Pinyin {
    /// Made at the start of every process that reads a name: read as bytes and scalars, not as
    /// characters, which took 3 of a one-off `candidates`' 50 ms.
    static let syllableByCharacter: [Character: String] = {
        var map: [Character: String] = [:]
        for line in table.utf8.split(separator: UInt8(ascii: "\n")) {
            guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { continue }
            let syllable = String(decoding: line[..<space], as: UTF8.self)
            let characters = String(decoding: line[line.index(after: space)...], as: UTF8.self)
            for scalar in characters.unicodeScalars where map[Character(scalar)] == nil {
                map[Character(scalar)] = syllable
            }
        }
        return map
    }()

    static let syllables: Set<String> = Set(syllableByCharacter.values)

    static let charactersBySyllable: [String: [Character]] = Dictionary(
        grouping: syllableByCharacter.keys.sorted(), by: { syllableByCharacter[$0]! })

    /// Whether `text` is a toneless pinyin syllable.
    public static func isSyllable(_ text: String) -> Bool { syllables.contains(text) }

    /// The characters read as `syllable`, in code point order (empty for a non-syllable).
    public static func characters(readAs syllable: String) -> [Character] {
        charactersBySyllable[syllable] ?? []
    }
    static let longestSyllable = syllables.map(\.count).max() ?? 6

    /// Surnames read otherwise than the table reads their character (曾 is zeng as a surname,
    /// ceng as a word), for the first character of a name in characters. Only characters that
    /// seldom begin a given name: 乐 (yue as a surname, le in 乐乐) is left to the table.
    public static let surnameReadings: [Character: String] = [
        "曾": "zeng", "单": "shan", "解": "xie", "查": "zha", "区": "ou", "盖": "ge", "朴": "piao", "仇": "qiu",
        "翟": "zhai", "覃": "qin", "缪": "miao", "召": "shao", "秘": "bi", "隗": "wei", "句": "gou", "卜": "bu",
    ]

    /// Characters that names read otherwise than the table does (李晟 is Li Sheng).
    static let nameReadings: [Character: String] = ["晟": "sheng", "伽": "jia", "泊": "bo"]

    /// Characters that names read two ways, the table's and this (长 is zhang and chang, 乐 le
    /// and yue): a name with them is also read this way.
    public static let otherNameReadings: [Character: String] = [
        "长": "chang", "乐": "yue", "重": "chong", "朝": "zhao", "柏": "bo", "行": "hang", "都": "du", "茜": "xi",
    ]

    /// Names romanized otherwise than in pinyin, as Hong Kong (Cantonese) and Taiwan (Wade-Giles)
    /// write them, and as many families abroad still do: the pinyin of the character they mostly
    /// stand for. Only spellings that are no pinyin syllable (Chan and Chang are, and stay
    /// pinyin).
    static let romanized: [String: String] = [
        "wong": "huang", "cheung": "zhang", "leung": "liang", "leong": "liang", "lau": "liu", "lam": "lin",
        "ng": "wu", "ho": "he", "kwok": "guo", "tsang": "zeng", "yeung": "yang", "chow": "zhou", "tse": "xie",
        "lui": "lu", "kwan": "guan", "fung": "feng", "tam": "tan", "mak": "mai", "choi": "cai", "tsoi": "cai",
        "poon": "pan", "siu": "xiao", "yip": "ye", "mok": "mo", "lo": "luo", "au": "ou", "yuen": "yuan",
        "chung": "zhong", "tsui": "xu", "woo": "wu", "koo": "gu", "chiu": "zhao", "shek": "shi", "cheuk": "zhuo",
        "yiu": "yao", "kwong": "kuang", "kam": "jin", "sham": "shen", "yau": "qiu", "fok": "huo",
        "hsu": "xu", "tsai": "cai", "kuo": "guo", "hsieh": "xie", "tseng": "zeng", "chiang": "jiang",
        "chuang": "zhuang", "yeh": "ye", "hsiao": "xiao", "hsueh": "xue", "chien": "jian", "tsao": "cao",
        "tsou": "zou", "chin": "jin", "hung": "hong", "hsing": "xing", "kung": "gong", "tung": "dong",
        "chih": "zhi", "tzu": "zi", "hsin": "xin", "hsien": "xian", "hsiung": "xiong", "hsuan": "xuan",
        "chieh": "jie", "chia": "jia", "ching": "jing", "yung": "yong", "jung": "rong", "tsung": "zong",
        "lee": "li", "ah": "a", "wai": "wei", "yee": "yi", "kit": "jie", "keung": "qiang", "fai": "hui", "yuk": "yu",
        "wing": "rong", "shih": "shi", "sung": "song",
    ]

    /// Romanizations that stand for two characters about as often: Wong is 黄 or 王.
    static let otherRomanized: [String: String] = [
        "wong": "wang", "lui": "lei", "lo": "lu", "chien": "qian", "chin": "qin", "ching": "qing", "wing": "yong",
    ]

    /// Cantonese and Wade-Giles spellings that are pinyin syllables too, and the pinyin they
    /// stand for there: Chan is 陈 chen, Chang 张 zhang, Chou 周 zhou, Kao 高 gao, Ting 丁 ding.
    /// Read that way as well only in a name that shows it is not written in pinyin (`notPinyin`).
    static let romanizedLikePinyin: [String: String] = [
        "chan": "chen", "chang": "zhang", "chou": "zhou", "cheng": "zheng", "chao": "zhao", "chu": "zhu",
        "kao": "gao", "tai": "dai", "ting": "ding", "pai": "bai", "teng": "deng", "tu": "du", "kuan": "guan",
        "chen": "zhen", "chi": "ji", "po": "bo", "te": "de", "ping": "bing",
    ]

    /// Spellings of `romanizedLikePinyin` that are Cantonese or Wade-Giles surnames (陈, 周, 高,
    /// 白) and no surname read in pinyin: a name holding one is not pinyin.
    static let surnamesPinyinNeverGives: Set<String> = ["chan", "chou", "kao", "pai"]

    /// The other readings of a name that is not pinyin: both tables.
    static let otherRomanizedOutsidePinyin = otherRomanized.merging(romanizedLikePinyin) { own, _ in own }

    /// Whether a name in Latin letters shows it is not pinyin: a word spelled no pinyin way
    /// (Siu, Hsu, Chih), a given name joined by a hyphen as Taiwan writes them (Mei-ling), or a
    /// surname spelling pinyin never gives a surname (Chan, Chou, Kao, Pai).
    static func notPinyin(_ name: String, words: [String]) -> Bool {
        words.contains { romanized[$0] != nil || surnamesPinyinNeverGives.contains($0) }
            || name.split(separator: " ").contains { word in
                let parts = word.split(separator: "-")
                return parts.count == 2 && parts.allSatisfy { isSyllable($0.lowercased()) }
            }
    }

    /// Every way to read a name (`nameSyllables(of:)` first): for a name with one or two
    /// characters that names read two ways (长乐 is zhang le, chang le, zhang yue and chang yue),
    /// or words romanized two ways (Wong is huang and wang), each way.
    public static func nameReadings(of name: String) -> [[String]] {
        let first = nameSyllables(of: name)
        var twoWays: [(index: Int, other: String)] = []
        let characters = Array(name)
        if characters.count == first.count {
            for (index, character) in characters.enumerated() {
                if let other = otherNameReadings[character] { twoWays.append((index, other)) }
            }
        } else {
            let words = name.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
            let other = notPinyin(name, words: words) ? otherRomanizedOutsidePinyin : otherRomanized
            guard words.contains(where: { other[$0] != nil }) else { return [first] }
            // A word's syllables begin where the syllables of the words before it end.
            var index = 0
            for word in words {
                if let other = other[word] { twoWays.append((index, other)) }
                index += syllables(of: word).count
            }
        }
        guard !twoWays.isEmpty, twoWays.count <= 2, twoWays.allSatisfy({ $0.index < first.count }) else {
            return [first]
        }
        var readings = [first]
        for (index, other) in twoWays {
            readings += readings.map { reading in
                var changed = reading
                changed[index] = other
                return changed
            }
        }
        return readings
    }

    /// The syllables of a name (`syllables(of:)`); a name in characters read as names are:
    /// `nameReadings` (李晟 is li sheng), and the surname's reading for the first of two or more
    /// characters (曾伟 is zeng wei) unless the name doubles it (a milk name). `name` is
    /// normalized (`ChineseText.normalized`), as NameSounds gives it.
    public static func nameSyllables(of name: String) -> [String] {
        var syllables = syllables(of: name)
        let characters = Array(name)
        guard characters.count == syllables.count else { return syllables }
        for (index, character) in characters.enumerated() {
            if let reading = nameReadings[character] { syllables[index] = reading }
        }
        if characters.count >= 2, characters[1] != characters[0], let surname = surnameReadings[characters[0]] {
            syllables[0] = surname
        }
        return syllables
    }

    /// The toneless pinyin syllables of `text`: one per Chinese character (traditional or
    /// simplified), and Latin words (full-width or not) cut into syllables where they read as
    /// pinyin ("Xiaoming" is xiao ming). Other words stay whole.
    public static func syllables(of text: String) -> [String] {
        var result: [String] = []
        var word = ""
        func endWord() {
            if let pinyin = romanized[word] {
                result.append(pinyin)
            } else if !word.isEmpty {
                result += split(word)
            }
            word = ""
        }
        for character in ChineseText.normalized(text).lowercased() {
            if let syllable = syllableByCharacter[character] {
                endWord()
                result.append(syllable)
            } else if character.isASCII && character.isLetter {
                word.append(character)
            } else if let vowel = toneless[character] {
                word.append(vowel)
            } else {
                endWord()
            }
        }
        endWord()
        return result
    }

    /// Vowels with tone marks, and ü, as the toneless letters the syllable table uses.
    static let toneless: [Character: Character] = {
        var map: [Character: Character] = [:]
        for (plain, marked) in [("a", "āáǎà"), ("e", "ēéěè"), ("i", "īíǐì"), ("o", "ōóǒò"), ("u", "ūúǔùüǖǘǚǜ")] {
            for character in marked { map[character] = Character(plain) }
        }
        return map
    }()

    /// How ü is typed where the keyboard has none: v on a pinyin keyboard (lv), yu in passports
    /// since 2012 (Lyu). The table writes lü as lu; no pinyin syllable begins with lv or ly.
    static let spellingsOfU: [(spelling: [Character], syllable: String)] = [
        ("lyue", "lue"), ("nyue", "nue"), ("lyu", "lu"), ("nyu", "nu"), ("lve", "lue"), ("nve", "nue"), ("lv", "lu"),
        ("nv", "nu"),
    ].map { (Array($0.0), $0.1) }

    /// Cuts a Latin word into pinyin syllables, or keeps it whole when it does not read as
    /// pinyin ("Tom"). Of the ways to cut it, the one with fewest syllables beginning with a, e
    /// or o after the first, since pinyin writes an apostrophe before those (Xi'an): "Henan" is
    /// he nan, not hen an; then the one with fewest syllables.
    static func split(_ word: String) -> [String] {
        let characters = Array(word)
        // best[end]: the cost of the best cut of characters[..<end], and its last piece.
        var best: [(vowelStarts: Int, pieces: Int, start: Int, syllable: String)?] = Array(
            repeating: nil, count: characters.count + 1)
        best[0] = (0, 0, 0, "")
        for start in characters.indices {
            guard let before = best[start] else { continue }
            var pieces: [(length: Int, syllable: String)] = spellingsOfU.filter {
                characters[start...].starts(with: $0.spelling)
            }.map { ($0.spelling.count, $0.syllable) }
            for length in 1...min(longestSyllable, characters.count - start) {
                let piece = String(characters[start..<start + length])
                if syllables.contains(piece) { pieces.append((length, piece)) }
            }
            for (length, syllable) in pieces {
                let vowelStart = start > 0 && "aeo".contains(characters[start]) ? 1 : 0
                let cost = (before.vowelStarts + vowelStart, before.pieces + 1)
                if let current = best[start + length], (current.vowelStarts, current.pieces) <= cost { continue }
                best[start + length] = (cost.0, cost.1, start, syllable)
            }
        }
        guard best[characters.count] != nil else { return [word] }
        var cut: [String] = []
        var end = characters.count
        while end > 0, let last = best[end] {
            cut.append(last.syllable)
            end = last.start
        }
        return cut.reversed()
    }

    /// Folds a syllable to what dialect speakers often cannot tell apart: zh/z, ch/c, sh/s,
    /// n/l, r/l, f/h before u, and -ng/-n. "Niu" and "Liu", "Zhang" and "Zan" fold alike.
    public static func fold(_ syllable: String) -> String {
        foldedSyllables[syllable] ?? folding(syllable)
    }

    /// Every syllable of the table folded once: a node folds each syllable of 100,000 records'
    /// names several times over.
    static let foldedSyllables = Dictionary(uniqueKeysWithValues: syllables.map { ($0, folding($0)) })

    static func folding(_ syllable: String) -> String {
        var s = syllable
        for (from, to) in [("zh", "z"), ("ch", "c"), ("sh", "s")] where s.hasPrefix(from) {
            s = to + s.dropFirst(from.count)
        }
        if s.hasPrefix("n") || s.hasPrefix("r") { s = "l" + s.dropFirst() }
        if s.hasPrefix("hu") { s = "f" + s.dropFirst(1) }
        if s.hasSuffix("ng") { s.removeLast() }
        return s
    }
}

/// The sounds of every name a record gives a child, as toneless syllables and folded, without
/// the parts of milk names that say nothing about the child (小, 阿, 老 before a name, 儿 after).
public struct NameSounds: Equatable, Sendable {
    /// The names read, as `names(in:)` gives them.
    public let names: [String]

    /// The sounds as words, for saying what two records share.
    public struct Words: Sendable {
        /// The syllables as written or read from the characters.
        public var syllables: Set<String> = []
        /// The same folded where dialects merge them.
        public var keys: Set<String> { Set(syllables.map(Pinyin.fold)) }
        /// Names as sequences of syllables ("liang-bin-bo"), in the forms a child may give: whole;
        /// without the first syllable (the surname, or the first of a doubled milk name: a child
        /// called 东东 at home may say 东); and, for a name of three or more, the last syllable,
        /// which is what milk names are made of (梁斌博 is 博博 or 小博 at home). Each as written and
        /// without a milk name's 小 or 阿. A child who gives "欣" gives the whole given name of 何欣,
        /// which says more than sharing one syllable with 董欣艳; a shared sequence is far rarer than
        /// its syllables one by one.
        public var sequences: Set<String> = []
        /// The same folded where dialects merge them ("lian-bin-bo").
        public var foldedSequences: Set<String> = []
        /// Each name of two syllables or more whole, as written and without a milk name's 小 or
        /// 阿; and a name of two words in Latin letters in the other order too ("Hao Wang" is 王浩
        /// written the Western way). The other order meets only a whole name: "Zi Bao" turned
        /// about is not the given name of 蔡宝梓.
        public var wholeNames: Set<String> = []
        /// Syllables that are one syllable read two ways (乐 le or yue), each pair once, sorted.
        var alternatives: Set<[String]> = []
    }

    /// The words, worked out again from the names each time they are asked for: only the few
    /// candidates shown need them, and a hundred thousand records need not keep them.
    public var words: Words { Self.words(of: names) }

    /// The words as codes, for comparing a hundred thousand records without hashing strings:
    /// each syllable's code beside its folded key's.
    let syllableCodes: [(syllable: UInt64, key: UInt64)]
    let keyCodes: [UInt64]
    let sequenceCodes: [UInt64]
    let foldedSequenceCodes: [UInt64]
    /// `Words.wholeNames`, coded as sequences.
    let wholeNameCodes: [UInt64]
    /// The folded keys of syllables that are one syllable read two ways (乐 le or yue, Wong
    /// huang or wang), each pair once: the child said one of them, not both.
    let alternativeKeys: [(UInt64, UInt64)]

    /// The names one field holds, as people write several: "张伟（小名：伟伟）" is 张伟 and 伟伟,
    /// "Li Ming aka Mingming" Li Ming and Mingming. Split at punctuation and at the words that
    /// only say what kind of name follows (小名, 又叫; "aka", "or"), which are left out; words
    /// saying there is no name (不详, 未知, "unknown"), notes on a name ("（音）", "(phonetic)")
    /// and sentences around one ("据孩子说叫龙龙，家在河南") are no name. Nor is a name given in
    /// place of the child's ("张三（化名）", "暂名：党小福"), or, for a found child, one a shelter,
    /// the police or an orphanage gave ("福利院起名国庆", "named Lele by the shelter"): it says
    /// nothing of the child's family. In a case, the police station may be where the family's
    /// name for the child was registered ("派出所登记名：王小明").
    public static func names(in text: String, foundChild: Bool = true) -> [String] {
        read(text, foundChild: foundChild).names
    }

    /// The names `text` gives the child (`names(in:)`), and those it gives the child's father or
    /// mother: "爸爸叫王强" is a father named 王强.
    public static func read(_ text: String, foundChild: Bool = true) -> (
        names: [String], parents: [(parent: Parent, name: String)]
    ) {
        guard !ChineseText.saysUnknown(text) else { return ([], []) }
        let notTheFamilys = foundChild ? namesGivenAfterFinding : namesGivenInPlace
        // Most fields hold one name and nothing else: read without cutting.
        let scalars = WordList.scalars(of: text)
        let alsoCalledIn = alsoCalled.isIn(scalars)
        if let first = text.first, !nameLabelFirstCharacters.contains(first), !familyFirstCharacters.contains(first),
            !text.contains(where: { nameSeparators.contains($0) || $0.isWhitespace }), !alsoCalledIn,
            !namingWords.isIn(scalars), !notTheFamilys.isIn(scalars), !FamilyMember.isWords.isIn(scalars)
        {
            return (name(written: text, notTheFamilys).map { [$0] } ?? [], [])
        }
        // "张伟又叫伟伟", "his name is Ming but the shelter calls him Lele": between two names,
        // "also called", "but" and "and" part them as a comma does. (No syllable is spelled so.)
        let text = partingWords.replacing(in: text, with: ",")
        var names: [String] = []
        var parents: [(parent: Parent, name: String)] = []
        var words: [Substring] = []
        // Set by a label saying the name that follows is not the family's ("暂名：", "shelter name:").
        var nextNamedByOthers = false
        // Set by a word for one of the child's family ("father", "爸爸："): the name that follows is theirs.
        var familyNamedNext: FamilyMember? = nil
        // The surnames of family the child shares a surname with, added after the names read.
        var familySurnames: [String] = []
        func endName(namedByOthers: Bool) {
            let written = words.joined(separator: " ")
            words = []
            guard !written.isEmpty else { return }
            // "他说他叫明明", "福利院取名国庆": a name is what follows the words saying what a child
            // was called or named, which no name holds. Who named them comes before, and who was
            // called ("叫他小宝") first after. "随院长姓张叫国庆" is 张 and 国庆. Family before those
            // words is whose name follows ("爸爸叫王强"), unless they call the child it ("妈妈叫他小宝").
            var pieces: [(name: String, relative: FamilyMember?)] = [(written, nil)]
            if let (who, name) = FamilyMember.named(in: written) {
                pieces = [(name, FamilyMember(endingWith: who))]
            } else if namingWords.isIn(written) {
                let cut = cut(written, at: namingWords.words)
                pieces = zip(cut, cut.dropFirst()).enumerated().map { index, pair in
                    let (who, named) = pair
                    // "叫他小宝", "叫自己宝宝": who was called, not the name.
                    var name = named.drop(while: pronouns.contains)
                    if name.hasPrefix("自己") { name = name.dropFirst(2) }
                    let whose = name.count < named.count ? nil : FamilyMember(endingWith: who)
                    // "爸爸叫王建国妈妈叫李红": family before the next 叫 is whose name follows it.
                    if index + 2 < cut.count, let next = FamilyMember(endingWith: name), name.count > next.word.count {
                        name = name.dropLast(next.word.count)
                        if let last = name.last, FamilyMember.notByBirthBefore.contains(last) { name = name.dropLast() }
                    }
                    return (String(name), whose)
                }
            }
            for var (name, relative) in pieces {
                // "可能李明", "小名明明": a hedge, or what kind of name follows.
                while let label = nameLabels.first(where: name.hasPrefix) { name.removeFirst(label.count) }
                // "父亲王强".
                if relative == nil, let member = FamilyMember(beginning: name) {
                    name.removeFirst(member.word.count)
                    relative = member
                }
                guard let name = Self.name(written: name, notTheFamilys), !namedByOthers else { continue }
                if let member = relative ?? familyNamedNext {
                    familyNamedNext = nil
                    if member.sharesSurname, let surname = Self.surname(of: name) { familySurnames.append(surname) }
                    if let parent = member.parent { parents.append((parent, name)) }
                } else {
                    names.append(name)
                }
            }
        }
        var piece = ""
        for character in text + "," {
            guard nameSeparators.contains(character) else {
                piece.append(character)
                continue
            }
            // "户口名：", "shelter name:", "身份证号：": before a colon, a word ending in 名 or "name"
            // says what kind of name follows, and one ending in 号 or "number" what number.
            var trimmed = Substring(piece).lowercased()
            while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
            let label = ":：".contains(character) && Self.labelEndings.contains(where: trimmed.hasSuffix)
            let namedByOthers = Self.namedByOthers(piece, label: label, foundChild: foundChild)
            let named = names.count
            var previous: Substring? = nil
            for word in piece.split(whereSeparator: \.isWhitespace) where !label {
                defer { previous = word }
                if let previous, word.lowercased() == "of", FamilyMember.offspring.contains(previous.lowercased()) {
                    endName(namedByOthers: namedByOthers || nextNamedByOthers)
                    familyNamedNext = FamilyMember.eitherParent
                } else if let member = FamilyMember(word: word) {
                    endName(namedByOthers: namedByOthers || nextNamedByOthers)
                    familyNamedNext = member.notByBirth(after: previous)
                } else if nameLabelWords.contains(word.lowercased()) {
                    // "mother calls him Bao": family calling the child a name.
                    if ["him", "her", "me"].contains(word.lowercased()) { familyNamedNext = nil }
                    // "says he is Ming", "an infant", "a baby boy": a pronoun or an article alone
                    // before such a word is who, not the surname 何 or the 安 or 阿 of a name.
                    if words.count == 1, ["he", "she", "a", "an"].contains(words[0].lowercased()) { words = [] }
                    endName(namedByOthers: namedByOthers || nextNamedByOthers)
                } else {
                    // "王毛 小名毛毛": a label after a space begins another name.
                    if !words.isEmpty, let first = word.first, nameLabelFirstCharacters.contains(first),
                        nameLabels.contains(where: word.hasPrefix)
                    {
                        endName(namedByOthers: namedByOthers || nextNamedByOthers)
                    }
                    words.append(word)
                }
            }
            endName(namedByOthers: namedByOthers || nextNamedByOthers)
            // "国庆（福利院所起）", "张三（化名）", "国庆，福利院起的名": a piece saying only who gave
            // the name before it.
            let saysOnlyWhoNamed = namedByOthers && !label && names.count == named && Self.saysOnlyWhoNamed(piece)
            if saysOnlyWhoNamed, !names.isEmpty { names.removeLast() }
            nextNamedByOthers = namedByOthers && ":：".contains(character) && (label || saysOnlyWhoNamed)
            // "father: Wang Qiang": family named before a colon names the piece after it.
            if !":：".contains(character) { familyNamedNext = nil }
            piece = ""
        }
        for surname in familySurnames where !names.contains(where: { Self.begins($0, with: surname) }) {
            names.append(surname)
        }
        return (names, parents)
    }

    /// One of the child's family, by the word a record names them with: the name that follows
    /// such a word is theirs, not the child's. A father's surname is the child's as a rule, and so
    /// is his father's, a brother's or a sister's: that much of their name is kept.
    struct FamilyMember {
        let word: String
        let sharesSurname: Bool
        /// Set for a word naming the child's father or mother.
        let parent: Parent?

        /// Parents, grandparents, aunts and uncles, in Chinese, longest first; brothers and
        /// sisters (哥哥, 妹妹) only before 叫 and the like, since 妹妹 and 弟弟 are milk names too.
        static let elders: [(String, Bool)] = [
            ("爸爸", true), ("父亲", true), ("爷爷", true), ("妈妈", false), ("母亲", false), ("奶奶", false),
            ("外公", false), ("外婆", false), ("姥姥", false), ("姥爷", false), ("叔叔", false), ("阿姨", false),
            ("爸", true), ("爹", true), ("妈", false),
        ]
        static let siblings: [(String, Bool)] = [("哥哥", true), ("姐姐", true), ("弟弟", true), ("妹妹", true)]
        static let siblingsAndElders = siblings + elders
        /// In English, whose name follows "father is", "mother:", "father's name is".
        static let english: [String: Bool] = [
            "father": true, "dad": true, "daddy": true, "papa": true, "brother": true, "sister": true,
            "mother": false, "mum": false, "mom": false, "mummy": false, "mommy": false, "mama": false,
            "grandma": false, "grandpa": false, "grandmother": false, "grandfather": false, "granny": false,
            "uncle": false, "aunt": false, "auntie": false,
            // Who took a parent's place: their names are not the family's, and no name either.
            "stepfather": false, "stepmother": false, "stepdad": false, "stepmom": false, "stepmum": false,
            "godfather": false, "godmother": false,
        ]

        /// The words naming a father or a mother, in Chinese and in English.
        static let parents: [String: Parent] = [
            "爸爸": .father, "父亲": .father, "爸": .father, "爹": .father, "father": .father, "dad": .father,
            "daddy": .father, "papa": .father, "妈妈": .mother, "母亲": .mother, "妈": .mother, "mother": .mother,
            "mum": .mother, "mom": .mother, "mummy": .mother, "mommy": .mother, "mama": .mother,
        ]

        /// The family member a word of a sentence names: "father", "father's", "他爸爸".
        init?(word: Substring) {
            var lowercased = word.lowercased()
            for possessive in ["'s", "’s"] where lowercased.hasSuffix(possessive) {
                lowercased.removeLast(possessive.count)
            }
            if let sharesSurname = Self.english[lowercased] {
                self.init(String(word), sharesSurname, Self.parents[lowercased])
            } else {
                self.init(endingWith: word, among: Self.elders)
            }
        }

        /// The family member a case's reporterRelation names: one word ("父亲", "孩子的妈妈", "Father").
        init?(relation: String) {
            let words = relation.split { $0.isWhitespace || $0.isPunctuation }
            guard words.count == 1 else { return nil }
            self.init(word: words[0])
        }

        /// "son of Wang Qiang": a parent, but which one the words do not say, so neither the name
        /// nor its surname is compared or kept.
        static let offspring: Set<String> = ["son", "daughter", "child"]
        static let eitherParent = FamilyMember("of", false, nil)

        /// The family member words end with: "他说他爸爸" before 叫 or the like (where brothers
        /// and sisters count too), "孩子的妈妈" before a colon.
        init?(endingWith whose: Substring, among members: [(String, Bool)] = siblingsAndElders) {
            // "爸爸的" before 名字叫: whose name it is.
            let who = whose.hasSuffix("的") ? whose.dropLast() : whose
            guard let (word, sharesSurname) = members.first(where: { who.hasSuffix($0.0) }) else { return nil }
            // "后妈", "干爸爸", "养父母", "收养他的爸爸", "买他的那家爸爸": a stepparent, a godparent or
            // the family who took the child in, whose name and surname are not the child's family's.
            let before = who.dropLast(word.count)
            let notByBirth =
                before.last.map(Self.notByBirthBefore.contains) ?? false || before.contains("养") || before.contains("买")
            self.init(word, sharesSurname && !notByBirth, notByBirth ? nil : Self.parents[word])
        }
        static let notByBirthBefore = Set("后干继养")

        /// The same in English: "adoptive father", "foster mother", "step-father".
        func notByBirth(after previous: Substring?) -> FamilyMember {
            guard let previous, ["adoptive", "foster", "step", "step-", "god"].contains(previous.lowercased()) else {
                return self
            }
            return FamilyMember(word, false, nil)
        }

        /// The family member a whole name is written after: "父亲王强". Not "妈妈在家" (mother is at
        /// home), nor 是, which `named(in:)` reads.
        init?(beginning name: String) {
            guard let (elder, sharesSurname) = Self.elders.first(where: { name.hasPrefix($0.0) }),
                Self.isWholeName(String(name.dropFirst(elder.count)))
            else { return nil }
            self.init(elder, sharesSurname, Self.parents[elder])
        }

        /// Family named with 是: "爸爸是王建国", "他说他爸爸是王建国". What follows 是 is a name only
        /// when it reads as a whole one, a common surname and a given name: "爸爸是农民" (a farmer)
        /// and "妈妈是老师" (a teacher) say what a parent does, not who they are.
        static func named(in text: String) -> (who: Substring, name: String)? {
            let characters = Array(text)
            for (elder, _) in elders {
                let word = Array(elder + "是")
                guard
                    let start = stride(from: characters.count - word.count, through: 0, by: -1).first(where: {
                        characters[$0..<$0 + word.count].elementsEqual(word)
                    })
                else { continue }
                let name = String(characters[(start + word.count)...])
                guard isWholeName(name) else { return nil }
                return (Substring(String(characters[..<start]) + elder), name)
            }
            return nil
        }
        static let isWords = WordList(elders.map { $0.0 + "是" })

        /// Two to four characters beginning with one of the commonest surnames.
        static func isWholeName(_ text: String) -> Bool {
            guard (2...4).contains(text.count), text.allSatisfy({ Pinyin.syllableByCharacter[$0] != nil }) else {
                return false
            }
            if let double = doubleSurnames.first(where: text.hasPrefix) { return text.count > double.count }
            return text.count <= 3 && commonSurnames.contains(text.first!)
        }
        /// The commonest surnames, by the 2020 census: about nine Chinese in ten bear one.
        static let commonSurnames = Set(
            "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文施洪辛柯庄葛牛温芦梅殷骆阎章鲁倪谷苗耿詹翟凌关兰"
        )

        private init(_ word: String, _ sharesSurname: Bool, _ parent: Parent?) {
            self.word = word
            self.sharesSurname = sharesSurname
            self.parent = parent
        }
    }
    private static let familyFirstCharacters = Set(FamilyMember.elders.compactMap(\.0.first))

    /// The surname of a name: in characters, the first (or the first two, of a surname of two
    /// such as 欧阳); in Latin letters, the first of two words or more. Nil for one word in
    /// Latin letters, which may be either name.
    static func surname(of name: String) -> String? {
        guard !name.allSatisfy(\.isASCII) else {
            let words = name.split(whereSeparator: \.isWhitespace)
            return words.count >= 2 ? String(words[0]) : nil
        }
        if name.count >= 3, let double = doubleSurnames.first(where: name.hasPrefix) { return double }
        return name.first.map(String.init)
    }
    private static let doubleSurnames = [
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "尉迟", "公孙", "长孙", "宇文", "端木",
    ]

    /// Whether `name` begins with `surname`: its first characters, or its first word in Latin letters.
    static func begins(_ name: String, with surname: String) -> Bool {
        surname.allSatisfy(\.isASCII)
            ? name.split(whereSeparator: \.isWhitespace).first?.lowercased() == surname.lowercased()
            : name.hasPrefix(surname)
    }

    /// Whether `piece` says its name, or the one after it, is not the family's: a kind of name
    /// given in place of the child's (暂名, 化名), or, in a found child's record, one who names a
    /// child found (福利院, "shelter") naming or labelling it ("福利院起名国庆", "shelter name:").
    /// Not "据民警介绍，孩子自称叫明明": the police said what the child did.
    static func namedByOthers(_ piece: String, label: Bool, foundChild: Bool) -> Bool {
        namesGivenInPlace.isIn(piece) || (foundChild && namers.isIn(piece) && (label || givingNames.isIn(piece)))
    }

    /// Whether `piece` holds nothing but the words of a note on who gave a name ("福利院所起",
    /// "given by the shelter"), rather than a name as well ("暂名党小福").
    static func saysOnlyWhoNamed(_ piece: String) -> Bool {
        var rest = piece.lowercased()
        for word in noteWords { rest = rest.replacing(word, with: " ") }
        return rest.allSatisfy { $0.isWhitespace || $0.isPunctuation }
    }

    /// `text` cut at each of `words`, which are left out: at the earliest, and of the words
    /// found there the first listed.
    static func cut(_ text: String, at words: [String]) -> [Substring] {
        var pieces: [Substring] = []
        var rest = Substring(text)
        while let word = words.compactMap({ rest.firstRange(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            pieces.append(rest[..<word.lowerBound])
            rest = rest[word.upperBound...]
        }
        return pieces + [rest]
    }

    /// The name `written` holds, or nil where it holds none: one saying there is none, a note on
    /// how a name was written, a sentence, or words of `notTheFamilys`. Whether read whole or cut
    /// from a longer field.
    private static func name(written: String, _ notTheFamilys: WordList) -> String? {
        // "'Xiao Long'": an apostrophe inside a name parts syllables (Xi'an); around one it quotes.
        var kept = withoutAgeOrNumber(written).drop { $0 == "'" || $0.isWhitespace }
        while let last = kept.last, last == "'" || last.isWhitespace { kept.removeLast() }
        let name = withoutPlaceholder(String(kept))
        guard !name.isEmpty, !ChineseText.saysUnknown(name), !nameNotes.contains(name), !isSentence(name),
            !notTheFamilys.isIn(name), !nameLabelWords.contains(name.lowercased())
        else { return nil }
        return name
    }

    /// `written` up to an age or a number in it, which no name holds: "王小明3岁" is 王小明, "三岁半"
    /// and "110101200001011234" no name. A digit after a letter is a tone (Wang2 Ming2), and stays.
    static func withoutAgeOrNumber(_ written: String) -> Substring {
        // Most names hold neither: told at a glance, as every name of every record is read.
        guard written.contains(where: { $0 == "岁" || isDigit($0) }) else { return Substring(written) }
        let characters = Array(written)
        for (index, character) in characters.enumerated() {
            if character == "岁" {
                var start = index
                while start > 0, isDigit(characters[start - 1]) || chineseNumerals.contains(characters[start - 1]) {
                    start -= 1
                }
                return withoutAgeHedge(written.prefix(start))
            }
            let afterLetter = index > 0 && characters[index - 1].isASCII && characters[index - 1].isLetter
            let beforeDigit = index + 1 < characters.count && isDigit(characters[index + 1])
            if isDigit(character), !afterLetter || beforeDigit { return withoutAgeHedge(written.prefix(index)) }
        }
        return Substring(written)
    }

    /// `text` without the words at its end saying the age after them is a guess: "约5岁",
    /// "大约4岁", "about 5", "approx. 4 yrs" hold no name.
    private static func withoutAgeHedge(_ text: Substring) -> Substring {
        var text = text
        while let last = text.last, last.isWhitespace { text.removeLast() }
        let lowercased = text.lowercased()
        guard
            let hedge = ageHedges.first(where: { hedge in
                lowercased.hasSuffix(hedge)
                    && (!hedge.first!.isASCII || !(lowercased.dropLast(hedge.count).last?.isLetter ?? false))
            })
        else { return text }
        return withoutAgeHedge(text.dropLast(hedge.count))
    }
    /// Longest first, so that 大约 goes whole, not its 约 alone.
    private static let ageHedges = [
        "approx.", "年龄约", "roughly", "approx", "around", "about", "年龄", "年约", "大约", "大概", "估计", "aged", "age", "约",
    ]
    private static func isDigit(_ character: Character) -> Bool {
        ("0"..."9").contains(character) || ("０"..."９").contains(character)
    }
    private static let chineseNumerals = Set("零一二两三四五六七八九十周")

    /// "王某", "张XX": a surname with the given name held back (某, X, ×, *) is the surname alone,
    /// and the placeholder no syllable of a name. "某某" is no name.
    static func withoutPlaceholder(_ name: String) -> String {
        var kept = Substring(name)
        while let last = kept.last, placeholders.contains(last) { kept.removeLast() }
        guard kept.count < name.count else { return name }
        guard let last = kept.last else { return "" }
        // "Max" keeps its x: only characters hold a name back so.
        return last.isASCII ? name : String(kept)
    }
    private static let placeholders = Set("某Xx×*＊Ｘｘ")

    private static let alsoCalled = WordList(["又叫", "也叫", "又名", "也名", "或者"])
    /// Words between two names, read as a comma (`names(in:)`).
    private static let partingWords = WordList(alsoCalled.words + [" but ", " and "])
    /// Words saying what a child was called or named, longest first: what follows is the name.
    /// 姓 ("随院长姓张") too: as a surname it is all but unknown.
    private static let namingWords = WordList([
        "取名为", "取名叫", "起名为", "起名叫", "改名为", "改名叫", "更名为", "名字叫", "名字是", "名字为", "名叫", "名为", "叫做", "取名", "起名",
        "改名", "更名",
        "姓名", "叫", "姓",
    ])
    private static let pronouns = Set("他她它")
    private static let nameSeparators = Set(",，、/;；:：()（）[]【】\"“”‘’\n或")
    /// Chinese words before a name saying what kind of name it is, longest first (小名叫 and
    /// 在家叫 end where the name after 叫 begins; 又叫 and 又名 part names as `alsoCalled`): 姓
    /// too, "surname", as in "姓王，叫明明" (姓 as a surname is all but unknown).
    /// Hedges before a name too ("可能", "听起来像").
    private static let nameLabels = [
        "听起来像", "曾用名", "自称是", "小名", "乳名", "昵称", "原名", "别名", "学名", "大名", "本名", "自称", "姓名", "名字", "现名", "外号",
        "绰号", "可能", "疑似", "好像", "大概", "似乎", "据说", "应该", "像是", "姓",
    ]
    /// The kinds of name given in place of a child's (暂名, a shelter's name for now; 化名, one a
    /// notice uses in place of the child's): no name holds them.
    private static let namesGivenInPlace = WordList(["暂名", "院名", "临时姓名", "临时名", "化名"])
    /// Who names a child found. Buyers and adoptive parents are not among them: the name they
    /// gave may be the one a child gives. No name holds these words either.
    private static let namers = WordList([
        "福利院", "孤儿院", "儿童村", "救助站", "派出所", "公安", "民警", "警察", "警方", "院方", "院长", "入院", "社工", "志愿者", "shelter",
        "police", "orphanage", "staff", "welfare",
    ])
    private static let namesGivenAfterFinding = WordList(namesGivenInPlace.words + namers.words)
    /// Words saying someone gave a name (随, taking another's surname: "随院长姓张").
    private static let givingNames = WordList([
        "取名", "起名", "改名", "更名", "命名", "起的", "取的", "所起", "所取", "随", "named", "given", "gave", "calls",
    ])
    /// The words a note on who gave a name is made of, longest first.
    private static let noteWords =
        (namesGivenAfterFinding.words + givingNames.words + [
            "名字", "名为", "名", "的", "所", "由", "被", "给", "为", "the", "by", "him", "her", "name",
        ]).sorted { $0.count > $1.count }
    /// Notes beside a name saying how it was written down ("王（音）" is 王 as heard), how sure
    /// it is, or the child's sex ("王小明（男）": 男 would be nan, meeting every 楠 and 兰).
    private static let nameNotes: Set<String> = [
        "音", "谐音", "同音", "音译", "读音", "不确定", "不肯定", "不一定", "男", "女", "男孩", "女孩", "男童", "女童", "男婴", "女婴", "男性", "女性",
        // What one asked, not what the child answered: "问他叫什么".
        "什么", "啥", "谁",
        // What a child calls family, not a name: "只会说“妈妈”".
        "妈妈", "爸爸", "爷爷", "奶奶", "姥姥", "姥爷", "外公", "外婆", "叔叔", "阿姨",
    ]
    /// How a label before a colon ends when what follows is no name, or a name of that kind.
    private static let labelEndings = ["名", "名字", "name", "号", "号码", "number"]
    /// Words longer than most names holding a character of sentences (说, 在, 不, 的, 像, 写):
    /// "孩子不会说话", "家在河南", "口音像四川"; or shorter, holding two ("只会说"). A shorter one
    /// holding one may be a name heard and written with the commonest character of its sound
    /// (是 for shi).
    private static func isSentence(_ text: String) -> Bool {
        let held = text.reduce(0) { $0 + (sentenceCharacters.contains($1) ? 1 : 0) }
        return held >= 2 || (held == 1 && text.count >= 4)
    }
    private static let sentenceCharacters = Set("的了说是他她我你们在会吗呢吧着没不住么啥像写述")
    private static let nameLabelFirstCharacters = Set(nameLabels.compactMap(\.first))
    /// English words around names saying what kind of name follows, or that another does.
    private static let nameLabelWords: Set<String> = [
        "nickname", "aka", "a.k.a.", "called", "also", "known", "as", "milk", "pet", "name", "goes", "by", "or",
        "calls", "himself", "herself", "says", "said", "his", "her", "my", "is", "named",
        // Hedges and notes: "sounds like Xiao Long", "wang ming (phonetic)".
        "sounds", "sound", "like", "maybe", "perhaps", "possibly", "probably", "phonetic", "phonetically",
        "approx", "approximately", "spelled", "spelling", "unsure", "something",
        // "given the name Ping An by his foster family".
        "the", "given", "him", "foster", "adoptive", "parents", "family",
        // Sentences a shelter writes around a name or instead of one: "answers to 'Bao Bao'",
        // "Mingming at home", "called Niu Niu by the family who bought him", "cannot speak".
        // Left in, each word was a syllable of the name that no family's name holds.
        "answers", "answer", "responds", "respond", "to", "at", "home", "child", "boy", "girl", "who", "bought",
        "buyer", "buyers", "does", "did", "not", "know", "knows", "cannot", "can't", "speak", "talk", "mute", "too",
        "young", "say", "son", "daughter", "mr", "mrs", "when", "asked", "told", "was", "what", "of", "no", "yet",
        "talking", "surname", "first", "last", "full", "baby", "infant", "toddler",
        // "mother calls him Bao", "what his grandma called him".
        "mother", "father", "mum", "mom", "mummy", "mommy", "dad", "daddy", "brother", "sister", "grandma", "grandpa",
        "grandmother", "grandfather", "granny",
    ]

    public init(names: [String]) {
        let words = Self.words(of: names)
        self.init(
            names: names,
            syllableCodes: words.syllables.sorted().map { (Code.syllable($0), Code.key(Pinyin.fold($0))) },
            keyCodes: words.keys.map(Code.key).sorted(), sequenceCodes: words.sequences.map(Code.sequence).sorted(),
            foldedSequenceCodes: words.foldedSequences.map(Code.foldedSequence).sorted(),
            wholeNameCodes: words.wholeNames.map(Code.sequence).sorted(),
            alternativeKeys: words.alternatives.sorted { $0.lexicographicallyPrecedes($1) }.map {
                (Code.key(Pinyin.fold($0[0])), Code.key(Pinyin.fold($0[1])))
            })
    }

    /// The sounds of some names, read already (or read back: ChildDescription+Bytes).
    init(
        names: [String], syllableCodes: [(syllable: UInt64, key: UInt64)], keyCodes: [UInt64],
        sequenceCodes: [UInt64], foldedSequenceCodes: [UInt64], wholeNameCodes: [UInt64],
        alternativeKeys: [(UInt64, UInt64)]
    ) {
        self.names = names
        self.syllableCodes = syllableCodes
        self.keyCodes = keyCodes
        self.sequenceCodes = sequenceCodes
        self.foldedSequenceCodes = foldedSequenceCodes
        self.wholeNameCodes = wholeNameCodes
        self.alternativeKeys = alternativeKeys
    }

    static func words(of names: [String]) -> Words {
        var syllables: Set<String> = []
        var sequences: Set<String> = []
        var foldedSequences: Set<String> = []
        var wholeNames: Set<String> = []
        func add(_ name: String, _ written: [String]) {
            var sounds = written
            let milkPrefix =
                name.first.map {
                    $0.isASCII ? ["xiao", "a", "ah", "lao"].contains(sounds.first ?? "") : "小阿啊老".contains($0)
                }
                ?? false
            if sounds.count > 1, milkPrefix { sounds.removeFirst() }
            if sounds.count > 1, sounds.last == "er" { sounds.removeLast() }
            syllables.formUnion(sounds)
            for variant in [written, sounds] where !variant.isEmpty {
                if variant.count >= 2 { wholeNames.insert(variant.joined(separator: "-")) }
                var forms = [variant[...]]
                if variant.count >= 2 { forms.append(variant.dropFirst()) }
                if variant.count >= 3 { forms.append(variant.suffix(1)) }
                for form in forms {
                    sequences.insert(form.joined(separator: "-"))
                    foldedSequences.insert(form.map(Pinyin.fold).joined(separator: "-"))
                }
            }
        }
        var alternatives: Set<[String]> = []
        for name in names.map(ChineseText.normalized) {
            let readings = Pinyin.nameReadings(of: name)
            for written in readings {
                add(name, written)
            }
            for other in readings.dropFirst() {
                for (first, second) in zip(readings[0], other) where first != second {
                    alternatives.insert([first, second].sorted())
                }
            }
            let words = name.split(whereSeparator: \.isWhitespace)
            if words.count == 2, name.allSatisfy(\.isASCII) {
                wholeNames.insert(Pinyin.syllables(of: words[1] + " " + words[0]).joined(separator: "-"))
            }
        }
        return Words(
            syllables: syllables, sequences: sequences, foldedSequences: foldedSequences, wholeNames: wholeNames,
            alternatives: alternatives)
    }

    /// How many of the syllables given here no name with `keys` has, even heard alike: a
    /// syllable read two ways counts once, and not at all when either way is heard.
    func unheard(against keys: [UInt64]) -> Int {
        var count = syllableCodes.count { !keys.contains($0.key) }
        for (first, second) in alternativeKeys where !(keys.contains(first) && keys.contains(second)) {
            count -= 1
        }
        return max(count, 0)
    }

    /// The same sounds, however the names were written (陳傑 and 陈杰).
    public static func == (a: NameSounds, b: NameSounds) -> Bool {
        a.syllableCodes.elementsEqual(b.syllableCodes, by: ==) && a.keyCodes == b.keyCodes
            && a.sequenceCodes == b.sequenceCodes && a.foldedSequenceCodes == b.foldedSequenceCodes
            && a.wholeNameCodes == b.wholeNameCodes
            && a.alternativeKeys.elementsEqual(b.alternativeKeys, by: ==)
    }
}

/// 64-bit FNV-1a codes of name sounds, place names and feature words, one namespace each, so
/// that shares can be looked up and records compared with integers. A collision would need two
/// of a few hundred thousand strings to share 64 bits.
enum Code {
    static func syllable(_ text: String) -> UInt64 { of("s", text) }
    static func key(_ text: String) -> UInt64 { of("k", text) }
    static func sequence(_ text: String) -> UInt64 { of("q", text) }
    static func foldedSequence(_ text: String) -> UInt64 { of("f", text) }
    static func place(_ text: String) -> UInt64 { of("p", text) }
    static func placeSound(_ text: String) -> UInt64 { of("ps", text) }
    static func feature(_ text: String) -> UInt64 { of("w", text) }

    static func of(_ namespace: String, _ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        for byte in namespace.utf8 { add(byte) }
        add(0)
        for byte in text.utf8 { add(byte) }
        return hash
    }
}
