import Crypto

/// 32 bytes held inline as four big-endian words: ids are hashed and compared millions of
/// times in a fold, and an array per id would cost an allocation and reference counting each.
/// Comparing the words in order is comparing the bytes in order.
public struct Bytes32: Hashable, Comparable, Sendable {
    private let w0, w1, w2, w3: UInt64

    public init(_ bytes: some Collection<UInt8>) {
        precondition(bytes.count == 32, "expected 32 bytes")
        // Through contiguous memory: iterating a Data byte by byte is many times slower, and a
        // node reads a hundred thousand ids from SQLite to build its matching index.
        (w0, w1, w2, w3) =
            bytes.withContiguousStorageIfAvailable(Self.words) ?? Array(bytes).withUnsafeBufferPointer(Self.words)
    }

    private static func words(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64) {
        func word(_ start: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in start..<start + 8 { value = value << 8 | UInt64(bytes[index]) }
            return value
        }
        return (word(0), word(8), word(16), word(24))
    }

    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for word in [w0, w1, w2, w3] {
            for shift in stride(from: 56, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return out
    }

    public static func < (lhs: Bytes32, rhs: Bytes32) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }
}

/// The SHA-256 of an event's canonical bytes. It also names the record an event creates.
public struct EventID: Hashable, Comparable, Sendable, CustomStringConvertible {
    private let value: Bytes32

    public init(bytes: some Collection<UInt8>) {
        value = Bytes32(bytes)
    }

    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 32 else { return nil }
        value = Bytes32(bytes)
    }

    public static func of(canonicalBytes: [UInt8]) -> EventID {
        SHA256.hash(data: canonicalBytes).withUnsafeBytes { EventID(bytes: $0) }
    }

    public var bytes: [UInt8] { value.bytes }
    /// Lowercase hex, 64 characters.
    public var hex: String { Hex.encode(bytes) }
    /// The 12 characters people see.
    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }

    public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.value < rhs.value }
}

/// A node's Ed25519 public key: the origin of the events it signs.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    private let value: Bytes32

    public init(bytes: some Collection<UInt8>) {
        value = Bytes32(bytes)
    }

    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 32 else { return nil }
        value = Bytes32(bytes)
    }

    public var bytes: [UInt8] { value.bytes }
    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.value < rhs.value }
}

public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lowercase or uppercase hex of even length; nil for anything else.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
