import CZlib
import LedgerCore

/// What preparing a node's records for matching gives, laid out as bytes that a later process
/// reads where they lie (NodeReading's PreparedRecords keeps them in the node's folder):
///
/// - each side's records (cases, then found children), each encoded on its own, with the
///   offset of each, so that one can be read without the others;
/// - each side's postings (`CandidateIndex`), sorted by key;
/// - the rarity counts (`Rarity`), sorted by key;
/// - the CRC-32 of its structure: every byte but the records and the places in the lists, which
///   each have their own CRC-32, in the structure, checked as they are read.
///
/// A process answering one query reads the postings its query names, decodes the records they
/// name and looks up the counts those records use: a few thousand records of a hundred
/// thousand. A process answering many reads every record and builds its indexes, as before.
/// Numbers are fixed-width little-endian, so that a key is found by halving without reading
/// the keys before it. A query so checks a few megabytes where summing the whole file, 60 MB at
/// 100,000 cases, took a fifth of a one-off query's time. Not a format another
/// implementation reads: it changes with the matcher.
public struct PreparedMatching: Sendable {
    let bytes: PreparedBytes
    private let sides: [PreparedSide]
    private let counts: [CountTable]
    private let records: Int
    private let recordsNamingAParent: Int
    /// Cases and found children made or corrected since the bytes were, as they now stand, by
    /// side as `sides`: held beside the bytes in memory (`adding`), so that a record just made or
    /// corrected is proposed and counted without the whole file being written again.
    private var recent = Self.noRecords
    /// The records of the bytes corrected or retracted since, as the bytes hold them, by side as
    /// `sides`: never proposed, nor counted (their places in `takenOutPlaces`). A corrected one
    /// is among `recent` as it now stands.
    private var takenOut = Self.noRecords
    private var takenOutPlaces: [Set<Int32>] = [[], []]
    /// What `recent` adds to the counts less what `takenOut` takes away.
    private var recentCounts = Rarity(descriptions: [])
    private static let noRecords = [
        CandidateIndex(side: .abductionCase, descriptions: []), CandidateIndex(side: .foundChild, descriptions: []),
    ]

    /// The bytes for the records of the index of each side, counted in `rarity` (all three made
    /// from the same descriptions, nothing taken out since).
    public static func bytes(rarity: Rarity, cases: CandidateIndex, found: CandidateIndex) -> [UInt8] {
        let sides = [cases, found].map { index in
            precondition(index.count == index.entries.count, "a prepared index holds every record it files")
            return (
                records: Parallel.map(index.entries) { $0.encoded }, postings: PostingKind.allCases.map(index.postings)
            )
        }
        return bytes(
            sides: sides, records: rarity.records, namingAParent: rarity.recordsNamingAParent, counts: rarity.tables)
    }

    /// The layout, whatever made its parts: each side's records encoded, postings by kind (in
    /// `PostingKind` order) and where each record lies by id, then the counts by table.
    private static func bytes(
        sides: [(records: [[UInt8]], postings: [[(key: UInt64, list: [Int32])]])], records: Int, namingAParent: Int,
        counts: [[UInt64: Int]]
    ) -> [UInt8] {
        var bytes = FixedWidth()
        for side in sides {
            bytes.int(side.records.count)
            var offset = 0
            for record in side.records {
                bytes.int(offset)
                offset += record.count
            }
            bytes.int(offset)
            for record in side.records { bytes.sum(of: record) }
            for record in side.records { bytes.contents(record) }
            for postings in side.postings { bytes.postings(postings) }
            bytes.places(of: side.records)
        }
        bytes.int(records)
        bytes.int(namingAParent)
        for table in counts { bytes.counts(table) }
        return bytes.finished()
    }

    /// The bytes `bytes(rarity:cases:found:)` would give for these records (as `adding` left
    /// them, if it did) with those `changed` taken out and `fresh` put in after the others on
    /// each side (the order of a file made anew from the records that stay, then the fresh ones),
    /// made from this file's parts: the records that stay are copied, their places in the
    /// postings moved up over those taken out, and the counts changed by what left and came. A
    /// few changes cost a copy of the file, where describing every record anew and building
    /// both indexes took most of a second at 100,000 records.
    public func updated(removing changed: Set<EventID>, adding fresh: [ChildDescription]) throws -> [UInt8] {
        let fresh = recent.flatMap(\.entries).filter { !changed.contains($0.id) } + fresh
        let changed = changed.union(takenOut.flatMap(\.entries).map(\.id))
        var change = Rarity(descriptions: [])
        var contents: [(records: [[UInt8]], postings: [[(key: UInt64, list: [Int32])]])] = []
        for side in sides {
            var place = [Int32](repeating: -1, count: side.entryCount)
            var kept: [[UInt8]] = []
            // Each record kept and each list moved is checked as it is copied: a damaged one must
            // not come back under a right sum.
            for position in 0..<side.entryCount {
                let range = try side.record(at: position)
                guard range.count >= 32 else { throw Self.damaged("a record") }
                if changed.contains(EventID(bytes: bytes[range.lowerBound..<range.lowerBound + 32])) {
                    // Its sum was checked just above.
                    change.remove(try ChildDescription(encoded: bytes[range]))
                } else {
                    place[position] = Int32(kept.count)
                    kept.append(bytes[range])
                }
            }
            let added = fresh.filter { $0.side == side.side }
            for description in added { change.add(description) }
            let addedIndex = CandidateIndex(side: side.side, descriptions: added)
            let postings = try PostingKind.allCases.map { kind in
                var lists: [UInt64: [Int32]] = [:]
                let table = side.table(kind)
                for number in 0..<table.count {
                    lists[table.key(at: number, in: bytes)] = try table.list(at: number, side).compactMap {
                        $0 >= 0 && Int($0) < place.count && place[Int($0)] >= 0 ? place[Int($0)] : nil
                    }
                }
                for (key, list) in addedIndex.postings(kind) {
                    lists[key, default: []] += list.map { $0 + Int32(kept.count) }
                }
                // An index built anew files no empty list, but for these two, which it writes whole.
                let whole = kind == .untyped || kind == .birthUnknown
                return lists.filter { whole || !$0.value.isEmpty }.map { (key: $0.key, list: $0.value) }
            }
            contents.append((kept + added.map(\.encoded), postings))
        }
        let tables = zip(counts, change.tables).map { table, change in
            var counted: [UInt64: Int] = [:]
            for number in 0..<table.count {
                let (key, count) = table.entry(at: number, in: bytes)
                counted[key] = count
            }
            counted.merge(change, uniquingKeysWith: +)
            return counted
        }
        let (counted, namingAParent) = (records + change.records, recordsNamingAParent + change.recordsNamingAParent)
        // Fewer records than were taken out: the file did not hold what it says.
        guard counted >= 0, namingAParent >= 0, namingAParent <= counted else { throw Self.damaged("the counts") }
        return Self.bytes(sides: contents, records: counted, namingAParent: namingAParent, counts: tables)
    }

    /// Finds the parts of what `bytes(rarity:cases:found:)` wrote.
    public init(bytes: [UInt8], verifying: Bool = true) throws {
        try self.init(bytes: PreparedBytes(bytes), verifying: verifying)
    }

    /// The same, from `start` of `bytes` (a file's header before it is not copied away), checking
    /// the sum of the structure and that every offset and list lies within the bytes. A record or
    /// a list is checked against its own sum when it is read. `verifying` is false only where
    /// bytes are damaged on purpose past their sums: the fuzzer, and tests of the checks behind.
    public init(bytes: PreparedBytes, from start: Int = 0, verifying: Bool = true) throws {
        guard start >= 0, bytes.count - start >= 4 else { throw Self.damaged("the end") }
        // The structure's sum is the last four bytes.
        var reader = FixedWidthReader(bytes: bytes, offset: start, end: bytes.count - 4)
        var sides: [PreparedSide] = []
        for side in [ChildDescription.Side.abductionCase, .foundChild] {
            let count = try reader.count(max: bytes.count)
            let offsets = try reader.skip(words: count + 1)
            let length = reader.word(offsets + 8 * count)
            var previous = 0
            for position in 0...count {
                let offset = reader.word(offsets + 8 * position)
                guard offset >= previous, offset <= length else { throw Self.damaged("a record's offset") }
                previous = offset
            }
            let sums = try reader.skip(sums: count)
            let records = try reader.contents(length)
            let tables = try PostingKind.allCases.map { _ in try reader.postingTable() }
            let placesSum = try reader.skip(sums: 1)
            let places = try reader.contents(PreparedSide.placeWidth * count)
            sides.append(
                PreparedSide(
                    bytes: bytes, verifying: verifying, side: side, entryCount: count, offsets: offsets, sums: sums,
                    records: records, tables: tables, places: places, placesSum: placesSum))
        }
        records = try reader.count(max: Int(Int32.max))
        recordsNamingAParent = try reader.count(max: records)
        counts = try (0..<4).map { _ in try reader.countTable() }
        guard reader.offset == reader.end else { throw Self.damaged("the end") }
        guard !verifying || reader.structureSum == reader.sum(at: reader.end) else {
            throw Self.damaged("the structure (its sum is wrong)")
        }
        self.bytes = bytes
        self.sides = sides
    }

    /// zlib's CRC-32 of `bytes`, going on from `sum`.
    public static func crc32(_ bytes: UnsafeRawBufferPointer, after sum: UInt32 = 0) -> UInt32 {
        UInt32(CZlib.crc32_z(UInt(sum), bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count))
    }

    static func damaged(_ part: String) -> LedgerError {
        LedgerError(.malformedEvent, "prepared records: \(part) is out of place")
    }

    /// These bytes with the records `changed` names taken out and `fresh` put beside them (the
    /// records made or corrected since, as they now stand): every query is answered as from the
    /// bytes `updated` would make, without making them. The records taken out are found by id
    /// and read, to be counted out.
    public func adding(_ fresh: [ChildDescription], removing changed: Set<EventID> = []) throws -> PreparedMatching {
        var prepared = self
        let all = recent.flatMap(\.entries).filter { !changed.contains($0.id) } + fresh
        prepared.recent = sides.map { CandidateIndex(side: $0.side, descriptions: all) }
        let ids = Array(changed)
        for (number, side) in sides.enumerated() {
            var places = takenOutPlaces[number]
            var descriptions = takenOut[number].entries
            for case let place? in try side.places(of: ids) where places.insert(place).inserted {
                descriptions.append(try side.description(at: Int(place)))
            }
            prepared.takenOutPlaces[number] = places
            prepared.takenOut[number] = CandidateIndex(side: side.side, descriptions: descriptions)
        }
        prepared.recentCounts = Rarity(descriptions: all)
        for description in prepared.takenOut.flatMap(\.entries) { prepared.recentCounts.remove(description) }
        return prepared
    }

    /// Every record, both sides, read on every core, with those recorded since beside.
    public func descriptions() throws -> [ChildDescription] {
        try sides.indices.flatMap { number in
            let side = sides[number]
            let standing = (0..<side.entryCount).filter { !takenOutPlaces[number].contains(Int32($0)) }
            return try Parallel.map(standing) { position in Result { try side.description(at: position) } }
                .map { try $0.get() } + recent[number].entries
        }
    }

    /// The counts comparing `query` with any record asks for.
    public func rarity(for query: ChildDescription) -> Rarity {
        let recentTables = recentCounts.tables
        return Rarity(
            records: records + recentCounts.records,
            recordsNamingAParent: recordsNamingAParent + recentCounts.recordsNamingAParent, query: query
        ) { table, key in
            counts[table].count(of: key, in: bytes) + (recentTables[table][key] ?? 0)
        }
    }

    /// The records of `side` that stand: the file's but those taken out, then those since.
    func standing(_ side: ChildDescription.Side) -> PreparedAndRecent {
        let number = side == .abductionCase ? 0 : 1
        return PreparedAndRecent(
            file: sides[number], recent: recent[number], takenOut: takenOut[number],
            takenOutPlaces: takenOutPlaces[number])
    }

    /// The best `limit` candidates for `query` among the records of the other side, as the index
    /// of every record gives them (`CandidateIndex.candidates`), but for records in `excluded`.
    /// Each record its postings choose is read, scored and let go in turn, a stretch on each core:
    /// a query holds a few records at a time, not the tens of thousands it may score, whose
    /// memory, new to the process, took a sixth of its time to be given pages.
    public func candidates(for query: ChildDescription, rarity: Rarity, limit: Int, excluded: Set<EventID> = [])
        throws -> [Candidate]
    {
        let side = standing(query.side == .abductionCase ? .foundChild : .abductionCase)
        let plausible = try CandidateIndex.plausible(for: query, in: side)
        // Records the query rules out are never decoded past their front: by their dates, sex or
        // blood group (half of those the postings choose for a found child, as a rule, went
        // missing after it was found; lists by name or mark hold either sex), or by DNA (for a
        // query with DNA, most of those its alleles choose).
        let foundSide = query.side == .foundChild
        @Sendable func read(_ position: Int32) throws -> ChildDescription? {
            let file = side.file
            guard Int(position) < file.entryCount else { return side.recent.entries[Int(position) - file.entryCount] }
            return try ChildDescription.decoded(
                file.bytes[try file.record(at: Int(position))],
                unless: { outline in
                    foundSide
                        ? Matcher.rulesOut(abductionCase: outline, found: query.outline)
                        : Matcher.rulesOut(abductionCase: query.outline, found: outline)
                },
                or: { profiles in
                    foundSide
                        ? Matcher.dnaExcludes(child: query.childDNA, mother: profiles.mother, father: profiles.father)
                        : Matcher.dnaExcludes(child: profiles.child, mother: query.motherDNA, father: query.fatherDNA)
                })
        }
        let stretch = 512
        let starts = Array(stride(from: 0, to: plausible.count, by: stretch))
        let stretches = Parallel.map(starts, chunkSize: 1) { start in
            Result {
                var scores = CandidateIndex.Scores()
                for position in plausible[start..<min(start + stretch, plausible.count)] {
                    guard let entry = try read(position) else { continue }
                    scores.score(entry, against: query, rarity: rarity, limit: limit, excluded: excluded)
                }
                return scores
            }
        }
        var scores = CandidateIndex.Scores()
        for stretch in stretches { scores.merge(try stretch.get(), limit: limit) }
        return CandidateIndex.explained(scores, for: query, rarity: rarity, among: side.standing)
    }
}

/// The lists of a `CandidateIndex`, as a prepared file keeps them.
enum PostingKind: CaseIterable {
    case bornInMonth, birthUnknown, nameSound, mark, allele, untyped
}

extension CandidateIndex {
    /// One kind of list, by key as the file keeps it: signed keys by their bit pattern, a mark by
    /// `Rarity.Counted.table`'s key.
    func postings(_ kind: PostingKind) -> [(key: UInt64, list: [Int32])] {
        switch kind {
        case .bornInMonth: birthMonthKeys.map { (UInt64(bitPattern: Int64($0)), born(inMonth: $0)) }
        case .birthUnknown: [(0, birthUnknown)]
        case .nameSound: nameSoundCodes.map { ($0, sharing(nameSound: $0)) }
        case .mark: markKeys.map { (Rarity.Counted.mark($0).table.key, sharing(mark: $0)) }
        case .allele:
            (0..<GenotypeTable.slotCount * Self.alleleValues).compactMap { key in
                count(having: key) == 0 ? nil : (UInt64(key), having(key))
            }
        case .untyped: (0..<GenotypeTable.slotCount).map { (UInt64($0), untyped(at: $0)) }
        }
    }
}

/// One side of a prepared file, less the records changed since, with the records of that side
/// made or corrected since after its own: the postings of a file made anew from them
/// (`PreparedMatching.updated`), so that a query chooses the records it would choose there, in
/// the same order.
struct PreparedAndRecent: Postings {
    let file: PreparedSide
    let recent: CandidateIndex
    /// The records of the file changed since, as it holds them, and their places in it.
    let takenOut: CandidateIndex
    let takenOutPlaces: Set<Int32>

    /// The places a list can name: the file's records, then those since.
    var entryCount: Int { file.entryCount + recent.entryCount }
    /// The records that stand.
    var standing: Int { entryCount - takenOutPlaces.count }

    /// A list of the file's, less the records taken out, and the same list of the records since,
    /// at their places after.
    private func joined(_ inFile: [Int32], _ ofRecent: [Int32]) -> [Int32] {
        let standing = takenOutPlaces.isEmpty ? inFile : inFile.filter { !takenOutPlaces.contains($0) }
        return ofRecent.isEmpty ? standing : standing + ofRecent.map { $0 + Int32(file.entryCount) }
    }

    func born(inMonth key: Int) throws(LedgerError) -> [Int32] {
        joined(try file.born(inMonth: key), recent.born(inMonth: key))
    }
    var birthMonthKeys: [Int] {
        recent.entryCount == 0 ? file.birthMonthKeys : Array(Set(file.birthMonthKeys + recent.birthMonthKeys))
    }
    var birthUnknown: [Int32] {
        get throws(LedgerError) { joined(try file.birthUnknown, recent.birthUnknown) }
    }
    func sharing(nameSound code: UInt64) throws(LedgerError) -> [Int32] {
        joined(try file.sharing(nameSound: code), recent.sharing(nameSound: code))
    }
    func sharing(mark key: Rarity.MarkKey) throws(LedgerError) -> [Int32] {
        joined(try file.sharing(mark: key), recent.sharing(mark: key))
    }
    func having(_ alleleKey: Int) throws(LedgerError) -> [Int32] {
        joined(try file.having(alleleKey), recent.having(alleleKey))
    }
    func count(having alleleKey: Int) -> Int {
        file.count(having: alleleKey) - takenOut.count(having: alleleKey) + recent.count(having: alleleKey)
    }
    func untyped(at slot: Int) throws(LedgerError) -> [Int32] {
        joined(try file.untyped(at: slot), recent.untyped(at: slot))
    }
}

/// One side of a prepared file, read where it lies.
struct PreparedSide: Postings, Sendable {
    let bytes: PreparedBytes
    let verifying: Bool
    let side: ChildDescription.Side
    let entryCount: Int
    /// Where the offsets, the records' sums and the records begin.
    let offsets: Int
    let sums: Int
    let records: Int
    let tables: [PostingTable]
    /// Where the table of places by id begins (`placeWidth` bytes a record, sorted by key), and
    /// its sum.
    let places: Int
    let placesSum: Int

    /// Where the record at `position` lies (its offsets were checked when the file was opened),
    /// once its bytes are found to be the ones summed.
    func record(at position: Int) throws(LedgerError) -> Range<Int> {
        let reader = FixedWidthReader(bytes: bytes, end: bytes.count)
        let range = records + reader.word(offsets + 8 * position)..<records + reader.word(offsets + 8 * (position + 1))
        try check(range, against: sums + 4 * position, "a record")
        return range
    }

    func description(at position: Int) throws -> ChildDescription {
        try ChildDescription(encoded: bytes[record(at: position)])
    }

    /// A record's key in the table of places: its id's first eight bytes as a little-endian number.
    static func key(of record: some Collection<UInt8>) -> UInt64 {
        record.prefix(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
    /// A key and a place.
    static let placeWidth = 12

    /// Where each of the records `ids` names lies among the side's records, nil for one it does
    /// not hold. Read only to find the records changed since the file was made: its sum is
    /// checked here, not when the file is opened.
    func places(of ids: [EventID]) throws(LedgerError) -> [Int32?] {
        guard !ids.isEmpty else { return [] }
        try check(places..<places + Self.placeWidth * entryCount, against: placesSum, "the table of places")
        let reader = FixedWidthReader(bytes: bytes, end: bytes.count)
        func key(_ number: Int) -> UInt64 { reader.key(places + Self.placeWidth * number) }
        func place(_ number: Int) -> Int32 {
            Int32(
                littleEndian: bytes.raw.loadUnaligned(
                    fromByteOffset: places + Self.placeWidth * number + 8, as: Int32.self))
        }
        var found: [Int32?] = []
        for id in ids {
            let wanted = id.bytes
            let wantedKey = Self.key(of: wanted)
            let first = reader.find(wantedKey, among: places, count: entryCount, width: Self.placeWidth) ?? entryCount
            var match: Int32?
            for number in first..<entryCount where match == nil {
                guard key(number) == wantedKey else { break }
                let candidate = place(number)
                guard candidate >= 0, Int(candidate) < entryCount else { throw PreparedMatching.damaged("a place") }
                let range = try record(at: Int(candidate))
                if range.count >= 32, bytes[range.lowerBound..<range.lowerBound + 32] == wanted { match = candidate }
            }
            found.append(match)
        }
        return found
    }

    /// Throws unless the bytes in `range` have the sum at `sum`.
    func check(_ range: Range<Int>, against sum: Int, _ part: String) throws(LedgerError) {
        let reader = FixedWidthReader(bytes: bytes, end: bytes.count)
        guard
            !verifying
                || PreparedMatching.crc32(UnsafeRawBufferPointer(rebasing: bytes.raw[range])) == reader.sum(at: sum)
        else { throw PreparedMatching.damaged("\(part) (its sum is wrong)") }
    }

    func table(_ kind: PostingKind) -> PostingTable { tables[PostingKind.allCases.firstIndex(of: kind)!] }

    /// A list, its places checked to lie among the side's records (a damaged file's would not).
    private func list(_ kind: PostingKind, _ key: UInt64) throws(LedgerError) -> [Int32] {
        let table = table(kind)
        guard let number = table.find(key, in: bytes) else { return [] }
        return try table.list(at: number, self).filter { $0 >= 0 && Int($0) < entryCount }
    }

    func born(inMonth key: Int) throws(LedgerError) -> [Int32] {
        try list(.bornInMonth, UInt64(bitPattern: Int64(key)))
    }
    var birthMonthKeys: [Int] {
        table(.bornInMonth).keys(in: bytes).map { Int(Int64(bitPattern: $0)) }
    }
    var birthUnknown: [Int32] {
        get throws(LedgerError) { try list(.birthUnknown, 0) }
    }
    func sharing(nameSound code: UInt64) throws(LedgerError) -> [Int32] { try list(.nameSound, code) }
    func sharing(mark key: Rarity.MarkKey) throws(LedgerError) -> [Int32] {
        try list(.mark, Rarity.Counted.mark(key).table.key)
    }
    func having(_ alleleKey: Int) throws(LedgerError) -> [Int32] { try list(.allele, UInt64(alleleKey)) }
    func count(having alleleKey: Int) -> Int {
        table(.allele).length(of: UInt64(alleleKey), in: bytes)
    }
    func untyped(at slot: Int) throws(LedgerError) -> [Int32] { try list(.untyped, UInt64(slot)) }
}

/// Sorted keys, each with a list of places: `count` keys, then `count + 1` starts into the
/// values, then each list's sum, then the values.
struct PostingTable: Sendable {
    let count: Int
    let keys: Int
    let starts: Int
    let sums: Int
    let values: Int

    func keys(in bytes: PreparedBytes) -> [UInt64] {
        let reader = FixedWidthReader(bytes: bytes, end: bytes.count)
        return (0..<count).map { reader.key(keys + 8 * $0) }
    }

    /// The number of `key` among the keys.
    func find(_ key: UInt64, in bytes: PreparedBytes) -> Int? {
        FixedWidthReader(bytes: bytes, end: bytes.count).find(key, among: keys, count: count)
    }

    func key(at number: Int, in bytes: PreparedBytes) -> UInt64 {
        FixedWidthReader(bytes: bytes, end: bytes.count).key(keys + 8 * number)
    }

    /// The list of the key at `number` among the keys, once found to be the one summed.
    func list(at number: Int, _ side: PreparedSide) throws(LedgerError) -> [Int32] {
        let bytes = side.bytes
        let reader = FixedWidthReader(bytes: bytes, end: bytes.count)
        let (start, end) = (reader.word(starts + 8 * number), reader.word(starts + 8 * number + 8))
        try side.check(values + 4 * start..<values + 4 * end, against: sums + 4 * number, "a list")
        return (start..<end).map {
            Int32(littleEndian: bytes.raw.loadUnaligned(fromByteOffset: values + 4 * $0, as: Int32.self))
        }
    }

    func length(of key: UInt64, in bytes: PreparedBytes) -> Int {
        let reader = FixedWidthReader(bytes: bytes, end: bytes.count)
        guard let found = reader.find(key, among: keys, count: count) else { return 0 }
        return reader.word(starts + 8 * found + 8) - reader.word(starts + 8 * found)
    }
}

/// Sorted keys, each with a count.
struct CountTable: Sendable {
    let count: Int
    let keys: Int
    let values: Int

    func count(of key: UInt64, in bytes: PreparedBytes) -> Int {
        let reader = FixedWidthReader(bytes: bytes, end: bytes.count)
        return reader.find(key, among: keys, count: count).map { reader.word(values + 8 * $0) } ?? 0
    }

    func entry(at number: Int, in bytes: PreparedBytes) -> (key: UInt64, count: Int) {
        let reader = FixedWidthReader(bytes: bytes, end: bytes.count)
        return (reader.key(keys + 8 * number), reader.word(values + 8 * number))
    }
}

/// Writes fixed-width little-endian numbers, summing all it writes but the contents, which are
/// summed one by one.
struct FixedWidth {
    private var bytes: [UInt8] = []
    /// The CRC-32 of the structure up to `summedTo`.
    private var structureSum: UInt32 = 0
    private var summedTo = 0

    mutating func int(_ value: Int) { word(UInt64(bitPattern: Int64(value))) }

    mutating func word(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func sum(of contents: [UInt8]) {
        let sum = contents.withUnsafeBytes { PreparedMatching.crc32($0) }
        withUnsafeBytes(of: sum.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A record, or the places in lists: not part of the structure's sum.
    mutating func contents(_ value: [UInt8]) {
        sumStructure()
        bytes.append(contentsOf: value)
        summedTo = bytes.count
    }

    private mutating func sumStructure() {
        structureSum = bytes.withUnsafeBytes {
            PreparedMatching.crc32(UnsafeRawBufferPointer(rebasing: $0[summedTo...]), after: structureSum)
        }
        summedTo = bytes.count
    }

    /// The bytes, with the structure's sum at the end.
    mutating func finished() -> [UInt8] {
        sumStructure()
        withUnsafeBytes(of: structureSum.littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    mutating func postings(_ lists: [(key: UInt64, list: [Int32])]) {
        let sorted = lists.sorted { $0.key < $1.key }
        int(sorted.count)
        for (key, _) in sorted { word(key) }
        var start = 0
        for (_, list) in sorted {
            int(start)
            start += list.count
        }
        int(start)
        let lists = sorted.map { $0.list.map(\.littleEndian).withUnsafeBytes { Array($0) } }
        for list in lists { sum(of: list) }
        contents(Array(lists.joined()))
    }

    /// Where each of `records` lies, by the first eight bytes of its id (its first bytes), sorted
    /// by key: one part summed on its own (`PreparedSide.places(of:)`).
    mutating func places(of records: [[UInt8]]) {
        let sorted = records.indices.map { (key: PreparedSide.key(of: records[$0]), place: Int32($0)) }.sorted {
            ($0.key, $0.place) < ($1.key, $1.place)
        }
        var table: [UInt8] = []
        table.reserveCapacity(PreparedSide.placeWidth * sorted.count)
        for (key, place) in sorted {
            withUnsafeBytes(of: key.littleEndian) { table.append(contentsOf: $0) }
            withUnsafeBytes(of: place.littleEndian) { table.append(contentsOf: $0) }
        }
        sum(of: table)
        contents(table)
    }

    mutating func counts(_ table: [UInt64: Int]) {
        let sorted = table.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        int(sorted.count)
        for (key, _) in sorted { word(key) }
        for (_, count) in sorted { int(count) }
    }
}

/// Reads what `FixedWidth` wrote, checking as it goes that each part lies within the bytes, and
/// summing the structure it reads.
struct FixedWidthReader {
    let bytes: PreparedBytes
    var offset = 0
    /// Where what it reads ends.
    var end: Int
    private(set) var structureSum: UInt32 = 0

    /// The number at `position`, known to lie within the bytes.
    func word(_ position: Int) -> Int {
        Int(Int64(littleEndian: bytes.raw.loadUnaligned(fromByteOffset: position, as: Int64.self)))
    }

    /// The key at `position`: all 64 bits, where `word` gives a signed number.
    func key(_ position: Int) -> UInt64 { UInt64(bitPattern: Int64(word(position))) }

    /// The sum at `position`, known to lie within the bytes.
    func sum(at position: Int) -> UInt32 {
        UInt32(littleEndian: bytes.raw.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    /// A count of at most `max`, read next.
    mutating func count(max: Int) throws -> Int {
        let start = try skip(words: 1)
        let value = word(start)
        guard value >= 0, value <= max else { throw PreparedMatching.damaged("a count") }
        return value
    }

    /// Passes over `words` numbers, giving where they begin.
    mutating func skip(words: Int) throws -> Int { try structure(8 * words) }

    /// Passes over `count` sums.
    mutating func skip(sums count: Int) throws -> Int { try structure(4 * count) }

    /// Passes over `length` bytes of the structure, summing them.
    private mutating func structure(_ length: Int) throws -> Int {
        let start = try contents(length)
        structureSum = PreparedMatching.crc32(
            UnsafeRawBufferPointer(rebasing: bytes.raw[start..<offset]), after: structureSum)
        return start
    }

    /// Passes over `length` bytes of records or places in lists, summed on their own.
    mutating func contents(_ length: Int) throws -> Int {
        guard length >= 0, length <= end - offset else { throw PreparedMatching.damaged("a part") }
        defer { offset += length }
        return offset
    }

    /// A posting table whose lists lie within the bytes. (Each place in them is checked as a
    /// list is read: checked here, the millions of places took longer than a query.)
    mutating func postingTable() throws -> PostingTable {
        let count = try self.count(max: bytes.count / 8)
        let keys = try skip(words: count)
        let starts = try skip(words: count + 1)
        var previous = 0
        for position in 0...count {
            let start = word(starts + 8 * position)
            guard start >= previous, start <= bytes.count / 4 else { throw PreparedMatching.damaged("a posting") }
            previous = start
        }
        let sums = try skip(sums: count)
        let values = try contents(4 * previous)
        return PostingTable(count: count, keys: keys, starts: starts, sums: sums, values: values)
    }

    mutating func countTable() throws -> CountTable {
        let count = try self.count(max: bytes.count / 16)
        return CountTable(count: count, keys: try skip(words: count), values: try skip(words: count))
    }

    /// The place of `key` among `count` sorted keys beginning at `keys`, `width` bytes apart, by
    /// halving: the first, if there are several.
    func find(_ key: UInt64, among keys: Int, count: Int, width: Int = 8) -> Int? {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self.key(keys + width * middle) < key { low = middle + 1 } else { high = middle }
        }
        return low < count && self.key(keys + width * low) == key ? low : nil
    }
}

/// The bytes a prepared file's parts are read from where they lie: a copy in memory, or a file
/// mapped into memory (NodeReading), released when the last reader is done.
public final class PreparedBytes: @unchecked Sendable {
    // Read-only once made, so shared between threads freely.
    public let raw: UnsafeRawBufferPointer
    private let release: () -> Void

    /// Bytes at `raw`, valid until `release` is called (when this is freed).
    public init(raw: UnsafeRawBufferPointer, release: @escaping () -> Void) {
        self.raw = raw
        self.release = release
    }

    public convenience init(_ bytes: [UInt8]) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
        copy.copyBytes(from: bytes)
        self.init(raw: UnsafeRawBufferPointer(copy)) { copy.deallocate() }
    }

    deinit { release() }

    public var count: Int { raw.count }

    subscript(range: Range<Int>) -> [UInt8] { Array(UnsafeRawBufferPointer(rebasing: raw[range])) }
}
