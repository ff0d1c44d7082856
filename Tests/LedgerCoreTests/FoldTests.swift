import LedgerCore
import Testing

/// A random ledger from three nodes: cases, found children, match decisions, reunions,
/// corrections and retractions, with no regard for the rules (a fold must take whatever
/// peers send).
func randomLedger(seed: UInt64, events count: Int) -> [Event] {
    var rng = SeededGenerator(seed: seed)
    let keys = (0..<3).map { n in try! NodeKey(seed: [UInt8](repeating: UInt8(n + 1), count: 32)) }
    var heads: [(seq: UInt64, prev: EventID?)] = Array(repeating: (0, nil), count: 3)
    var cases: [EventID] = []
    var found: [EventID] = []
    var records: [EventID] = []
    var events: [Event] = []
    let places = ["成都", "深圳", "Kunming", "广州市天河区"]
    for _ in 0..<count {
        let node = Int.random(in: 0..<3, using: &rng)
        var fields = FieldSet()
        let kind: EventKind
        switch Int.random(in: 0..<10, using: &rng) {
        case 0...2 where true:
            kind = .abductionReported
            fields[.sex] = .sex(Bool.random(using: &rng) ? .male : .female)
            fields[.missingSince] = .date(try! PartialDate(year: Int.random(in: 2000...2020, using: &rng)))
            fields[.place] = .text(places.randomElement(using: &rng)!)
            fields[.reporterName] = .text("王\(Int.random(in: 0..<100, using: &rng))")
        case 3...4:
            kind = .childFound
            fields[.sex] = .sex(.unknown)
            fields[.foundOn] = .date(try! PartialDate(year: 2021, month: Int.random(in: 1...12, using: &rng)))
            fields[.place] = .text(places.randomElement(using: &rng)!)
            fields[.reportedBy] = .text("shelter")
        case 5...6 where !cases.isEmpty && !found.isEmpty:
            kind = Bool.random(using: &rng) ? .identityMatched : .matchRejected
            fields[.caseId] = .record(cases.randomElement(using: &rng)!)
            fields[.foundId] = .record(found.randomElement(using: &rng)!)
            fields[.decidedBy] = .text("volunteer")
        case 7 where !cases.isEmpty && !found.isEmpty:
            kind = .reunited
            fields[.caseId] = .record(cases.randomElement(using: &rng)!)
            fields[.foundId] = .record(found.randomElement(using: &rng)!)
            fields[.on] = .date(try! PartialDate(year: 2022))
        case 8 where !records.isEmpty:
            kind = .corrected
            fields[.target] = .record(records.randomElement(using: &rng)!)
            fields[.changes] = .changes([
                FieldChange(field: .place, value: .text(places.randomElement(using: &rng)!)),
                FieldChange(field: .marks, value: Bool.random(using: &rng) ? nil : .text("左脸有痣")),
            ])
            fields[.reason] = .text("typo")
        case 9 where !records.isEmpty:
            kind = .retracted
            fields[.target] = .record(records.randomElement(using: &rng)!)
            fields[.reason] = .text("entered twice")
        default:
            kind = .sightingReported
            fields[.seenOn] = .date(try! PartialDate(year: 2023))
            fields[.description] = .text("listing")
        }
        let (seq, prev) = heads[node]
        // Clocks collide across nodes on purpose: ties must be broken by id, not by arrival.
        let clock = HybridTimestamp(
            milliseconds: 1_700_000_000_000 + UInt64(Int.random(in: 0..<50, using: &rng)), counter: 0)
        let event = Event(origin: keys[node].nodeID, seq: seq + 1, prev: prev, clock: clock, kind: kind, fields: fields)
        heads[node] = (seq + 1, event.id)
        events.append(event)
        if kind == .abductionReported { cases.append(event.id) }
        if kind == .childFound { found.append(event.id) }
        if kind.createsRecord { records.append(event.id) }
    }
    return events
}

@Suite struct FoldTests {
    @Test func foldingTheSameEventsInAHundredOrdersGivesOneDigest() {
        let events = randomLedger(seed: 42, events: 400)
        let (records, waiting) = Fold.records(from: events)
        let expected = ReadModelDigest.digest(records: records.values, waiting: waiting)
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<100 {
            let (shuffled, shuffledWaiting) = Fold.records(from: events.shuffled(using: &rng))
            #expect(ReadModelDigest.digest(records: shuffled.values, waiting: shuffledWaiting) == expected)
        }
    }

    @Test func theDigestChangesWhenOneEventIsMissing() {
        let events = randomLedger(seed: 43, events: 200)
        let full = Fold.records(from: events)
        let fullDigest = ReadModelDigest.digest(records: full.records.values, waiting: full.waiting)
        for dropped in [0, 57, 199] {
            var fewer = events
            fewer.remove(at: dropped)
            let partial = Fold.records(from: fewer)
            #expect(ReadModelDigest.digest(records: partial.records.values, waiting: partial.waiting) != fullDigest)
        }
    }

    @Test func anAmendmentWhoseRecordHasNotArrivedWaits() {
        let events = randomLedger(seed: 44, events: 300)
        guard let correction = events.first(where: { $0.kind == .corrected }) else {
            Issue.record("the random ledger has no correction")
            return
        }
        let withoutTarget = events.filter { $0.id != correction.record }
        #expect(Fold.records(from: withoutTarget).waiting.contains(correction.id))
    }

    @Test func laterCorrectionWinsAndTheOriginalStaysInTheHistory() throws {
        var ledger = MemoryLedger()
        let caseID = try ledger.append(
            .abductionReported,
            [("sex", "female"), ("missingSince", "2011-08"), ("place", "昆明"), ("reporterName", "母亲"), ("born", "2008")])
        try ledger.append(
            .corrected,
            [("target", .string(caseID.hex)), ("changes", .object([("born", "2007-12")])), ("reason", "户口本")])
        try ledger.append(
            .corrected,
            [("target", .string(caseID.hex)), ("changes", .object([("born", "2007-11")])), ("reason", "出生证")])
        let record = try #require(ledger.records[caseID])
        #expect(record.fields.date(.born)?.description == "2007-11")
        #expect(record.history.count == 3)
        #expect(ledger.events[0].fields.date(.born)?.description == "2008")
    }
}

@Suite struct StatusTests {
    /// A case and a found child, plus what the members say about them.
    private func ledger() throws -> (MemoryLedger, EventID, EventID) {
        var ledger = MemoryLedger()
        let caseID = try ledger.append(
            .abductionReported, [("sex", "male"), ("missingSince", "2012-03"), ("place", "成都"), ("reporterName", "李")])
        let foundID = try ledger.append(
            .childFound, [("sex", "male"), ("foundOn", "2013"), ("place", "深圳"), ("reportedBy", "医院")])
        return (ledger, caseID, foundID)
    }

    private func status(_ ledger: MemoryLedger, _ id: EventID) -> RecordStatus {
        let records = ledger.records
        return StatusBoard(records: records.values).status(of: records[id]!)
    }

    @Test func aConfirmedMatchMakesBothSidesMatchedAndAReunionReunited() throws {
        var (ledger, caseID, foundID) = try ledger()
        #expect(status(ledger, caseID) == .open)
        let match = try ledger.append(
            .identityMatched, [("caseId", .string(caseID.hex)), ("foundId", .string(foundID.hex)), ("decidedBy", "x")])
        #expect(status(ledger, caseID) == .matched)
        #expect(status(ledger, foundID) == .matched)
        #expect(status(ledger, match) == .confirmed)
        try ledger.append(
            .reunited, [("caseId", .string(caseID.hex)), ("foundId", .string(foundID.hex)), ("on", "2014")])
        #expect(status(ledger, caseID) == .reunited)
    }

    @Test func aConfirmationAndARejectionOfOnePairAreDisputedNotResolved() throws {
        var (ledger, caseID, foundID) = try ledger()
        let pair: [(String, JSONValue)] = [
            ("caseId", .string(caseID.hex)), ("foundId", .string(foundID.hex)), ("decidedBy", "x"),
        ]
        let confirmed = try ledger.append(.identityMatched, pair)
        let rejected = try ledger.append(.matchRejected, pair)
        for id in [caseID, foundID, confirmed, rejected] { #expect(status(ledger, id) == .disputed) }
        try ledger.append(.retracted, [("target", .string(rejected.hex)), ("reason", "wrong pair")])
        #expect(status(ledger, confirmed) == .confirmed)
        #expect(status(ledger, caseID) == .matched)
    }

    @Test func oneFoundChildConfirmedForTwoCasesIsDisputed() throws {
        var (ledger, caseID, foundID) = try ledger()
        let otherCase = try ledger.append(
            .abductionReported, [("sex", "male"), ("missingSince", "2012-05"), ("place", "贵阳"), ("reporterName", "张")])
        try ledger.append(
            .identityMatched, [("caseId", .string(caseID.hex)), ("foundId", .string(foundID.hex)), ("decidedBy", "a")])
        try ledger.append(
            .identityMatched,
            [("caseId", .string(otherCase.hex)), ("foundId", .string(foundID.hex)), ("decidedBy", "b")])
        #expect(status(ledger, foundID) == .disputed)
        #expect(status(ledger, caseID) == .disputed)
        #expect(status(ledger, otherCase) == .disputed)
    }

    @Test func aRetractedRecordIsRetracted() throws {
        var (ledger, caseID, _) = try ledger()
        try ledger.append(.retracted, [("target", .string(caseID.hex)), ("reason", "duplicate")])
        #expect(status(ledger, caseID) == .retracted)
    }
}
