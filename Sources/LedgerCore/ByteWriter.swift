/// Builds canonical bytes: fixed-width integers big-endian, variable ones as unsigned LEB128.
/// See Protocol/EVENTS.md, "Primitives".
public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    public mutating func raw(_ value: some Collection<UInt8>) {
        bytes.append(contentsOf: value)
    }

    public mutating func uvarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Signed values as zigzag then LEB128, so small magnitudes stay short either side of zero.
    public mutating func svarint(_ value: Int64) {
        uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func uint16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    public mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    public mutating func text(_ value: String) {
        let utf8 = Array(value.utf8)
        uvarint(UInt64(utf8.count))
        raw(utf8)
    }
}

/// Reads canonical bytes and refuses anything that is not the one canonical form:
/// over-long varints, truncation, invalid UTF-8.
public struct ByteReader {
    private let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var isAtEnd: Bool { offset == bytes.count }

    private func malformed(_ why: String) -> LedgerError {
        LedgerError(.malformedEvent, "\(why) at byte \(offset)")
    }

    public mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw malformed("unexpected end") }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func raw(_ count: Int) throws -> [UInt8] {
        Array(try slice(count))
    }

    /// The next `count` bytes, without copying them.
    public mutating func slice(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - offset >= count else { throw malformed("unexpected end") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    public mutating func uvarint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            if shift == 63 && next > 1 { throw malformed("varint overflows 64 bits") }
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 {
                if next == 0 && shift > 0 { throw malformed("varint is not minimal") }
                return value
            }
            shift += 7
        }
    }

    public mutating func svarint() throws -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    public mutating func uint16() throws -> UInt16 {
        let high = try byte()
        let low = try byte()
        return UInt16(high) << 8 | UInt16(low)
    }

    public mutating func uint64() throws -> UInt64 {
        // Checked once, not byte by byte: a prepared matching file reads millions of codes.
        guard bytes.count - offset >= 8 else { throw malformed("unexpected end") }
        var value: UInt64 = 0
        for index in offset..<offset + 8 { value = value << 8 | UInt64(bytes[index]) }
        offset += 8
        return value
    }

    public mutating func length(max: Int) throws -> Int {
        let count = try uvarint()
        guard count <= UInt64(max) else { throw malformed("length \(count) exceeds \(max)") }
        return Int(count)
    }

    public mutating func text(maxBytes: Int) throws -> String {
        let utf8 = try slice(length(max: maxBytes))
        guard let text = String(validating: utf8, as: UTF8.self) else { throw malformed("invalid UTF-8") }
        return text
    }
}
