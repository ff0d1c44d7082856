/// The child's sex as recorded; `unknown` when a record cannot say.
public enum Sex: UInt8, CaseIterable, Sendable {
    case unknown = 0
    case male = 1
    case female = 2

    public var name: String { "\(self)" }

    public init(parsing text: String) throws {
        guard let sex = Self.allCases.first(where: { $0.name == text.lowercased() }) else {
            throw LedgerError(.invalidValue, "\"\(text)\" is not a sex (male, female or unknown)")
        }
        self = sex
    }
}

/// ABO blood group with an optional Rh sign: `A`, `AB+`, `O-`.
public struct BloodType: Hashable, Sendable, CustomStringConvertible {
    public enum Group: UInt8, CaseIterable, Sendable { case a = 1, b = 2, ab = 3, o = 4 }
    public enum Rh: UInt8, Sendable { case unstated = 0, positive = 1, negative = 2 }

    public let group: Group
    public let rh: Rh

    public init(group: Group, rh: Rh) {
        self.group = group
        self.rh = rh
    }

    public init(parsing text: String) throws {
        var body = text.uppercased()
        var rh = Rh.unstated
        if body.hasSuffix("+") || body.hasSuffix("-") {
            rh = body.hasSuffix("+") ? .positive : .negative
            body.removeLast()
        }
        guard let group = Group.allCases.first(where: { "\($0)".uppercased() == body }) else {
            throw LedgerError(.invalidValue, "\"\(text)\" is not a blood type (A, B, AB or O, optionally with + or -)")
        }
        self.init(group: group, rh: rh)
    }

    /// One byte: the group in the high nibble, the Rh sign in the low one.
    var code: UInt8 { group.rawValue << 4 | rh.rawValue }

    init?(code: UInt8) {
        guard let group = Group(rawValue: code >> 4), let rh = Rh(rawValue: code & 0x0F) else { return nil }
        self.init(group: group, rh: rh)
    }

    public var description: String {
        "\(group)".uppercased() + (rh == .positive ? "+" : rh == .negative ? "-" : "")
    }
}

/// What a match decision rests on.
public enum Evidence: UInt8, CaseIterable, Sendable, Comparable {
    case dna = 1, photo, marks, documents, testimony

    public var name: String { "\(self)" }

    public init(parsing text: String) throws {
        guard let evidence = Self.allCases.first(where: { $0.name == text.lowercased() }) else {
            throw LedgerError(.invalidValue, "\"\(text)\" is not evidence (dna, photo, marks, documents or testimony)")
        }
        self = evidence
    }

    public static func < (lhs: Evidence, rhs: Evidence) -> Bool { lhs.rawValue < rhs.rawValue }
}
