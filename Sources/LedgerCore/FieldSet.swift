/// The fields of one event or record, written in ascending tag order.
public struct FieldSet: Hashable, Sendable {
    private var values: [Field: FieldValue] = [:]

    public init() {}

    public subscript(field: Field) -> FieldValue? {
        get { values[field] }
        set { values[field] = newValue }
    }

    public var isEmpty: Bool { values.isEmpty }

    /// Fields in canonical order.
    public var sorted: [(field: Field, value: FieldValue)] {
        values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public func text(_ field: Field) -> String? {
        if case .text(let text) = values[field] { return text }
        return nil
    }

    public func date(_ field: Field) -> PartialDate? {
        if case .date(let date) = values[field] { return date }
        return nil
    }

    public func record(_ field: Field) -> EventID? {
        if case .record(let id) = values[field] { return id }
        return nil
    }

    /// The count, then each field as its tag byte and value.
    func encode(into writer: inout ByteWriter) {
        writer.uvarint(UInt64(values.count))
        for (field, value) in sorted {
            writer.byte(field.tag)
            value.encode(into: &writer)
        }
    }

    /// The same bytes on their own, as the read-model table stores them.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter()
        encode(into: &writer)
        return writer.bytes
    }

    /// Reads fields written by `encode`, refusing unknown tags, tags out of order, and any
    /// field that `allowed` rejects.
    static func decode(from reader: inout ByteReader, allowed: (Field) -> Bool) throws -> FieldSet {
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
            set[field] = try FieldValue.decode(field.type, from: &reader)
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
