/// The child's father or mother: whose name a found child may give ("爸爸叫王强"), and who a
/// case's reporter may be (reporterRelation 父亲).
public enum Parent: UInt8, Sendable {
    case father = 1, mother = 2

    /// The parent a case's reporterRelation names ("父亲", "孩子的妈妈", "Father"); nil for anyone
    /// else (a grandmother, an aunt, a police officer).
    public init?(relation: String) {
        guard let parent = NameSounds.FamilyMember(relation: relation)?.parent else { return nil }
        self = parent
    }

    var english: String { self == .father ? "father" : "mother" }
    var chinese: String { self == .father ? "父亲" : "母亲" }
}

/// A parent's whole name as a record gives it: a case's reporter who is the child's father or
/// mother, or who does not say who they are, or a name a found child gives for one. A child who
/// knows a parent's name is a lead that families and volunteers follow first; a surname alone
/// is no such name (it already counts as the child's: NameSounds.read).
public struct ParentName: Sendable {
    /// Nil for a case's reporter who gives no relation: most often a parent, but which one, or
    /// whether, the record does not say.
    public let parent: Parent?
    public let name: String
    /// The whole name's sounds as written (coded as name sequences), and each syllable's folded key.
    let wholeNameCodes: [UInt64]
    let keyCodes: [UInt64]

    /// Nil when `name` is no whole name: a surname alone, or one with a form of address (王先生,
    /// "Mrs Li").
    public init?(_ parent: Parent?, _ name: String) {
        let lowercased = name.lowercased()
        let addressed =
            Self.chineseAddresses.contains(where: lowercased.contains)
            || lowercased.split { !$0.isLetter }.contains { Self.englishAddresses.contains(String($0)) }
        let sounds = NameSounds(names: [name])
        guard !addressed, !sounds.wholeNameCodes.isEmpty else { return nil }
        self.init(parent: parent, name: name, wholeNameCodes: sounds.wholeNameCodes, keyCodes: sounds.keyCodes)
    }

    /// What reading a name gave, read already (or read back: ChildDescription+Bytes).
    init(parent: Parent?, name: String, wholeNameCodes: [UInt64], keyCodes: [UInt64]) {
        self.parent = parent
        self.name = name
        self.wholeNameCodes = wholeNameCodes
        self.keyCodes = keyCodes
    }

    /// Words people put after or before a surname in place of a given name.
    static let chineseAddresses = ["先生", "女士", "小姐", "太太", "夫人"]
    static let englishAddresses: Set<String> = ["mr", "mrs", "ms", "miss", "madam"]

    /// A case's reporter, when reporterRelation says they are the child's father or mother, a
    /// parent without saying which (父母, 家长), or says nothing; not one who says they are
    /// someone else (a grandmother, the police).
    static func reporter(_ name: String?, relation: String?) -> ParentName? {
        guard let name, let written = NameSounds.names(in: name, foundChild: false).first else { return nil }
        let said = relation.map { $0.filter { !$0.isWhitespace && !$0.isPunctuation }.lowercased() } ?? ""
        guard !said.isEmpty, !["parent", "parents"].contains(said), !eitherParent.contains(where: said.hasSuffix) else {
            return ParentName(nil, written)
        }
        return Parent(relation: relation ?? "").flatMap { ParentName($0, written) }
    }
    /// How a reporter says in Chinese they are a parent without saying which ("孩子的父母").
    static let eitherParent = ["父母", "家长", "爸妈", "爸爸妈妈", "双亲"]

    /// The surname a case's reporter gives the child, when reporterRelation says they share it
    /// (a father, 爷爷, a brother), as the surname of a father a found child names counts as the
    /// child's (NameSounds.read): "王强" or "王先生" is 王, "Mr Wang" Wang. Nil for anyone else,
    /// a mother, a grandmother or an uncle, whose surname may not be the child's.
    static func reporterSurname(_ name: String?, relation: String?) -> String? {
        guard let name, let relation, NameSounds.FamilyMember(relation: relation)?.sharesSurname == true else {
            return nil
        }
        let words = name.split(whereSeparator: \.isWhitespace)
        if words.count >= 2, englishAddresses.contains(words[0].lowercased().filter { $0 != "." }) {
            return String(words[1])
        }
        return NameSounds.names(in: name, foundChild: false).first.flatMap(NameSounds.surname(of:))
    }

    /// The fathers and mothers a found child's name and circumstances name, as read
    /// (`NameSounds.read`): "自称明明，爸爸叫王强", "孩子说妈妈叫李红".
    static func told(in readings: [(names: [String], parents: [(parent: Parent, name: String)])]) -> [ParentName] {
        readings.flatMap(\.parents).compactMap { ParentName($0.parent, $0.name) }
    }
}
