import Foundation
import Testing

/// A node with a case, a found child and a confirmed match, made by the real binary.
private func storyNode() throws -> (ReuniteProcess, caseID: String, foundID: String) {
    let reunite = ReuniteProcess()
    try reunite.succeed(["init", "--name", "成都儿童福利院"])
    let dna = try reunite.writeFile(
        "parents.json", #"{"mother": {"D3S1358": [15, 16], "vWA": [17, 18]}, "father": {"TH01": [9.3, 7]}}"#)
    let caseID = try #require(
        try reunite.json([
            "report-abduction", "--child-name", "李小明", "--sex", "male", "--born", "2009-05", "--missing-since",
            "2012-03-14", "--place", "四川省成都市武侯区", "--lat", "30.6424", "--lon", "104.0433", "--marks", "左脸有痣",
            "--blood-type", "A+", "--reporter", "李建国", "--relation", "父亲", "--dna", dna,
        ]) as? [String: Any]
    ).string("id")!
    let foundID = try #require(
        try reunite.json([
            "record-found", "--found-on", "2013-01", "--place", "广东省深圳市", "--sex", "male", "--age-months", "44",
            "--age-uncertainty-months", "6", "--marks", "mole on left cheek", "--reported-by", "深圳市儿童医院",
            "--custody", "深圳市儿童福利院",
        ]) as? [String: Any]
    ).string("id")!
    try reunite.succeed([
        "confirm-match", "--case", String(caseID.prefix(8)), "--found", String(foundID.prefix(12)),
        "--evidence", "dna", "--evidence", "marks", "--by", "王护士",
    ])
    return (reunite, caseID, foundID)
}

@Suite struct NodeCommandTests {
    @Test func initMakesAPrivateKeyAndRefusesToOverwriteIt() throws {
        let reunite = ReuniteProcess()
        let nodeID = try reunite.succeed(["init", "--name", "Shenzhen Children's Hospital"]).trimmingCharacters(
            in: .newlines)
        #expect(nodeID.count == 64 && nodeID.allSatisfy(\.isHexDigit))
        let permissions = try FileManager.default.attributesOfItem(atPath: reunite.data + "/node.key")[
            .posixPermissions]
        #expect((permissions as? NSNumber)?.intValue == 0o600)
        let again = try reunite.run(["init", "--name", "Another"])
        #expect(again.status != 0)
        #expect(again.stderrLines.count == 1 && again.stderr.hasPrefix("error: "))
        let whoami = try #require(try reunite.json(["whoami"]) as? [String: Any])
        #expect(whoami.string("nodeId") == nodeID)
        #expect(whoami.string("name") == "Shenzhen Children's Hospital")
        #expect(whoami["events"] as? Int == 0)
    }

    @Test func theDataFolderComesFromTheOptionOrTheEnvironment() throws {
        let reunite = ReuniteProcess()
        let folder = reunite.root + "/from-env"
        try #require(
            try reunite.run(["init", "--name", "环境"], environment: ["REUNITE_DATA": folder], data: false).status == 0)
        let whoami = try reunite.run(["whoami"], environment: ["REUNITE_DATA": folder], data: false)
        #expect(whoami.stdout.contains("环境"))
        let missing = try reunite.run(["whoami"], environment: ["REUNITE_DATA": reunite.root + "/nowhere"], data: false)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("reunite init"))
    }
}

@Suite struct RecordingStoryTests {
    @Test func aCaseGoesFromReportToReunionWithACorrectionKeptInItsHistory() throws {
        let (reunite, caseID, foundID) = try storyNode()
        try reunite.succeed([
            "record-reunion", "--case", caseID, "--found", foundID, "--on", "2013-06-01", "--place", "成都",
        ])
        try reunite.succeed([
            "correct", String(caseID.prefix(10)), "--set", "born=2009-04", "--set", "marks=左脸颊有一颗痣",
            "--reason", "核对户口本",
        ])
        try reunite.succeed([
            "record-sighting", "--seen-on", "2012-08", "--description", "网上有人出售男童",
            "--source-url", "https://example.org/listing/1", "--case", caseID,
        ])

        let cases = try #require(try reunite.json(["list", "cases"]) as? [[String: Any]])
        #expect(cases.count == 1)
        #expect(cases[0].string("status") == "reunited")
        #expect(cases[0].string("born") == "2009-04")
        #expect(cases[0].string("marks") == "左脸颊有一颗痣")
        #expect(cases[0].string("childName") == "李小明")
        #expect(cases[0]["lat"] as? Double == 30.6424)
        let dna = try #require(cases[0]["dna"] as? [String: Any])
        #expect((dna["father"] as? [String: Any])?["TH01"] as? [Double] == [7, 9.3])

        let shown = try #require(try reunite.json(["show", caseID]) as? [String: Any])
        let history = try #require(shown["history"] as? [[String: Any]])
        #expect(history.map { $0.string("kind") } == ["abductionReported", "corrected"])
        #expect(history[0].string("born") == "2009-05")

        let people = try reunite.succeed(["show", String(caseID.prefix(8))])
        #expect(people.contains("核对户口本") && people.contains("reunited"))
        #expect(try reunite.succeed(["list", "found"]).contains(String(foundID.prefix(12))))
        #expect(try #require(try reunite.json(["list", "reunions"]) as? [[String: Any]]).count == 1)
        #expect(
            try #require(try reunite.json(["list", "sightings"]) as? [[String: Any]])[0].string("caseId") == caseID)
        let matches = try #require(try reunite.json(["list", "matches", "--status", "confirmed"]) as? [[String: Any]])
        #expect(matches.first?["evidence"] as? [String] == ["dna", "marks"])
        #expect(try #require(try reunite.json(["list", "cases", "--status", "open"]) as? [Any]).isEmpty)

        let log = try #require(try reunite.json(["log"]) as? [[String: Any]])
        #expect(log.map { $0["seq"] as? Int } == [1, 2, 3, 4, 5, 6])
        let verify = try #require(try reunite.json(["verify"]) as? [String: Any])
        #expect(verify["ok"] as? Bool == true)
        #expect(verify["events"] as? Int == 6)
        #expect(verify["origins"] as? Int == 1)
        #expect((verify.string("digest") ?? "").count == 64)
    }

    @Test func aRetractedRecordStaysListedAndCanBeFilteredOut() throws {
        let (reunite, _, foundID) = try storyNode()
        let match = try #require(try reunite.json(["list", "matches"]) as? [[String: Any]])[0].string("id")!
        try reunite.succeed(["retract", match, "--reason", "录入错误"])
        try reunite.succeed(["retract", foundID, "--reason", "重复登记"])
        let found = try #require(try reunite.json(["list", "found"]) as? [[String: Any]])
        #expect(found.map { $0.string("status") } == ["retracted"])
        #expect(try #require(try reunite.json(["list", "found", "--status", "open"]) as? [Any]).isEmpty)
        #expect(try #require(try reunite.json(["list", "cases"]) as? [[String: Any]])[0].string("status") == "open")
    }

    /// A value may begin with a hyphen: a place south or west of zero, a note set off by a dash.
    @Test func aValueBeginningWithAHyphenIsRecordedAsTyped() throws {
        let (reunite, caseID, _) = try storyNode()
        let found = try #require(
            try reunite.json([
                "record-found", "--found-on", "2013-01", "--place", "Santiago", "--lat", "-33.45", "--lon", "-70.66",
                "--sex", "male", "--reported-by", "-", "--circumstances", "- left at a bus station",
            ]) as? [String: Any]
        ).string("id")!
        let record = try #require(try reunite.json(["show", found]) as? [String: Any])
        #expect(record["lat"] as? Double == -33.45)
        #expect(record["lon"] as? Double == -70.66)
        #expect(record.string("reportedBy") == "-")
        #expect(record.string("circumstances") == "- left at a bus station")
        try reunite.succeed(["reject-match", "--case", caseID, "--found", found, "--note", "-", "--by", "x"])
    }

    @Test func aConfirmationAndARejectionOfOnePairShowAsDisputed() throws {
        let (reunite, caseID, foundID) = try storyNode()
        try reunite.succeed(["reject-match", "--case", caseID, "--found", foundID, "--note", "血型不符", "--by", "张医生"])
        let statuses = try #require(try reunite.json(["list", "matches"]) as? [[String: Any]]).map {
            $0.string("status")
        }
        #expect(statuses == ["disputed", "disputed"])
        #expect(
            try #require(try reunite.json(["list", "cases"]) as? [[String: Any]])[0].string("status") == "disputed")
    }
}

/// Every bad-input rule through the binary: one line on stderr naming the option, a
/// non-zero exit, and a ledger exactly as before.
@Suite struct BadInputTests {
    struct Case: CustomStringConvertible, Sendable {
        let arguments: [String]
        let message: String
        var description: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(
            arguments: ["record-found", "--found-on", "2013", "--place", "x", "--sex", "male"],
            message: "error: --reported-by: is required for childFound"),
        Case(
            arguments: [
                "report-abduction", "--sex", "male", "--born", "2019-13-40", "--missing-since", "2020", "--place", "x",
                "--reporter", "y",
            ],
            message: #"error: --born: "2019-13-40" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"#),
        Case(
            arguments: [
                "report-abduction", "--sex", "male", "--born", "2019-02-29", "--missing-since", "2020", "--place", "x",
                "--reporter", "y",
            ],
            message: #"error: --born: "2019-02-29" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"#),
        Case(
            arguments: [
                "report-abduction", "--sex", "male", "--born", "2013", "--missing-since", "2012", "--place", "x",
                "--reporter", "y",
            ],
            message: "error: --missing-since: 2012 is before the birth date 2013"),
        Case(
            arguments: [
                "report-abduction", "--sex", "男", "--missing-since", "2012", "--place", "x", "--reporter", "y",
            ],
            message: #"error: --sex: "男" is not a sex (male, female or unknown)"#),
        Case(
            arguments: [
                "record-found", "--found-on", "2013", "--place", "x", "--sex", "female", "--reported-by", "y",
                "--blood-type", "AO",
            ],
            message: #"error: --blood-type: "AO" is not a blood type (A, B, AB or O, optionally with + or -)"#),
        Case(
            arguments: [
                "record-found", "--found-on", "2013", "--place", "x", "--sex", "female", "--reported-by", "y", "--dna",
                "@unknown-locus",
            ],
            message: #"error: --dna: unknown locus "D99S1" (use STRBase names such as D3S1358, vWA, Penta E)"#),
        Case(
            arguments: [
                "record-found", "--found-on", "2013", "--place", "x", "--sex", "female", "--reported-by", "y", "--dna",
                "@sex-marker",
            ],
            message:
                #"error: --dna: "AMEL" is the sex marker, not an STR locus: leave it out of the profile (sex is a field of its own)"#
        ),
        Case(
            arguments: [
                "record-found", "--found-on", "2013", "--place", "x", "--sex", "male", "--reported-by", "y", "--dna",
                "@y-marker",
            ],
            message:
                #"error: --dna: "DYS391" is a Y- or X-chromosome marker: only autosomal STR loci are compared, so leave it out"#
        ),
        Case(
            arguments: [
                "record-found", "--found-on", "2013", "--place", "x", "--sex", "female", "--reported-by", "y", "--dna",
                "@letter-allele",
            ],
            message: #"error: --dna: TH01: allele "X" is not a repeat number such as 15 or 9.3"#),
        Case(
            arguments: [
                "record-found", "--found-on", "2013", "--place", "x", "--sex", "female", "--reported-by", "y",
                "--age-months", "three",
            ],
            message: #"error: --age-months: "three" is not a number"#),
        // A value beginning with a hyphen is the option's value, refused by the rules that name
        // it, not taken for a missing value.
        Case(
            arguments: [
                "record-found", "--found-on", "2013", "--place", "x", "--sex", "female", "--reported-by", "y",
                "--age-months", "-5",
            ],
            message: #"error: --age-months: "-5" is not a number of months from 0 to 1200"#),
        Case(
            arguments: [
                "report-abduction", "--sex", "male", "--missing-since", "2012", "--place", "x", "--reporter", "y",
                "--lat", "-91", "--lon", "104",
            ],
            message: #"error: --lat: "-91" is outside -90 to 90 degrees"#),
        Case(
            arguments: ["candidates", "@found", "--limit", "-1"],
            message: "error: --limit: -1 is not a positive number of candidates"),
        Case(
            arguments: ["sync", "http://127.0.0.1:9", "--timeout", "-5"],
            message: "error: --timeout: must be at least 1 second"),
        Case(
            arguments: ["confirm-match", "--case", "0123456789ab", "--found", "@found", "--by", "x"],
            message: "error: --case: 0123456789ab names no record"),
        Case(
            arguments: ["confirm-match", "--case", "@found", "--found", "@found", "--by", "x"],
            message: "error: --case: @found12 is childFound, not an abduction case"),
        Case(
            arguments: ["confirm-match", "--case", "@case", "--found", "@found", "--by", "x", "--evidence", "hunch"],
            message: #"error: --evidence: "hunch" is not evidence (dna, photo, marks, documents or testimony)"#),
        Case(
            arguments: ["confirm-match", "--case", "@case", "--found", "@early", "--by", "x"],
            message: "error: --found: the child was found on 2008, before this case's child was born (2009-05)"),
        Case(
            arguments: ["record-reunion", "--case", "@case", "--found", "@found", "--on", "2014"],
            message:
                "error: --found: no confirmed match between case @case12 and found child @found12; confirm the match first"
        ),
        Case(
            arguments: ["record-reunion", "--case", "@case", "--found", "@matched", "--on", "2012-12-31"],
            message: "error: --on: 2012-12-31 is before the child was found (2013-01)"),
        Case(
            arguments: ["correct", "@case", "--set", "foundOn=2013", "--reason", "x"],
            message: #"error: --set foundOn: abductionReported records have no field "foundOn""#),
        Case(
            arguments: ["correct", "@case", "--set", "sex=", "--reason", "x"],
            message: "error: --set sex: is required for abductionReported and cannot be cleared"),
        Case(
            arguments: ["correct", "@case", "--set", "born", "--reason", "x"],
            message: #"error: --set: "born" is not FIELD=VALUE"#),
        Case(
            arguments: ["retract", "@retraction", "--reason", "undo"],
            message: "error: ID: @retraction12 is a retraction; a retraction cannot be amended"),
        Case(
            arguments: ["retract", "abc", "--reason", "x"],
            message: #"error: ID: "abc" is not a record id (8 to 64 hex characters)"#),
        Case(
            arguments: ["list", "cases", "--status", "lost"],
            message:
                #"error: --status: "lost" is not a status (open, matched, reunited, confirmed, rejected, recorded, disputed, retracted)"#
        ),
    ]

    /// A node holding a case, a found child, a child found too early, a matched pair and a retraction.
    static func fixture() throws -> (ReuniteProcess, [String: String]) {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "n"])
        func id(_ arguments: [String]) throws -> String {
            try #require(try reunite.json(arguments) as? [String: Any]).string("id")!
        }
        var names: [String: String] = [:]
        names["case"] = try id([
            "report-abduction", "--sex", "male", "--born", "2009-05", "--missing-since", "2012-03", "--place", "成都",
            "--reporter", "李",
        ])
        names["found"] = try id([
            "record-found", "--found-on", "2013-01", "--place", "深圳", "--sex", "male", "--reported-by", "医院",
        ])
        names["early"] = try id([
            "record-found", "--found-on", "2008", "--place", "深圳", "--sex", "male", "--reported-by", "医院",
        ])
        names["matched"] = try id([
            "record-found", "--found-on", "2013-01", "--place", "广州", "--sex", "male", "--reported-by", "医院",
        ])
        let other = try id([
            "record-found", "--found-on", "2013-01", "--place", "广州", "--sex", "male", "--reported-by", "医院",
        ])
        try reunite.succeed(["confirm-match", "--case", names["case"]!, "--found", names["matched"]!, "--by", "x"])
        names["retraction"] = try id(["retract", other, "--reason", "duplicate"])
        names["unknown-locus"] = try reunite.writeFile("a.json", #"{"D3S1358": [15, 16], "D99S1": [1, 2]}"#)
        names["sex-marker"] = try reunite.writeFile("sex.json", #"{"THO1": [7, 9.3], "AMEL": ["X", "X"]}"#)
        names["y-marker"] = try reunite.writeFile("y.json", #"{"D8S1179": [13, 14], "DYS391": [10, 10]}"#)
        names["letter-allele"] = try reunite.writeFile("b.json", #"{"TH01": ["X", 7]}"#)
        return (reunite, names)
    }

    @Test(arguments: cases)
    func isRefusedWithOneLineAndNothingWritten(_ bad: Case) throws {
        let (reunite, names) = try Self.fixture()
        func substitute(_ text: String) -> String {
            var out = text
            for (name, value) in names.sorted(by: { $0.key.count > $1.key.count }) {
                out = out.replacingOccurrences(of: "@\(name)12", with: String(value.prefix(12)))
                out = out.replacingOccurrences(of: "@\(name)", with: value)
            }
            return out
        }
        let before = try reunite.succeed(["log", "--json"])
        let outcome = try reunite.run(bad.arguments.map(substitute))
        #expect(outcome.status != 0)
        #expect(outcome.stderr == substitute(bad.message) + "\n")
        #expect(outcome.stdout.isEmpty)
        #expect(try reunite.succeed(["log", "--json"]) == before)
    }
}

@Suite struct BulkTests {
    static let backlog = """
        {"kind": "abductionReported", "childName": "王小芳", "sex": "female", "born": "2010-02", "missingSince": "2013-07-02", "place": "贵州省毕节市", "reporterName": "王强", "birthCertificate": "O440012345, 毕节市人民医院"}
        {"kind": "childFound", "foundOn": "2014-03", "place": "福建省莆田市", "sex": "female", "ageMonths": 48, "reportedBy": "莆田福利院", "marks": "右手腕有疤, \\"烫伤\\""}
        {"kind": "identityMatched", "caseId": "#1", "foundId": "#2", "evidence": ["photo"], "decidedBy": "宝贝回家志愿者"}
        {"kind": "reunited", "caseId": "#1", "foundId": "#2", "on": "2015-01-20"}
        {"kind": "corrected", "target": "#2", "changes": {"ageMonths": 54}, "reason": "骨龄检测"}

        """

    @Test func importsABacklogWithLineReferences() throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "n"])
        let file = try reunite.writeFile("backlog.jsonl", Self.backlog)
        #expect(try #require(try reunite.json(["import", file]) as? [String: Any])["imported"] as? Int == 5)
        let found = try #require(try reunite.json(["list", "found"]) as? [[String: Any]])
        #expect(found[0]["ageMonths"] as? Int == 54)
        #expect(found[0].string("status") == "reunited")
        #expect(try #require(try reunite.json(["verify"]) as? [String: Any])["ok"] as? Bool == true)
    }

    /// The log for people is printed as it is read, laid out beforehand: every column starts
    /// where the header's does, as wide as its widest cell, on a log of four-digit seqs and
    /// kinds of several lengths; a row an event, in the order `log --json` gives.
    @Test func theLogForPeopleIsAlignedAsItIsPrinted() throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "n"])
        let found = #"{"kind": "childFound", "foundOn": "2013-01", "place": "深圳", "sex": "male", "reportedBy": "医院"}"#
        let lines =
            [String](repeating: found, count: 1_001) + [
                ##"{"kind": "corrected", "target": "#3", "changes": {"place": "东莞"}, "reason": "核对"}"##,
                ##"{"kind": "retracted", "target": "#5", "reason": "重复登记"}"##,
            ]
        try reunite.succeed(["import", "-"], stdin: lines.joined(separator: "\n"))
        let ids = try #require(try reunite.json(["log"]) as? [[String: Any]]).compactMap { $0.string("id") }
        let rows = try reunite.succeed(["log"]).split(separator: "\n").map(String.init)
        #expect(rows.count == ids.count + 1)
        #expect(
            rows.first?.split(separator: " ", omittingEmptySubsequences: true) == [
                "ORIGIN", "SEQ", "WHEN", "KIND", "ID", "RECORD",
            ])
        // Where each cell of a row starts, and how long it is.
        func cells(_ row: String) -> [(start: Int, length: Int)] {
            var cells: [(Int, Int)] = []
            for (offset, character) in row.enumerated() where character != " " {
                if let last = cells.last, last.0 + last.1 == offset {
                    cells[cells.count - 1].1 += 1
                } else {
                    cells.append((offset, 1))
                }
            }
            return cells
        }
        let laidOut = rows.map(cells)
        #expect(laidOut.allSatisfy { $0.count == 6 })
        for column in 0..<6 {
            #expect(Set(laidOut.map { $0[column].start }).count == 1, "column \(column) starts in one place")
        }
        for column in 0..<5 {
            let widest = laidOut.map { $0[column].length }.max() ?? 0
            #expect(laidOut[0][column + 1].start == laidOut[0][column].start + widest + 2)
        }
        #expect(laidOut.map { $0[1].length }.max() == 4)
        #expect(zip(rows.dropFirst(), ids).allSatisfy { row, id in row.contains("  " + id.prefix(12) + "  ") })
        #expect(rows.last?.contains("  retracted  ") == true)
    }

    /// A file saved on Windows ends its lines with "\r\n", and Notepad and Excel begin UTF-8 with
    /// a byte order mark; an editor may leave blank lines at the end.
    @Test func importsAFileSavedOnWindows() throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "n"])
        let windows = "\u{FEFF}" + Self.backlog.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n \r\n\r\n"
        let file = try reunite.writeFile("windows.jsonl", windows)
        #expect(try reunite.succeed(["import", file]) == "imported 5 events\n")
        #expect(try reunite.succeed(["import", "-"], stdin: windows) == "imported 5 events\n")
    }

    @Test func aLineThatIsNotUTF8IsNamedAndNothingIsWritten() throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "n"])
        let lines = Self.backlog.split(separator: "\n").map { Array($0.utf8) }
        // GB 18030 bytes of 王小芳 in the second line, as an old spreadsheet may save them.
        let gb18030: [UInt8] = [0xCD, 0xF5, 0xD0, 0xA1, 0xB7, 0xBC]
        let bad = Array(#"{"kind": "abductionReported", "childName": ""#.utf8) + gb18030 + Array(#""}"#.utf8)
        let path = reunite.root + "/gb18030.jsonl"
        try Data((lines[0] + [0x0A] + bad + [0x0A] + lines[1]).map { $0 }).write(to: URL(fileURLWithPath: path))
        let outcome = try reunite.run(["import", path])
        #expect(outcome.status != 0)
        #expect(outcome.stderr == "error: line 2: is not UTF-8 text\n")
        #expect(try #require(try reunite.json(["whoami"]) as? [String: Any])["events"] as? Int == 0)
    }

    @Test func importReadsStandardInput() throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "n"])
        #expect(try reunite.succeed(["import", "-"], stdin: Self.backlog) == "imported 5 events\n")
    }

    @Test(arguments: [
        (
            "{\"kind\": \"childFound\", \"foundOn\": \"2014\"",
            "error: line 3: not valid JSON: unexpected end at character 41"
        ),
        (
            "{\"kind\": \"childFound\", \"foundOn\": \"2014-02-30\", \"place\": \"x\", \"sex\": \"male\", \"reportedBy\": \"y\"}",
            "error: line 3: foundOn: \"2014-02-30\" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        ),
        (
            "{\"kind\": \"reunited\", \"caseId\": \"#1\", \"foundId\": \"#2\", \"on\": \"2015\"}",
            "error: line 3: foundId: no confirmed match between case @1 and found child @2; confirm the match first"
        ),
        (
            "{\"kind\": \"retracted\", \"target\": \"#4\", \"reason\": \"x\"}",
            "error: line 3: target: #4 is not an earlier line of this file that created a record"
        ),
        ("", "error: line 3: is empty; each line is one JSON object"),
    ])
    func oneBadLineRejectsTheWholeFile(_ line: String, _ message: String) throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "n"])
        let lines = Self.backlog.split(separator: "\n").map(String.init)
        let file = try reunite.writeFile(
            "bad.jsonl", ([lines[0], lines[1], line] + lines[2...]).joined(separator: "\n"))
        let outcome = try reunite.run(["import", file])
        #expect(outcome.status != 0)
        if message.contains("@1") {
            #expect(outcome.stderr.hasPrefix("error: line 3: foundId: no confirmed match between case "))
        } else {
            #expect(outcome.stderr == message + "\n")
        }
        #expect(try #require(try reunite.json(["whoami"]) as? [String: Any])["events"] as? Int == 0)
    }

    @Test func anExportImportsIntoAnotherNodeAsTheSameHistory() throws {
        let (reunite, caseID, _) = try storyNode()
        try reunite.succeed(["correct", caseID, "--set", "place=四川省成都市", "--reason", "简化"])
        let export = try reunite.succeed(["export"])
        #expect(export.split(separator: "\n").count == 4)
        let other = ReuniteProcess()
        try other.succeed(["init", "--name", "另一个节点"])
        try other.succeed(["import", "-"], stdin: export)
        for group in ["cases", "found", "matches"] {
            let strip = { (records: Any) throws -> String in
                let kept = (records as? [[String: Any]] ?? []).map { record in
                    record.filter { !["id", "caseId", "foundId", "recordedAt", "origin"].contains($0.key) }
                }
                return String(
                    decoding: try JSONSerialization.data(withJSONObject: kept, options: .sortedKeys), as: UTF8.self)
            }
            #expect(try strip(try other.json(["list", group])) == strip(try reunite.json(["list", group])))
        }
    }

    @Test func csvExportQuotesWhatNeedsQuoting() throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "n"])
        try reunite.succeed(["import", "-"], stdin: Self.backlog)
        let csv = try reunite.succeed(["export", "--format", "csv", "--what", "found"])
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("id,kind,status,sex,place,"))
        #expect(lines[1].contains("\"右手腕有疤, \"\"烫伤\"\"\""))
        #expect(lines[1].contains(",reunited,"))
        let missing = try reunite.run(["export", "--format", "csv"])
        #expect(
            missing.stderr
                == "error: --what: is required with --format csv (cases, found, sightings, matches or reunions)\n")
    }
}

/// Someone edits the SQLite file behind the node's back; `verify` exits non-zero and names the event.
@Suite struct TamperedFileTests {
    @Test func oneFlippedByteInTheFileIsFound() throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "n"])
        let id = try #require(
            try reunite.json([
                "record-found", "--found-on", "2013", "--place", "x", "--sex", "male", "--reported-by", "y", "--marks",
                "MARKER-QQQQ",
            ]) as? [String: Any]
        ).string("id")!
        try reunite.succeed([
            "record-found", "--found-on", "2014", "--place", "z", "--sex", "female", "--reported-by", "y",
        ])
        try reunite.sqlite("PRAGMA wal_checkpoint(TRUNCATE);")
        let path = reunite.data + "/ledger.sqlite"
        var file = try Data(contentsOf: URL(fileURLWithPath: path))
        let marker = Data("MARKER-QQQQ".utf8)
        var flipped = 0
        var searchFrom = file.startIndex
        while let range = file.range(of: marker, in: searchFrom..<file.endIndex) {
            file[range.upperBound - 1] = UInt8(ascii: "R")
            flipped += 1
            searchFrom = range.upperBound
        }
        #expect(flipped >= 1)
        try file.write(to: URL(fileURLWithPath: path))
        let outcome = try reunite.run(["verify"])
        #expect(outcome.status != 0)
        #expect(outcome.stdout.contains("event \(id.prefix(12))"))
    }

    @Test func aRowDeletedWithTheTriggersDroppedIsFound() throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "n"])
        for year in ["2011", "2012", "2013"] {
            try reunite.succeed([
                "record-found", "--found-on", year, "--place", "x", "--sex", "male", "--reported-by", "y",
            ])
        }
        let deleted = try #require(try reunite.json(["log"]) as? [[String: Any]])[1].string("id")!
        try reunite.sqlite("DROP TRIGGER event_is_append_only_delete; DELETE FROM event WHERE seq = 2;")
        let outcome = try reunite.run(["verify", "--json"])
        #expect(outcome.status != 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(report["ok"] as? Bool == false)
        let problems = report["problems"] as? [String] ?? []
        #expect(problems.contains("record \(deleted.prefix(12)): its creating event is not in the log"))
    }
}

@Suite struct ConcurrencyTests {
    /// Two clerks at one node record at the same moment: every event lands, the chain has no
    /// gap or fork, and the ledger verifies.
    @Test func twoProcessesRecordingAtOnceKeepOneChain() async throws {
        let reunite = ReuniteProcess()
        try reunite.succeed(["init", "--name", "n"])
        let perClerk = 15
        try await withThrowingTaskGroup(of: Void.self) { group in
            for clerk in 0..<2 {
                group.addTask {
                    for n in 0..<perClerk {
                        try reunite.succeed([
                            "record-found", "--found-on", "2020", "--place", "窗口\(clerk)", "--sex", "female",
                            "--reported-by", "clerk \(clerk)", "--name", "第\(n)号",
                        ])
                    }
                }
            }
            try await group.waitForAll()
        }
        let log = try #require(try reunite.json(["log"]) as? [[String: Any]])
        #expect(log.compactMap { $0["seq"] as? Int } == Array(1...(2 * perClerk)))
        #expect(try #require(try reunite.json(["verify"]) as? [String: Any])["ok"] as? Bool == true)
    }
}
