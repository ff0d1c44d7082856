/// The child's father or mother: whose name a found child may give ("爸爸叫王强"), and who a
/// case's reporter may be (reporterRelation 父亲).
public enum Parent: UInt8, Sendable {
    case father = 1, mother = 2

    /// The parent a case's reporterRelation names ("父亲", "孩子的妈妈", "Father"); nil for anyone
    /// else (a grandmother, an aunt, a police officer).
    public init?(relation: String) {
        let words = relation.split { $0.isWhitespace || $0.isPunctuation }
        guard words.count == 1, let parent = NameSounds.FamilyMember(word: words[0])?.parent else { return nil }
        self = parent
    }

    var english: String { self == .father ? "father" : "mother" }
    var chinese: String { self == .father ? "父亲" : "母亲" }
}

/// A parent's whole name as a record gives it: a case's reporter who is the child's father or
/// mother, or a name a found child gives for one. A child who knows a parent's name is a lead
/// that families and volunteers follow first; a surname alone is no such name (it already
/// counts as the child's: NameSounds.read).
public struct ParentName: Sendable {
    public let parent: Parent
    public let name: String
    /// The whole name's sounds as written (coded as name sequences), and each syllable's folded key.
    let wholeNameCodes: [UInt64]
    let keyCodes: [UInt64]

    /// Nil when `name` is no whole name: a surname alone, or one with a form of address (王先生,
    /// "Mrs Li").
    public init?(_ parent: Parent, _ name: String) {
        let lowercased = name.lowercased()
        let addressed =
            Self.chineseAddresses.contains(where: lowercased.contains)
            || lowercased.split { !$0.isLetter }.contains { Self.englishAddresses.contains(String($0)) }
        let sounds = NameSounds(names: [name])
        guard !addressed, !sounds.wholeNameCodes.isEmpty else { return nil }
        self.init(parent: parent, name: name, wholeNameCodes: sounds.wholeNameCodes, keyCodes: sounds.keyCodes)
    }

    /// What reading a name gave, read already (or read back: ChildDescription+Bytes).
    init(parent: Parent, name: String, wholeNameCodes: [UInt64], keyCodes: [UInt64]) {
        self.parent = parent
        self.name = name
        self.wholeNameCodes = wholeNameCodes
        self.keyCodes = keyCodes
    }

    /// Words people put after or before a surname in place of a given name.
    static let chineseAddresses = ["先生", "女士", "小姐", "太太", "夫人"]
    static let englishAddresses: Set<String> = ["mr", "mrs", "ms", "miss", "madam"]

    /// A case's reporter, when reporterRelation says they are the child's father or mother.
    static func reporter(_ name: String?, relation: String?) -> ParentName? {
        guard let name, let parent = relation.flatMap(Parent.init(relation:)),
            let written = NameSounds.names(in: name, foundChild: false).first
        else { return nil }
        return ParentName(parent, written)
    }

    /// The fathers and mothers a found child's name and circumstances name, as read
    /// (`NameSounds.read`): "自称明明，爸爸叫王强", "孩子说妈妈叫李红".
    static func told(in readings: [(names: [String], parents: [(parent: Parent, name: String)])]) -> [ParentName] {
        readings.flatMap(\.parents).compactMap { ParentName($0.parent, $0.name) }
    }
}
