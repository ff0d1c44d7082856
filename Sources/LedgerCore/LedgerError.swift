/// Every failure the core reports: a code callers can switch on, the field it concerns
/// (named as in JSON), and a message written for the person at the keyboard.
///
/// Messages never contain keys; they may quote the value the user typed, since that is
/// what lets them find their mistake.
public struct LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A value that does not parse or is out of range.
        case invalidValue
        /// A required field that is absent.
        case missingField
        /// A field the kind does not have.
        case unknownField
        /// An id or prefix that names no record, or more than one.
        case unknownRecord
        /// A reference to a record of the wrong kind, or to a retracted one.
        case wrongRecord
        /// A rule between records: a reunion without a confirmed match, dates out of order.
        case ruleViolated
        /// Bytes that are not a canonical event.
        case malformedEvent
        /// Input that is not JSON.
        case invalidJSON
    }

    public var code: Code
    public var field: String?
    public var message: String
    /// The line of an import file the error concerns, 1-based.
    public var line: Int?

    public init(_ code: Code, field: String? = nil, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String {
        (line.map { "line \($0): " } ?? "") + (field.map { "\($0): " } ?? "") + message
    }
}
