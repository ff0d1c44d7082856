import LedgerCore
import Testing

/// Each rule a node enforces before signing, with the message the person sees.
@Suite struct RuleTests {
    var ledger = MemoryLedger()
    let caseID: EventID
    let foundID: EventID

    init() throws {
        caseID = try ledger.append(
            .abductionReported,
            [
                ("sex", "male"), ("born", "2009-05"), ("missingSince", "2012-03-14"), ("place", "成都"),
                ("reporterName", "李建国"),
            ])
        foundID = try ledger.append(
            .childFound, [("sex", "male"), ("foundOn", "2013-01"), ("place", "深圳"), ("reportedBy", "医院")])
    }

    private func refuses(_ kind: EventKind, _ members: [(String, JSONValue)], _ expected: String) {
        var copy = ledger
        #expect {
            try copy.append(kind, members)
        } throws: { error in
            (error as? LedgerError)?.description == expected
        }
        #expect(copy.events.count == ledger.events.count)
    }

    @Test func aMissingRequiredFieldIsNamed() {
        refuses(
            .childFound, [("sex", "male"), ("place", "x"), ("reportedBy", "y")], "foundOn: is required for childFound")
    }

    @Test func anUnknownFieldIsNamed() {
        refuses(.childFound, [("colour", "red")], #"colour: childFound has no field "colour""#)
    }

    @Test func aDisappearanceBeforeBirthIsRefused() {
        refuses(
            .abductionReported,
            [("sex", "male"), ("born", "2015"), ("missingSince", "2012"), ("place", "x"), ("reporterName", "y")],
            "missingSince: 2012 is before the birth date 2015")
    }

    @Test func aDateInTheFutureIsRefused() {
        refuses(
            .childFound, [("sex", "male"), ("foundOn", "2099-01"), ("place", "x"), ("reportedBy", "y")],
            "foundOn: 2099-01 is in the future")
    }

    @Test func aMatchWithAChildFoundBeforeTheCaseChildWasBornIsRefused() throws {
        var copy = ledger
        let early = try copy.append(
            .childFound, [("sex", "male"), ("foundOn", "2008-12"), ("place", "x"), ("reportedBy", "y")])
        #expect {
            try copy.append(
                .identityMatched,
                [("caseId", .string(caseID.hex)), ("foundId", .string(early.hex)), ("decidedBy", "z")])
        } throws: { error in
            (error as? LedgerError)?.description
                == "foundId: the child was found on 2008-12, before this case's child was born (2009-05)"
        }
    }

    @Test func aMatchBetweenTwoFoundChildrenIsRefused() {
        refuses(
            .identityMatched,
            [("caseId", .string(foundID.hex)), ("foundId", .string(foundID.hex)), ("decidedBy", "z")],
            "caseId: \(foundID.short) is childFound, not an abduction case")
    }

    @Test func anIdThatNamesNothingIsRefused() {
        let nothing = String(repeating: "ab", count: 32)
        refuses(
            .identityMatched, [("caseId", .string(nothing)), ("foundId", .string(foundID.hex)), ("decidedBy", "z")],
            "caseId: abababababab names no record")
    }

    @Test func aReunionWithoutAConfirmedMatchIsRefused() {
        refuses(
            .reunited, [("caseId", .string(caseID.hex)), ("foundId", .string(foundID.hex)), ("on", "2014")],
            "foundId: no confirmed match between case \(caseID.short) and found child \(foundID.short); confirm the match first"
        )
    }

    @Test func aReunionBeforeTheChildWasFoundIsRefused() throws {
        var copy = ledger
        try copy.append(
            .identityMatched, [("caseId", .string(caseID.hex)), ("foundId", .string(foundID.hex)), ("decidedBy", "z")])
        #expect {
            try copy.append(
                .reunited, [("caseId", .string(caseID.hex)), ("foundId", .string(foundID.hex)), ("on", "2012-12-31")])
        } throws: { error in
            (error as? LedgerError)?.description == "on: 2012-12-31 is before the child was found (2013-01)"
        }
    }

    @Test func aCorrectionOfAFieldTheKindLacksIsRefused() {
        refuses(
            .corrected,
            [("target", .string(caseID.hex)), ("changes", .object([("foundOn", "2013")])), ("reason", "r")],
            #"foundOn: abductionReported records have no field "foundOn""#)
    }

    @Test func aDraftNamesEveryProblemAtOnceAndThrowsTheFirst() throws {
        let members: [(String, JSONValue)] = [
            ("sex", "boy"), ("foundOn", "2019-13-40"), ("place", "深圳"), ("lat", "91"), ("lon", "114"),
        ]
        let problems = try EventDraft.problems(kind: .childFound, members: members)
        #expect(problems.map(\.field) == ["sex", "foundOn", "lat", "reportedBy"])
        #expect(problems.last?.code == .missingField)
        #expect(throws: problems[0]) { try EventDraft(kind: .childFound, members: members) }
        #expect(
            try EventDraft.problems(
                kind: .childFound, members: [("sex", "male"), ("foundOn", "2019"), ("place", "x"), ("reportedBy", "y")]
            ).isEmpty)
    }

    @Test func whoRecordedAnEventCannotBeCorrected() throws {
        var copy = ledger
        try copy.append(
            .sightingReported, [("seenOn", "2013-02"), ("description", "车站"), ("recordedBy", "陈丽")])
        refuses(
            .corrected,
            [("target", .string(caseID.hex)), ("changes", .object([("recordedBy", "someone")])), ("reason", "r")],
            "recordedBy: says who recorded an event and cannot be corrected")
    }

    @Test func aCorrectionThatBreaksTheRecordIsRefused() {
        refuses(
            .corrected, [("target", .string(caseID.hex)), ("changes", .object([("born", "2013")])), ("reason", "r")],
            "missingSince: 2012-03-14 is before the birth date 2013")
    }

    @Test func aRetractionOfARetractionIsRefused() throws {
        var copy = ledger
        let retraction = try copy.append(.retracted, [("target", .string(foundID.hex)), ("reason", "duplicate")])
        #expect {
            try copy.append(.retracted, [("target", .string(retraction.hex)), ("reason", "undo")])
        } throws: { error in
            (error as? LedgerError)?.description
                == "target: \(retraction.short) is a retraction; a retraction cannot be amended"
        }
    }

    @Test func aRetractedRecordCannotBeMatched() throws {
        var copy = ledger
        try copy.append(.retracted, [("target", .string(foundID.hex)), ("reason", "duplicate")])
        #expect(throws: LedgerError.self) {
            try copy.append(
                .identityMatched,
                [("caseId", .string(caseID.hex)), ("foundId", .string(foundID.hex)), ("decidedBy", "z")])
        }
    }
}
