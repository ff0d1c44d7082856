/// Chinese text as records bring it, in the one form the matcher and searches read.
public enum ChineseText {
    /// `text` as the matcher reads it: each traditional character the table knows
    /// (TraditionalTable.swift) in its simplified form, since records from Hong Kong, Taiwan or
    /// older registers write 陳 for 陈, 臉 for 脸 and 廣東 for 广东; and full-width letters, digits
    /// and spaces, which Chinese keyboards type (Ｗａｎｇ　Ｈａｏ), as ASCII. Text without either
    /// comes back unchanged, not copied.
    public static func normalized(_ text: String) -> String {
        func replacement(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
            switch scalar.value {
            case 0xFF01...0xFF5E: return Unicode.Scalar(scalar.value - 0xFEE0)
            case 0x3000: return " "
            default: break
            }
            let offset = Int(scalar.value) - Int(firstTraditional)
            guard offset >= 0, offset < simplifiedByTraditional.count, simplifiedByTraditional[offset] != 0 else {
                return nil
            }
            return Unicode.Scalar(simplifiedByTraditional[offset])
        }
        guard text.unicodeScalars.contains(where: { replacement($0) != nil }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(replacement(scalar) ?? scalar) }
        return String(result)
    }

    /// Whether `text` says only that nothing is known, as staff write in a field they must or
    /// may not leave empty (不详, 未知, 无, "unknown", "N/A"): read as a name, 未知 would be wei zhi
    /// and meet every 伟志; as a place, it would meet every other record saying the same.
    static func saysUnknown(_ text: String) -> Bool {
        // Read for every name and place of every record: most are told apart by their first letter.
        let first = text.unicodeScalars.first {
            !$0.properties.isWhitespace && !Character($0).isPunctuation
        }
        guard let first else { return true }
        guard unknownFirstCharacters.contains(first) else { return false }
        let written = normalized(text).lowercased().filter { !$0.isWhitespace }
        let words = written.filter { !$0.isPunctuation }
        // "N/A" but not "Na", which is a name (娜).
        return words.isEmpty || unknownWords.contains(words) || ["n/a", "n.a.", "n.a"].contains(written)
    }

    private static let unknownWords: Set<String> = [
        "不详", "不祥", "未知", "无", "没有", "不知", "不知道", "不清楚", "说不清", "说不出", "不会说话", "未提供", "无名",
        "无名氏", "姓名不详", "名字不详", "姓名未知", "名字未知", "地点不详", "地址不详", "暂无", "待定", "未告知", "不明", "未说",
        "unknown", "none", "nil", "null", "noname", "notknown", "notgiven", "unnamed", "anonymous", "notstated",
        "notprovided", "nameless", "nonegiven", "didnotsay", "notsaid", "refused", "nonverbal",
        // Staff who could not get a name: "could not get it out of him", "anonymous", "to be checked".
        "问不出", "问不出来", "未问出", "不肯说", "不愿说", "匿名", "待查", "待核实", "待确认", "暂缺",
        "无名字", "没有名字", "没名字", "没名", "没说", "不说",
        // Staff who could not make out what the child said.
        "听不清", "听不懂", "听不出", "听不清楚",
    ]
    /// The first characters of those words as they may be typed: in either case, in full width,
    /// or traditional (無, 沒, 說).
    private static let unknownFirstCharacters: Set<Unicode.Scalar> = Set(
        unknownWords.compactMap(\.unicodeScalars.first).flatMap { first -> [Unicode.Scalar] in
            guard first.isASCII else { return [first] }
            let upper = first.value - 0x20
            return [
                first, Unicode.Scalar(upper)!, Unicode.Scalar(first.value + 0xFEE0)!, Unicode.Scalar(upper + 0xFEE0)!,
            ]
        } + ["無", "沒", "說"])

    /// ASCII letters and digits as a Chinese keyboard may type them, full width (N510 as
    /// Ｎ５１０): what `normalized` reads back as ASCII, for finding text stored as typed.
    public static func fullWidth(_ ascii: String) -> String {
        String(
            String.UnicodeScalarView(
                ascii.unicodeScalars.map { (0x21...0x7E).contains($0.value) ? Unicode.Scalar($0.value + 0xFEE0)! : $0 })
        )
    }

    /// The table as a flat array from the first traditional character's code point on, 0 where
    /// a character has no other form: read for every character of every name, mark and place.
    static let firstTraditional: UInt32 = traditionalPairs.map(\.traditional).min() ?? 0
    static let simplifiedByTraditional: [UInt32] = {
        let last = traditionalPairs.map(\.traditional).max() ?? 0
        var table = [UInt32](repeating: 0, count: Int(last) - Int(firstTraditional) + 1)
        for pair in traditionalPairs { table[Int(pair.traditional - firstTraditional)] = pair.simplified }
        return table
    }()
    static let traditionalPairs: [(traditional: UInt32, simplified: UInt32)] =
        traditionalTable.unicodeScalars.split(whereSeparator: \.properties.isWhitespace).compactMap { pair in
            pair.count == 2 ? (pair.first!.value, pair.last!.value) : nil
        }
}

/// Words looked for in short text, compared scalar by scalar with ASCII letters in either case:
/// `String.contains` took more of describing a record than all the rest of reading its names.
struct WordList: Sendable {
    let words: [String]
    private let scalars: [[Unicode.Scalar]]
    private let firsts: Set<Unicode.Scalar>

    init(_ words: [String]) {
        self.words = words
        scalars = words.map { $0.unicodeScalars.map(Self.lowercased) }
        firsts = Set(scalars.compactMap(\.first))
    }

    /// Whether `text` holds any of the words.
    func isIn(_ text: some StringProtocol) -> Bool { isIn(Self.scalars(of: text)) }

    /// The same for text already made scalars (`scalars(of:)`), to look for several lists in it.
    func isIn(_ text: [Unicode.Scalar]) -> Bool {
        text.indices.contains { word(at: $0, in: text) != nil }
    }

    /// The first of the words that `text` (made scalars) holds at `start`, if any.
    private func word(at start: Int, in text: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        guard firsts.contains(text[start]) else { return nil }
        return scalars.first { word in
            word[0] == text[start] && start + word.count <= text.count
                && text[start..<start + word.count].elementsEqual(word)
        }
    }

    /// `text` with each of the words, in whatever case, replaced by `replacement`.
    func replacing(in text: String, with replacement: String) -> String {
        let lowercased = Self.scalars(of: text)
        guard isIn(lowercased) else { return text }
        let original = Array(text.unicodeScalars)
        var replaced = String.UnicodeScalarView()
        var start = 0
        while start < original.count {
            if let word = word(at: start, in: lowercased) {
                replaced.append(contentsOf: replacement.unicodeScalars)
                start += word.count
            } else {
                replaced.append(original[start])
                start += 1
            }
        }
        return String(replaced)
    }

    static func scalars(of text: some StringProtocol) -> [Unicode.Scalar] { text.unicodeScalars.map(lowercased) }

    private static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0x20)! : scalar
    }
}
