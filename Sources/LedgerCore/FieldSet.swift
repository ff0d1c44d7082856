/// The fields of one event or record, kept in ascending tag order: the order they are
/// written in, so encoding never sorts. A set holds at most a few dozen fields, so a linear
/// search beats hashing.
public struct FieldSet: Hashable, Sendable {
    private struct Entry: Hashable, Sendable {
        let field: Field
        var value: FieldValue
    }

    private var entries: [Entry] = []

    public init() {}

    public subscript(field: Field) -> FieldValue? {
        get { entries.first { $0.field == field }?.value }
        set {
            let index = entries.firstIndex { $0.field.tag >= field.tag } ?? entries.endIndex
            let present = index < entries.endIndex && entries[index].field == field
            switch (newValue, present) {
            case (let value?, true): entries[index].value = value
            case (let value?, false): entries.insert(Entry(field: field, value: value), at: index)
            case (nil, true): entries.remove(at: index)
            case (nil, false): break
            }
        }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Fields in canonical order.
    public var sorted: [(field: Field, value: FieldValue)] {
        entries.map { ($0.field, $0.value) }
    }

    public func text(_ field: Field) -> String? {
        if case .text(let text) = self[field] { return text }
        return nil
    }

    public func date(_ field: Field) -> PartialDate? {
        if case .date(let date) = self[field] { return date }
        return nil
    }

    public func record(_ field: Field) -> EventID? {
        if case .record(let id) = self[field] { return id }
        return nil
    }

    /// The count, then each field as its tag byte and value.
    func encode(into writer: inout ByteWriter) {
        writer.uvarint(UInt64(entries.count))
        for entry in entries {
            writer.byte(entry.field.tag)
            entry.value.encode(into: &writer)
        }
    }

    /// The fields section as sync sends it: like the canonical bytes, except that each record
    /// id `shortReference` can name is written as an index instead of 32 bytes.
    public func wireBytes(shortReference: @escaping (EventID) -> UInt64?) -> [UInt8] {
        var writer = ByteWriter()
        writer.uvarint(UInt64(entries.count))
        for entry in entries {
            writer.byte(entry.field.tag)
            entry.value.encode(into: &writer, shortReference: shortReference)
        }
        return writer.bytes
    }

    /// Reads `wireBytes`, turning each index back into an id through `reference`.
    public init(wireBytes: [UInt8], reference: @escaping (UInt64) throws -> EventID) throws {
        var reader = ByteReader(wireBytes)
        self = try Self.decode(from: &reader, allowed: { _ in true }, shortReference: reference)
        guard reader.isAtEnd else { throw LedgerError(.malformedEvent, "bytes after the fields") }
    }

    /// The same bytes on their own, as the read-model table stores them.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter()
        encode(into: &writer)
        return writer.bytes
    }

    /// Reads fields written by `encode`, refusing unknown tags, tags out of order, and any
    /// field that `allowed` rejects.
    static func decode(
        from reader: inout ByteReader, allowed: (Field) -> Bool, shortReference: ((UInt64) throws -> EventID)? = nil
    ) throws -> FieldSet {
        let count = try reader.length(max: Field.all.count)
        var set = FieldSet()
        var previous: Field? = nil
        for _ in 0..<count {
            let tag = try reader.byte()
            guard let field = Field(tag: tag), allowed(field) else {
                throw LedgerError(.malformedEvent, "field tag \(tag) is not allowed here")
            }
            guard previous.map({ $0 < field }) ?? true else {
                throw LedgerError(.malformedEvent, "field tags must ascend")
            }
            previous = field
            set.entries.append(
                Entry(
                    field: field,
                    value: try FieldValue.decode(field.type, from: &reader, shortReference: shortReference)))
        }
        return set
    }

    public init(canonicalBytes: [UInt8]) throws {
        var reader = ByteReader(canonicalBytes)
        self = try Self.decode(from: &reader) { _ in true }
        guard reader.isAtEnd else { throw LedgerError(.malformedEvent, "bytes after the fields") }
    }

    /// Fields as JSON members, in canonical order.
    public var jsonMembers: [(String, JSONValue)] {
        sorted.map { ($0.field.name, $0.value.json) }
    }
}
