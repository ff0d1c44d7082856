/// A calendar date that may be known only to the year or the month: `2009`, `2009-05`,
/// `2009-05-17`. Parents often know the day a child went missing; a shelter knows only the
/// year a foundling was born.
public struct PartialDate: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int?
    public let day: Int?

    public static let earliestYear = 1900

    public init(year: Int, month: Int? = nil, day: Int? = nil) throws {
        guard (Self.earliestYear...9999).contains(year) else {
            throw LedgerError(.invalidValue, "year \(year) is outside \(Self.earliestYear)-9999")
        }
        if let month, !(1...12).contains(month) {
            throw LedgerError(.invalidValue, "month \(month) does not exist")
        }
        if let day {
            guard let month else { throw LedgerError(.invalidValue, "a day needs a month") }
            guard (1...Self.daysIn(month: month, year: year)).contains(day) else {
                throw LedgerError(.invalidValue, "\(year)-\(month) has no day \(day)")
            }
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    public init(parsing text: String) throws {
        let notADate = LedgerError(.invalidValue, "\"\(text)\" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = [4, 2, 2]
        guard (1...3).contains(parts.count) else { throw notADate }
        var numbers: [Int] = []
        for (part, width) in zip(parts, widths) {
            guard part.count == width, part.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(part) else {
                throw notADate
            }
            numbers.append(number)
        }
        do {
            try self.init(
                year: numbers[0], month: numbers.count > 1 ? numbers[1] : nil, day: numbers.count > 2 ? numbers[2] : nil
            )
        } catch {
            throw notADate
        }
    }

    public var description: String {
        var text = String(year)
        if let month { text += "-" + Self.twoDigits(month) }
        if let day { text += "-" + Self.twoDigits(day) }
        return text
    }

    /// The first day the date could mean, as days since 1970-01-01.
    public var earliestDay: Int {
        Self.dayNumber(year: year, month: month ?? 1, day: day ?? 1)
    }

    /// The last day the date could mean, as days since 1970-01-01.
    public var latestDay: Int {
        let lastMonth = month ?? 12
        return Self.dayNumber(year: year, month: lastMonth, day: day ?? Self.daysIn(month: lastMonth, year: year))
    }

    /// True when every day this date could mean comes before every day `other` could mean.
    public func isSurelyBefore(_ other: PartialDate) -> Bool {
        latestDay < other.earliestDay
    }

    /// True when even the earliest day this date could mean is after `day`.
    public func isSurelyAfter(day: Int) -> Bool {
        earliestDay > day
    }

    /// The (year, month, day) of a day number, the inverse of `dayNumber` (Howard Hinnant's
    /// civil_from_days).
    public static func civil(fromDay day: Int) -> (year: Int, month: Int, day: Int) {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
