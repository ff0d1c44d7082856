/// A hybrid logical clock reading: wall-clock milliseconds since 1970 in the high 48 bits,
/// a counter in the low 16. It orders events for people and for folding corrections; it
/// never decides what sync sends.
public struct HybridTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public init(milliseconds: UInt64, counter: UInt16) {
        rawValue = milliseconds << 16 | UInt64(counter)
    }

    public var milliseconds: UInt64 { rawValue >> 16 }
    public var counter: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    /// The next reading for a local event: the wall clock when it has moved past `last`,
    /// otherwise `last` advanced by one, so readings strictly increase even if the clock
    /// steps back.
    public static func next(after last: HybridTimestamp?, nowMilliseconds: UInt64) -> HybridTimestamp {
        guard let last, last.milliseconds >= nowMilliseconds else {
            return HybridTimestamp(milliseconds: nowMilliseconds, counter: 0)
        }
        return HybridTimestamp(rawValue: last.rawValue + 1)
    }

    public static func < (lhs: HybridTimestamp, rhs: HybridTimestamp) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Days since 1970-01-01 (UTC) of the wall-clock part.
    public var day: Int { Int(milliseconds / 86_400_000) }

    /// ISO 8601 in UTC with milliseconds, e.g. `2026-11-29T15:04:05.123Z`.
    public var description: String {
        let ms = milliseconds
        let day = Int(ms / 86_400_000)
        let (year, month, dayOfMonth) = PartialDate.civil(fromDay: day)
        let seconds = Int(ms / 1000 % 86_400)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))T\(pad(seconds / 3600, 2)):"
            + "\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(Int(ms % 1000), 3))Z"
    }
}
