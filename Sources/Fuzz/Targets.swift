import LedgerCore
import LedgerSync
import Matching

#if canImport(Glibc)
    import Glibc
#endif

/// The readers of what reaches a node from outside, each run on libFuzzer's inputs: none may
/// crash or leak (AddressSanitizer), and each checks that what it reads, written again, reads
/// back the same.
enum FuzzTarget: String, CaseIterable {
    /// A sync message from a peer, as sent (deflated) and as inflated.
    case wire
    /// An event's canonical bytes, as a batch carries them.
    case event
    /// A line of an import file: JSON, then an event draft.
    case importLine = "import"
    /// Free text in the fields the matcher reads: names, marks, places, certificate serials.
    case text
    /// A node's prepared matching file (PreparedMatching), less its header and sum.
    case cache

    /// The one `REUNITE_FUZZ_TARGET` names (scripts/fuzz).
    static let chosen: FuzzTarget = {
        let name = getenv("REUNITE_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            let message = "REUNITE_FUZZ_TARGET: \"\(name)\" is not one of \(names)\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            exit(2)
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .wire: Self.wire(bytes)
        case .event: Self.event(bytes)
        case .importLine: Self.importLine(String(decoding: bytes, as: UTF8.self))
        case .text: Self.text(String(decoding: bytes, as: UTF8.self))
        case .cache: Self.cache(bytes)
        }
    }

    static func wire(_ bytes: [UInt8]) {
        _ = try? SyncMessage(decoding: bytes, resolve: holdingEverything)
        guard let message = try? SyncMessage(plain: bytes, resolve: holdingEverything) else { return }
        let written = message.plainBytes()
        guard let again = try? SyncMessage(plain: written) else {
            fatalError("a message read cannot be read again once written")
        }
        precondition(again.plainBytes() == written, "a message written twice gave two encodings")
    }

    /// A receiver that holds an event at every position, so that a batch naming events by
    /// position is read on, past its reference table, to its runs.
    static let holdingEverything: ResolveReferences = { positions in
        positions.map { position in
            var bytes = position.origin.bytes
            withUnsafeBytes(of: position.seq.bigEndian) { bytes.replaceSubrange(0..<8, with: $0) }
            return EventID(bytes: bytes)
        }
    }

    static func event(_ bytes: [UInt8]) {
        guard let event = try? Event(canonicalBytes: bytes) else { return }
        let rebuilt = Event(
            origin: event.origin, seq: event.seq, prev: event.prev, clock: event.clock, kind: event.kind,
            fields: event.fields)
        // Two byte strings for one event would be two ids for it.
        precondition(rebuilt.canonicalBytes == bytes, "bytes the encoder would not write were read as an event")
    }

    static func importLine(_ line: String) {
        guard let json = try? JSONValue(parsing: line) else { return }
        precondition((try? JSONValue(parsing: json.jsonText)) == json, "JSON written does not read back the same")
        guard let draft = try? EventDraft(importLine: json), draft.references.isEmpty, draft.changes.isEmpty,
            draft.kind.schema.allSatisfy({ !$0.required || draft.fields[$0.field] != nil })
        else { return }
        let event = Event(
            origin: NodeID(bytes: [UInt8](repeating: 0, count: 32)), seq: 1, prev: nil,
            clock: HybridTimestamp(rawValue: 0), kind: draft.kind, fields: draft.fields)
        guard let decoded = try? Event(canonicalBytes: event.canonicalBytes) else {
            fatalError("a draft that reads was encoded as bytes that do not")
        }
        precondition(decoded.fields == draft.fields, "a draft's fields changed on their way through bytes")
        // What `export` writes of the event, imported again, is the same event.
        let exported = JSONValue.object([("kind", .string(draft.kind.name))] + decoded.fields.jsonMembers)
        guard let imported = try? EventDraft(importLine: JSONValue(parsing: exported.jsonText)) else {
            fatalError("an event exported does not import")
        }
        precondition(imported.fields == draft.fields, "an event exported imports as another")
    }

    static func text(_ text: String) {
        let found = record(
            .childFound,
            [("sex", "unknown"), ("foundOn", "2015"), ("reportedBy", "y"), ("ageMonths", 30)],
            text: ["place", "name", "marks", "birthCertificate", "circumstances"], text, number: 1)
        let abductionCase = record(
            .abductionReported,
            [("sex", "male"), ("missingSince", "2013"), ("reporterRelation", "父亲")],
            text: ["place", "childName", "otherNames", "marks", "birthCertificate", "reporterName"], text, number: 2)
        let descriptions = [found, abductionCase].compactMap(ChildDescription.init(record:))
        precondition(descriptions.count == 2, "a case or a found child was not described")
        // One pair compared, with its reasons: an index of each side would cost a hundred times more.
        let comparison = CandidateIndex.compare(descriptions[1], descriptions[0], Rarity(descriptions: descriptions))
        precondition(comparison.map { !$0.score.isNaN } ?? true, "a pair scored NaN")
        _ = comparison?.reasons.map { $0.text + $0.chinese }
        for description in descriptions {
            let written = description.encoded
            guard let read = try? ChildDescription(encoded: written) else {
                fatalError("a description written cannot be read back")
            }
            precondition(read.encoded == written, "a description read back writes otherwise")
        }
        // Read where it lies in a prepared file, the case is the candidate it is in memory.
        guard let prepared = try? PreparedMatching(bytes: preparedBytes(of: descriptions)),
            let inPlace = try? prepared.candidates(
                for: descriptions[0], rarity: prepared.rarity(for: descriptions[0]), limit: 1)
        else { fatalError("a prepared file written cannot be read back") }
        let inMemory = CandidateIndex(side: .abductionCase, descriptions: descriptions).candidates(
            for: descriptions[0], rarity: Rarity(descriptions: descriptions), limit: 1)
        precondition(
            inPlace.map(\.comparison.score) == inMemory.map(\.comparison.score),
            "a prepared file read in place scored a pair otherwise")
    }

    static func cache(_ bytes: [UInt8]) {
        // Past the sums, which mutated bytes would seldom get right: the checks behind them are fuzzed.
        guard let prepared = try? PreparedMatching(bytes: bytes, verifying: false),
            let read = try? prepared.descriptions()
        else {
            return
        }
        let some = Array(read.prefix(50))
        match(some)
        for query in some.prefix(5) {
            _ = try? prepared.candidates(for: query, rarity: prepared.rarity(for: query), limit: 5)
        }
        // Brought up to date, with two records taken out and one put in again, it reads back; the
        // same held beside it answers.
        let (changed, fresh) = (Set(some.prefix(2).map(\.id)), Array(some.prefix(1)))
        if let updated = try? prepared.updated(removing: changed, adding: fresh) {
            guard (try? PreparedMatching(bytes: updated)) != nil else {
                fatalError("a prepared file brought up to date cannot be read back")
            }
        }
        if let beside = try? prepared.adding(fresh, removing: changed), let query = some.last {
            _ = try? beside.candidates(for: query, rarity: beside.rarity(for: query), limit: 5)
        }
        let written = preparedBytes(of: some)
        guard let again = try? PreparedMatching(bytes: written).descriptions() else {
            fatalError("descriptions read, written again, cannot be read")
        }
        precondition(preparedBytes(of: again) == written, "descriptions written twice gave two encodings")
    }

    /// The cache target's seeds: prepared files of a case and a found child described from
    /// sample texts, which the fuzzer changes to reach the readers (random bytes seldom make a
    /// file whose offsets hold). The other targets' seeds are files (scripts/fuzz).
    func writeSeeds(to directory: String) {
        guard self == .cache else { return }
        let texts = ["左脸有痣", "mole on the L cheek, scar R knee", "自称明明，爸爸叫王强", "Wang Ming, son of Wang Qiang"]
        for (number, text) in texts.enumerated() {
            let records = [
                Self.record(
                    .childFound, [("foundOn", "2015"), ("reportedBy", "y"), ("ageMonths", 30)],
                    text: ["place", "name", "marks"], text, number: 1),
                Self.record(
                    .abductionReported, [("sex", "male"), ("missingSince", "2013"), ("born", "2011")],
                    text: ["place", "childName", "marks", "reporterName"], text, number: 2),
            ]
            let bytes = Self.preparedBytes(of: records.compactMap(ChildDescription.init(record:)))
            guard let file = fopen("\(directory)/prepared-\(number)", "wb") else { continue }
            fwrite(bytes, 1, bytes.count, file)
            fclose(file)
        }
    }

    static func preparedBytes(of descriptions: [ChildDescription]) -> [UInt8] {
        PreparedMatching.bytes(
            rarity: Rarity(descriptions: descriptions),
            cases: CandidateIndex(side: .abductionCase, descriptions: descriptions),
            found: CandidateIndex(side: .foundChild, descriptions: descriptions))
    }

    /// Every record of one side asked for candidates of the other, with their reasons.
    static func match(_ descriptions: [ChildDescription]) {
        let rarity = Rarity(descriptions: descriptions)
        let found = CandidateIndex(side: .foundChild, descriptions: descriptions)
        let cases = CandidateIndex(side: .abductionCase, descriptions: descriptions)
        for query in descriptions {
            let index = query.side == .abductionCase ? found : cases
            for candidate in index.candidates(for: query, rarity: rarity, limit: 5) {
                precondition(!candidate.comparison.score.isNaN, "a pair scored NaN")
                _ = candidate.comparison.reasons.map { $0.text + $0.chinese }
            }
        }
    }

    /// A record with `fixed` fields and `text` in each field of `textFields` that takes it.
    static func record(
        _ kind: EventKind, _ fixed: [(String, JSONValue)], text textFields: [String], _ text: String,
        number: UInt8
    ) -> Record {
        var fields = FieldSet()
        for (name, json) in fixed + textFields.map({ ($0, JSONValue.string(text)) }) {
            guard let field = kind.field(named: name), let value = try? FieldValue(json: json, for: field) else {
                continue
            }
            fields[field] = value
        }
        return Record(
            id: EventID(bytes: [UInt8](repeating: number, count: 32)), kind: kind,
            origin: NodeID(bytes: [UInt8](repeating: 0, count: 32)), createdAt: HybridTimestamp(rawValue: 0),
            fields: fields, retracted: false, history: [])
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTarget.chosen.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
