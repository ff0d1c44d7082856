import Foundation
import GRDB
import LedgerCore
import LedgerStore
import Testing

/// A node in a fresh temporary folder, removed when the test ends.
final class TemporaryNode {
    let directory: String
    let node: Node
    var now: UInt64 = 1_764_000_000_000

    init(name: String = "测试节点") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reunite-\(UUID().uuidString)").path
        node = try Node.create(in: directory, name: name)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var databasePath: String { directory + "/ledger.sqlite" }

    @discardableResult
    func record(_ kind: EventKind, _ members: [(String, String)]) throws -> EventID {
        now += 1000
        let draft = try EventDraft(kind: kind, members: members.map { ($0.0, .string($0.1)) })
        return try node.store.append([draft], signedBy: node.key, nowMilliseconds: now)[0]
    }

    @discardableResult func abduction(_ name: String = "李小明") throws -> EventID {
        try record(
            .abductionReported,
            [
                ("childName", name), ("sex", "male"), ("born", "2009-05"),
                ("missingSince", "2012-03-14"), ("place", "成都"), ("reporterName", "李建国"),
            ])
    }

    @discardableResult func foundChild() throws -> EventID {
        try record(.childFound, [("sex", "male"), ("foundOn", "2013-01"), ("place", "深圳"), ("reportedBy", "医院")])
    }

    /// A second connection to the same file, as an attacker with the file would have.
    func rawDatabase() throws -> DatabaseQueue {
        try DatabaseQueue(path: databasePath)
    }
}

@Suite struct LedgerStoreTests {
    @Test func aNodeKeyIsPrivateToItsOwner() throws {
        let temporary = try TemporaryNode()
        let attributes = try FileManager.default.attributesOfItem(atPath: temporary.directory + "/node.key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let reopened = try Node.open(temporary.directory)
        #expect(reopened.key.nodeID == temporary.node.key.nodeID)
        #expect(try reopened.store.nodeName() == "测试节点")
    }

    /// Numbers a peer sends at the top of 64 bits: a vector claiming the largest seq of a chain
    /// this node holds asks for nothing (one was added to it first), a batch's reference to a
    /// seq past Int64.max names nothing held, and a request time past it is refused (each was
    /// converted for SQLite first). Each stopped the process.
    @Test func numbersAPeerSendsAtTheTopOf64BitsAreNoCrash() throws {
        let temporary = try TemporaryNode()
        let id = try temporary.abduction()
        let origin = temporary.node.key.nodeID
        var claimed = VersionVector()
        claimed[origin] = ChainHead(seq: UInt64.max, id: id)
        #expect(try temporary.node.store.runs(missingFrom: claimed, maxEvents: 100).isEmpty)
        claimed[origin] = ChainHead(seq: 1, id: id)
        #expect(try temporary.node.store.runs(missingFrom: claimed, maxEvents: 100).isEmpty)
        #expect(try temporary.node.store.runs(missingFrom: VersionVector(), maxEvents: 100).count == 1)
        // A batch naming an event by a position past what SQLite holds names nothing held.
        let positions: [(origin: NodeID, seq: UInt64)] = [(origin, UInt64.max), (origin, 1 << 63), (origin, 1)]
        #expect(try temporary.node.store.ids(at: positions) == [nil, nil, id])
        // A request time past Int64.max is refused and not remembered.
        let peer = NodeKey().nodeID
        try temporary.node.store.addPeer(name: "p", nodeID: peer, url: nil, pullOnly: false, nowMilliseconds: 1)
        #expect(throws: LedgerError.self) { try temporary.node.store.acceptRequest(from: peer, time: 1 << 63) }
        #expect(try temporary.node.store.acceptRequest(from: peer, time: 5) != nil)
    }

    @Test func initRefusesAFolderThatHoldsANode() throws {
        let temporary = try TemporaryNode()
        #expect(throws: StoreError.self) { try Node.create(in: temporary.directory, name: "again") }
        #expect(try Node.open(temporary.directory).key.nodeID == temporary.node.key.nodeID)
    }

    @Test func eventsFormOneSignedChain() throws {
        let temporary = try TemporaryNode()
        let caseID = try temporary.abduction()
        let foundID = try temporary.foundChild()
        try temporary.record(.identityMatched, [("caseId", caseID.hex), ("foundId", foundID.hex), ("decidedBy", "王")])
        let events = try temporary.node.store.events()
        #expect(events.map(\.event.seq) == [1, 2, 3])
        #expect(events[1].event.prev == events[0].event.id)
        #expect(events.allSatisfy { $0.hasValidSignature() })
        #expect(try temporary.node.store.verify().ok)
    }

    @Test func theLogRefusesUpdateAndDelete() throws {
        let temporary = try TemporaryNode()
        try temporary.abduction()
        let raw = try temporary.rawDatabase()
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: "UPDATE event SET body = x'00'") } }
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: "DELETE FROM event") } }
        #expect(try temporary.node.store.counts().events == 1)
    }

    @Test func aBatchWithOneBadDraftStoresNothing() throws {
        let temporary = try TemporaryNode()
        try temporary.abduction()
        let good = try EventDraft(
            kind: .childFound, members: [("sex", "female"), ("foundOn", "2010"), ("place", "x"), ("reportedBy", "y")])
        let bad = try EventDraft(
            kind: .retracted, members: [("target", .string(String(repeating: "0", count: 64))), ("reason", "r")])
        #expect {
            try temporary.node.store.append(
                [good, good, bad], signedBy: temporary.node.key, nowMilliseconds: temporary.now, numberLines: true)
        } throws: { error in
            (error as? LedgerError)?.description == "line 3: target: 000000000000 names no record"
        }
        #expect(try temporary.node.store.counts().events == 1)
        #expect(try temporary.node.store.records(in: .found).isEmpty)
    }

    @Test func linesOfABatchCanNameRecordsCreatedEarlierInIt() throws {
        let temporary = try TemporaryNode()
        let drafts = try [
            EventDraft(
                importLine: JSONValue(
                    parsing:
                        ##"{"kind":"abductionReported","sex":"female","missingSince":"2011","place":"昆明","reporterName":"母亲"}"##
                )),
            EventDraft(
                importLine: JSONValue(
                    parsing: ##"{"kind":"childFound","sex":"female","foundOn":"2012","place":"广州","reportedBy":"福利院"}"##
                )),
            EventDraft(
                importLine: JSONValue(
                    parsing: ##"{"kind":"identityMatched","caseId":"#1","foundId":"#2","decidedBy":"志愿者"}"##)),
            EventDraft(
                importLine: JSONValue(parsing: ##"{"kind":"reunited","caseId":"#1","foundId":"#2","on":"2013"}"##)),
            EventDraft(
                importLine: JSONValue(
                    parsing: ##"{"kind":"corrected","target":"#1","changes":{"place":"昆明市盘龙区"},"reason":"详细地址"}"##)),
        ]
        let ids = try temporary.node.store.append(
            drafts, signedBy: temporary.node.key, nowMilliseconds: temporary.now, numberLines: true)
        let abduction = try #require(try temporary.node.store.record(ids[0]))
        #expect(abduction.fields.text(.place) == "昆明市盘龙区")
        #expect(try temporary.node.store.statusBoard().status(of: abduction) == .reunited)
        #expect(try temporary.node.store.verify().ok)
    }

    @Test func theReadModelAfterManyAppendsEqualsAFreshFold() throws {
        let temporary = try TemporaryNode()
        var rng = SystemRandomNumberGenerator()
        var cases: [EventID] = []
        for round in 0..<60 {
            switch round % 5 {
            case 0, 1: cases.append(try temporary.abduction("孩子\(round)"))
            case 2:
                let correction = try EventDraft(
                    kind: .corrected,
                    members: [
                        ("target", .string(cases.randomElement(using: &rng)!.hex)),
                        (
                            "changes",
                            .object([
                                ("place", .string("地点\(round)")), ("marks", round % 2 == 0 ? .null : .string("痣")),
                            ])
                        ),
                        ("reason", .string("核对")),
                    ])
                temporary.now += 1000
                try temporary.node.store.append(
                    [correction], signedBy: temporary.node.key, nowMilliseconds: temporary.now)
            default: try temporary.foundChild()
            }
        }
        let before = try temporary.node.store.verify()
        #expect(before.ok)
        try temporary.node.store.rebuild()
        let after = try temporary.node.store.verify()
        #expect(after.ok)
        #expect(after.digest == before.digest)
    }

    @Test func changesAfterAPositionAreTheRecordsCreatedOrChangedSince() throws {
        let temporary = try TemporaryNode()
        let store = temporary.node.store
        let corrected = try temporary.abduction("王浩")
        let retracted = try temporary.foundChild()
        let untouched = try temporary.abduction("陈杰")
        let position = try store.logPosition()
        #expect(try store.changes(after: position).records.isEmpty)
        func append(_ kind: EventKind, _ members: [(String, JSONValue)]) throws {
            temporary.now += 1000
            try store.append(
                [try EventDraft(kind: kind, members: members)], signedBy: temporary.node.key,
                nowMilliseconds: temporary.now)
        }
        try append(
            .corrected,
            [("target", .string(corrected.hex)), ("changes", .object([("place", "昆明")])), ("reason", "核对")])
        try append(.retracted, [("target", .string(retracted.hex)), ("reason", "重复登记")])
        let created = try temporary.foundChild()
        let changes = try store.changes(after: position)
        #expect(changes.position == (try store.logPosition()))
        #expect(Set(changes.records.map(\.id)) == [corrected, retracted, created])
        #expect(!changes.records.contains { $0.id == untouched })
        // As the records stand now.
        #expect(changes.records.first { $0.id == corrected }?.fields.text(.place) == "昆明")
        #expect(changes.records.first { $0.id == retracted }?.retracted == true)
    }

    /// What a table of the log is laid out by before its first row: the largest seq, the latest
    /// clock (one past 2^63 is stored as a negative number, and is still the latest) and the
    /// kinds stored, read with the events.
    @Test func theLogIsMeasuredBeforeItIsRead() throws {
        let temporary = try TemporaryNode()
        let store = temporary.node.store
        var measured: [LedgerStore.LogExtent] = []
        var read = 0
        try store.forEachEvent(measuredBy: { measured.append($0) }) { _ in read += 1 }
        #expect(measured.count == 1 && measured[0].largestSeq == 0 && measured[0].latestClock == nil)

        try temporary.abduction()
        try temporary.foundChild()
        try temporary.foundChild()
        let ours = HybridTimestamp(milliseconds: temporary.now, counter: 0)
        // A peer whose clock runs millennia ahead: its events are kept (and flagged). Of one kind
        // with ours, so that the latest of a kind is told apart from the largest number.
        let peer = NodeKey()
        var events: [Event] = []
        for (seq, milliseconds) in [(1, UInt64(1) << 47), (2, (UInt64(1) << 48) - 1)] {
            var fields = FieldSet()
            fields[.sex] = .sex(.female)
            fields[.foundOn] = .date(try PartialDate(year: 2020))
            fields[.place] = .text("深圳")
            fields[.reportedBy] = .text("医院")
            events.append(
                Event(
                    origin: peer.nodeID, seq: UInt64(seq), prev: events.last?.id,
                    clock: HybridTimestamp(milliseconds: milliseconds, counter: 7), kind: .childFound, fields: fields))
        }
        let run = SignedRun(origin: peer.nodeID, events: events, signature: peer.sign(events.last!))
        #expect(try store.receive([run], from: nil, nowMilliseconds: temporary.now).refused.isEmpty)

        measured = []
        read = 0
        try store.forEachEvent(measuredBy: { measured.append($0) }) { _ in read += 1 }
        #expect(read == 5)
        #expect(measured.count == 1)
        #expect(measured.first?.largestSeq == 3)
        #expect(measured.first?.kinds == [.abductionReported, .childFound])
        #expect(measured.first?.latestClock == events[1].clock)
        #expect(events[1].clock.description.count == ours.description.count + 1)
    }
}

@Suite struct StaffAccountTests {
    @Test func aPasswordChecksOnlyForItsEnabledAccount() throws {
        let temporary = try TemporaryNode()
        let store = temporary.node.store
        try store.addStaff(name: "王护士", password: "correct horse battery", nowMilliseconds: temporary.now)
        let now = temporary.now
        #expect(try store.signIn(name: "王护士", password: "correct horse battery", nowMilliseconds: now) == .accepted)
        #expect(try store.signIn(name: "王护士", password: "correct horse batterz", nowMilliseconds: now) == .refused)
        #expect(try store.signIn(name: "李", password: "correct horse battery", nowMilliseconds: now) == .refused)
        #expect(try store.disableStaff(name: "王护士", nowMilliseconds: temporary.now))
        #expect(try store.signIn(name: "王护士", password: "correct horse battery", nowMilliseconds: now) == .refused)
        #expect(try !store.disableStaff(name: "李", nowMilliseconds: temporary.now))
    }

    @Test func aNameThatIsNotOneShortLineIsRefusedAndNothingWritten() throws {
        let temporary = try TemporaryNode()
        let store = temporary.node.store
        for bad in ["", "王\n护士", String(repeating: "王", count: 65), "a\u{7}b"] {
            #expect(throws: LedgerError.self) {
                try store.addStaff(name: bad, password: "correct horse battery", nowMilliseconds: temporary.now)
            }
        }
        #expect(try store.staff().isEmpty)
    }

    @Test func fiveWrongPasswordsLockTheAccountForAQuarterHour() throws {
        let temporary = try TemporaryNode()
        let store = temporary.node.store
        let start = temporary.now
        try store.addStaff(name: "王护士", password: "correct horse battery", nowMilliseconds: start)
        try store.addStaff(name: "李医生", password: "correct horse battery", nowMilliseconds: start)
        // Four wrong, then right: the count starts again.
        for _ in 0..<4 { #expect(try store.signIn(name: "王护士", password: "wrong", nowMilliseconds: start) == .refused) }
        #expect(try store.signIn(name: "王护士", password: "correct horse battery", nowMilliseconds: start) == .accepted)
        for _ in 0..<4 { #expect(try store.signIn(name: "王护士", password: "wrong", nowMilliseconds: start) == .refused) }
        let until = start + StaffLockout.milliseconds
        #expect(
            try store.signIn(name: "王护士", password: "wrong", nowMilliseconds: start)
                == .locked(untilMilliseconds: until))
        // While locked, even the right password is refused; other accounts are not touched.
        #expect(
            try store.signIn(name: "王护士", password: "correct horse battery", nowMilliseconds: until - 1)
                == .locked(untilMilliseconds: until))
        #expect(try store.signIn(name: "李医生", password: "correct horse battery", nowMilliseconds: start) == .accepted)
        #expect(try store.signIn(name: "王护士", password: "correct horse battery", nowMilliseconds: until) == .accepted)
        // Unknown and disabled names get the same answer as a wrong password.
        #expect(try store.signIn(name: "nobody", password: "correct horse battery", nowMilliseconds: until) == .refused)
        _ = try store.disableStaff(name: "李医生", nowMilliseconds: until)
        #expect(try store.signIn(name: "李医生", password: "correct horse battery", nowMilliseconds: until) == .refused)
        #expect(try !store.isSessionValid(staff: "李医生", openedAt: until))
        #expect(try store.isSessionValid(staff: "王护士", openedAt: until))
    }

    @Test func aNewPasswordLiftsTheLockoutAndEndsOlderSessions() throws {
        let temporary = try TemporaryNode()
        let store = temporary.node.store
        let start = temporary.now
        try store.addStaff(name: "王护士", password: "correct horse battery", nowMilliseconds: start)
        for _ in 0..<5 { _ = try store.signIn(name: "王护士", password: "wrong", nowMilliseconds: start) }
        #expect(try store.staff()[0].lockedUntil == start + StaffLockout.milliseconds)
        #expect(try store.isSessionValid(staff: "王护士", openedAt: start))
        #expect(try store.setStaffPassword(name: "王护士", password: "a new long passphrase", nowMilliseconds: start + 10))
        #expect(try store.staff()[0].lockedUntil == nil)
        #expect(try !store.isSessionValid(staff: "王护士", openedAt: start))
        #expect(try store.isSessionValid(staff: "王护士", openedAt: start + 10))
        #expect(
            try store.signIn(name: "王护士", password: "correct horse battery", nowMilliseconds: start + 20) == .refused)
        #expect(
            try store.signIn(name: "王护士", password: "a new long passphrase", nowMilliseconds: start + 20) == .accepted)
        for _ in 0..<5 { _ = try store.signIn(name: "王护士", password: "wrong", nowMilliseconds: start + 30) }
        #expect(try store.unlockStaff(name: "王护士"))
        #expect(
            try store.signIn(name: "王护士", password: "a new long passphrase", nowMilliseconds: start + 40) == .accepted)
        #expect(try !store.unlockStaff(name: "nobody"))
        #expect(try !store.setStaffPassword(name: "nobody", password: "a new long passphrase", nowMilliseconds: start))
    }

    @Test func twoAccountsWithOnePasswordStoreDifferentHashes() throws {
        let salt = StaffPassword.newSalt()
        #expect(try StaffPassword.hash("same password", salt: salt) == StaffPassword.hash("same password", salt: salt))
        #expect(
            try StaffPassword.hash("same password", salt: salt)
                != StaffPassword.hash("same password", salt: StaffPassword.newSalt()))
        #expect(salt.count == 16)
    }
}
