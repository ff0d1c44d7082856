import Foundation
import Testing

/// `reunite candidates` run as a separate process against a real ledger.
@Suite struct CandidatesTests {
    struct Story {
        let reunite = ReuniteProcess()
        var cases: [String: String] = [:]
        var found: [String: String] = [:]

        func id(_ arguments: [String]) throws -> String {
            try #require(try reunite.json(arguments) as? [String: Any]).string("id")!
        }

        func candidates(_ id: String, _ extra: [String] = []) throws -> [[String: Any]] {
            try #require(try reunite.json(["candidates", id] + extra) as? [[String: Any]])
        }
    }

    /// Two cases and two found children: 王浩 (scar on the right knee, parents' DNA) was found in
    /// Shandong; 陈杰 is another boy; a girl was found too.
    func story() throws -> Story {
        var story = Story()
        let r = story.reunite
        try r.succeed(["init", "--name", "宝贝回家志愿者协会"])
        let parents = try r.writeFile(
            "parents.json",
            #"{"mother": {"D3S1358": [15, 16], "vWA": [14, 17], "FGA": [22, 23], "TH01": [7, 9], "D8S1179": [13, 15], "D21S11": [29, 30], "D18S51": [13, 14], "D5S818": [11, 12], "D13S317": [8, 11], "D7S820": [11, 12], "D16S539": [9, 11], "CSF1PO": [10, 12], "Penta E": [11, 15], "Penta D": [9, 12], "D2S1338": [19, 23], "D19S433": [13, 14], "D12S391": [18, 19], "D6S1043": [12, 18], "TPOX": [8, 11]}, "father": {"D3S1358": [17, 18], "vWA": [16, 18], "FGA": [21, 24], "TH01": [6, 9], "D8S1179": [10, 14], "D21S11": [31.2, 32.2], "D18S51": [15, 16], "D5S818": [10, 13], "D13S317": [9, 12], "D7S820": [8, 10], "D16S539": [12, 13], "CSF1PO": [11, 12], "Penta E": [12, 17], "Penta D": [10, 13], "D2S1338": [18, 24], "D19S433": [14.2, 15.2], "D12S391": [20, 21], "D6S1043": [13, 19], "TPOX": [8, 9]}}"#
        )
        let child = try r.writeFile(
            "child.json",
            #"{"D3S1358": [15, 17], "vWA": [14, 18], "FGA": [22, 24], "TH01": [7, 9], "D8S1179": [13, 14], "D21S11": [29, 32.2], "D18S51": [13, 16], "D5S818": [10, 11], "D13S317": [8, 9], "D7S820": [10, 11], "D16S539": [9, 12], "CSF1PO": [11, 12], "Penta E": [15, 17], "Penta D": [9, 10], "D2S1338": [18, 19], "D19S433": [13, 15.2], "D12S391": [18, 21], "D6S1043": [13, 18], "TPOX": [8, 8]}"#
        )
        story.cases["wang"] = try story.id([
            "report-abduction", "--child-name", "王浩", "--sex", "male", "--born", "2010-06", "--missing-since",
            "2013-02-01", "--place", "四川省成都市", "--lat", "30.66", "--lon", "104.06", "--marks", "右膝盖有疤",
            "--reporter", "王建国", "--dna", parents,
        ])
        story.cases["chen"] = try story.id([
            "report-abduction", "--child-name", "陈杰", "--sex", "male", "--born", "2010", "--missing-since", "2013-06",
            "--place", "贵州省毕节市", "--reporter", "陈", "--birth-certificate", "N510987654 毕节市人民医院",
        ])
        story.found["boy"] = try story.id([
            "record-found", "--found-on", "2016-05-10", "--place", "山东省临沂市", "--lat", "35.1", "--lon", "118.35",
            "--sex", "male", "--name", "Wang Hao", "--age-months", "71", "--marks", "scar on right knee",
            "--reported-by", "临沂市儿童福利院", "--dna", child,
        ])
        story.found["girl"] = try story.id([
            "record-found", "--found-on", "2016-05", "--place", "山东省临沂市", "--sex", "female", "--age-months", "70",
            "--reported-by", "临沂市儿童福利院", "--birth-certificate", "N510987654",
        ])
        return story
    }

    @Test func listsTheMostLikelyCaseFirstWithReasonsInWords() throws {
        let story = try story()
        let list = try story.candidates(story.found["boy"]!)
        #expect(list.map { $0.string("id") } == [story.cases["wang"], story.cases["chen"]])
        let best = try #require(list.first)
        let reasons = try #require(best["reasons"] as? [String])
        #expect(reasons.first?.hasPrefix("DNA: parent-child likelihood ratio") == true)
        #expect(reasons.first?.contains("over 19 loci, mother and father") == true)
        #expect(
            reasons.first?.contains("GB/T 37223-2018 would support parentage: a lead for a laboratory to confirm")
                == true)
        #expect(reasons.contains { $0.hasPrefix("marks: scar right knee ~ 右膝盖有疤") })
        #expect(reasons.contains { $0.hasPrefix("names: Wang Hao ~ 王浩") })
        #expect(reasons.contains { $0.contains("km from where last seen, 39 months after") })
        let scores = list.compactMap { $0["score"] as? Double }
        #expect(scores.count == 2 && scores[0] > 4 && scores[0] > scores[1])
        // Two cases and one with both parents' DNA agreeing: almost surely this child.
        #expect((best["probability"] as? Double ?? 0) > 0.99)
        let dna = try #require(best["dna"] as? [String: Any])
        #expect(dna.string("decision") == "supportsParentage")
        // The girl is never proposed for a boy's case, and the other way round.
        let forCase = try story.candidates(story.cases["wang"]!)
        #expect(forCase.map { $0.string("id") } == [story.found["boy"]])
        let text = try story.reunite.succeed(["candidates", String(story.found["boy"]!.prefix(10))])
        #expect(text.hasPrefix("1. \(story.cases["wang"]!.prefix(12))  score "))
        #expect(text.components(separatedBy: "\n")[0].hasSuffix("  chance >99 %"))
        #expect(text.contains("王浩 · male · born 2010-06 · missing since 2013-02-01 · 四川省成都市"))
        // Each candidate is summed up in the words of the staff pages (in English).
        let fromCase = try story.reunite.succeed(["candidates", String(story.cases["wang"]!.prefix(10))])
        #expect(fromCase.contains("Wang Hao · male · about 5 y 11 m · found on 2016-05-10 · 山东省临沂市"))
    }

    @Test func rejectedPairsDropOutAndConfirmedOnesAreShownAsSuch() throws {
        let story = try story()
        let r = story.reunite
        // Asked before, the node's prepared file is made; asked after, it is brought up to date
        // and read where it lies. The pair drops out either way.
        let before = try story.candidates(story.found["boy"]!).map { $0.string("id") }
        #expect(before == [story.cases["wang"], story.cases["chen"]])
        try r.succeed([
            "reject-match", "--case", story.cases["chen"]!, "--found", story.found["boy"]!, "--by", "志愿者",
        ])
        #expect(try story.candidates(story.found["boy"]!).map { $0.string("id") } == [story.cases["wang"]])
        try FileManager.default.removeItem(atPath: r.data + "/matching.cache")
        #expect(try story.candidates(story.found["boy"]!).map { $0.string("id") } == [story.cases["wang"]])
        try r.succeed([
            "confirm-match", "--case", story.cases["wang"]!, "--found", story.found["boy"]!, "--evidence", "dna",
            "--by", "王护士",
        ])
        let confirmed = try story.candidates(story.cases["wang"]!)
        #expect(confirmed.first?.string("match") == "confirmed")
        #expect((confirmed.first?["reasons"] as? [String])?.first == "confirmed match")
        // Staff decided the pair: no chance is given for it.
        #expect(confirmed.first?["probability"] == nil)
    }

    @Test func aCandidateAlreadyConfirmedForAnotherChildSaysSo() throws {
        var story = try story()
        let r = story.reunite
        let (wang, boy) = (story.cases["wang"]!, story.found["boy"]!)
        story.found["another"] = try story.id([
            "record-found", "--found-on", "2016-06", "--place", "四川省成都市", "--sex", "male", "--age-months", "72",
            "--reported-by", "成都市儿童福利院",
        ])
        let another = story.found["another"]!
        func firstReasons(of candidate: String) throws -> [String] {
            let listed = try story.candidates(another).first { $0.string("id") == candidate }
            return try #require(listed?["reasons"] as? [String])
        }
        #expect(try firstReasons(of: wang).first?.hasPrefix("already") == false)
        try r.succeed(["confirm-match", "--case", wang, "--found", boy, "--evidence", "dna", "--by", "王护士"])
        #expect(
            try firstReasons(of: wang).first
                == "already confirmed as the same child as \(boy.prefix(12)): if this is the child, one of the matches is wrong"
        )
        // Said, not scored: the pair keeps its place and its evidence.
        #expect(try firstReasons(of: wang).count >= 2)
        try r.succeed(["record-reunion", "--case", wang, "--found", boy, "--on", "2016-07-01"])
        #expect(
            try firstReasons(of: wang).first
                == "already reunited (with \(boy.prefix(12))): if this is the child, a decision recorded was wrong")
        // The confirmed pair itself is a decision, never marked as decided elsewhere.
        #expect((try story.candidates(wang).first?["reasons"] as? [String])?.first == "confirmed match")
    }

    @Test func severalRecordsAreAnsweredInOneProcess() throws {
        let story = try story()
        let r = story.reunite
        let (boy, wang) = (story.found["boy"]!, story.cases["wang"]!)
        let both = try #require(try r.json(["candidates", boy, wang]) as? [[String: Any]])
        #expect(both.map { $0.string("id") } == [boy, wang])
        // Each list is the one the record gets when asked alone.
        for (entry, id) in zip(both, [boy, wang]) {
            let together = try #require(entry["candidates"] as? [[String: Any]])
            let alone = try story.candidates(id)
            #expect(together.map { $0.string("id") } == alone.map { $0.string("id") })
            #expect(together.map { $0["reasons"] as? [String] ?? [] } == alone.map { $0["reasons"] as? [String] ?? [] })
        }
        // "-" reads the ids from standard input, as a script asking about thousands gives them.
        let fromInput = try #require(
            try r.json(["candidates", "-"], stdin: "\(boy)\n\(wang.prefix(10))\n") as? [[String: Any]])
        #expect(fromInput.map { $0.string("id") } == [boy, wang])
        #expect(
            fromInput.map { ($0["candidates"] as? [[String: Any]] ?? []).map { $0.string("id") } }
                == both.map { ($0["candidates"] as? [[String: Any]] ?? []).map { $0.string("id") } })
        // One id from standard input is answered in the same shape, as a script reads it.
        let one = try #require(try r.json(["candidates", "-"], stdin: boy) as? [[String: Any]])
        #expect(one.map { $0.string("id") } == [boy])
        let text = try r.succeed(["candidates", String(boy.prefix(10)), String(wang.prefix(10))])
        #expect(text.hasPrefix("== \(boy.prefix(12))  Wang Hao"))
        #expect(text.contains("\n== \(wang.prefix(12))  王浩"))
        // One id that is wrong, or no case or found child, stops it before anything is printed.
        let decision = try story.id(["reject-match", "--case", story.cases["chen"]!, "--found", boy, "--by", "x"])
        for (arguments, message) in [
            (["candidates"], "error: ID: give the id of an abduction case or a found child"),
            (["candidates", boy, "zzzzzzzz"], "error: ID:"),
            (["candidates", "-"], "error: ID: standard input (-) held no ids: give one a line"),
            (
                ["candidates", boy, decision],
                "error: ID: \(decision.prefix(12)) is a matchRejected, not an abduction case or a found child"
            ),
        ] {
            let result = try r.run(arguments)
            #expect(result.status != 0)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
        }
    }

    @Test func correctionsAndRetractionsChangeCandidatesAtOnce() throws {
        let story = try story()
        let r = story.reunite
        let boy = story.found["boy"]!
        try r.succeed(["correct", boy, "--set", "sex=female", "--reason", "录入错误"])
        // Only the DNA keeps the case in the list, flagged for a recording error.
        let afterCorrection = try story.candidates(boy)
        #expect(afterCorrection.map { $0.string("id") } == [story.cases["wang"]])
        #expect(
            (afterCorrection.first?["reasons"] as? [String])?.contains(
                "sex differs: check both records for a recording error") == true)
        try r.succeed(["correct", boy, "--set", "sex=male", "--reason", "改回"])
        #expect(try story.candidates(boy).count == 2)
        try r.succeed(["retract", story.cases["wang"]!, "--reason", "重复登记"])
        #expect(try story.candidates(boy).map { $0.string("id") } == [story.cases["chen"]])
        #expect(try story.candidates(story.cases["wang"]!).isEmpty)
    }

    /// A `candidates` process keeps what describing the records gave in the node's folder
    /// (matching.cache) for the next: what that one answers is what a process describing every
    /// record answers, after a correction and a retraction too; a damaged file, or another
    /// node's, is not read.
    @Test func recordsKeptPreparedAnswerAsRecordsReadAfresh() throws {
        let story = try story()
        let r = story.reunite
        let cache = r.data + "/matching.cache"
        let boy = story.found["boy"]!
        func answer() throws -> String { try r.succeed(["candidates", boy, "--json"]) }
        func fresh() throws -> String {
            try FileManager.default.removeItem(atPath: cache)
            return try answer()
        }
        func sorted(_ json: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
        }
        // Asked among more records than are read in place (9), as every record read back.
        func amongMany() throws -> String {
            let input = Array(repeating: boy, count: 9).joined(separator: "\n")
            let lists = try #require(try r.json(["candidates", "-", "--json"], stdin: input) as? [[String: Any]])
            return try sorted(lists[0]["candidates"] ?? [])
        }
        #expect(!FileManager.default.fileExists(atPath: cache))
        let first = try answer()
        let mode = try FileManager.default.attributesOfItem(atPath: cache)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try answer() == first)

        try r.succeed(["correct", story.cases["wang"]!, "--set", "marks=左脸有痣", "--reason", "家属补充"])
        // The file, made before the correction, answers with the case as corrected beside it.
        let correctedAmongMany = try amongMany()
        let corrected = try answer()
        #expect(try sorted(JSONSerialization.jsonObject(with: Data(corrected.utf8))) == correctedAmongMany)
        #expect(corrected != first && !corrected.contains("右膝盖有疤"))
        #expect(try fresh() == corrected)

        try r.succeed(["retract", story.cases["chen"]!, "--reason", "重复登记"])
        let retracted = try answer()
        #expect(!retracted.contains(story.cases["chen"]!))
        #expect(try fresh() == retracted)

        // A byte of its structure changed (the last, its sum): the file is not read, and is
        // written again whole.
        var damaged = [UInt8](try #require(FileManager.default.contents(atPath: cache)))
        damaged[damaged.count - 1] ^= 0x55
        try Data(damaged).write(to: URL(fileURLWithPath: cache))
        // A file a killed process left half written is removed when the file is next written;
        // one of a process still running (this one) is left to it.
        let leftover = cache + ".2147483646.new"
        let running = cache + ".\(getpid()).new"
        for path in [leftover, running] {
            #expect(FileManager.default.createFile(atPath: path, contents: Data(damaged.prefix(100))))
        }
        #expect(try answer() == retracted)
        #expect([UInt8](try #require(FileManager.default.contents(atPath: cache))) != damaged)
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(FileManager.default.fileExists(atPath: running))
        try FileManager.default.removeItem(atPath: running)

        // Another node's file, made at the same number of events from other records.
        var other = Story()
        try other.reunite.succeed(["init", "--name", "另一个节点"])
        let others = try (0..<6).map { n in
            try other.id([
                "report-abduction", "--child-name", "赵\(n)", "--sex", "male", "--born", "2010", "--missing-since",
                "2013", "--place", "广东深圳", "--reporter", "赵",
            ])
        }
        #expect(try other.candidates(others[0]).isEmpty)
        other.cases = [:]
        try FileManager.default.removeItem(atPath: cache)
        try FileManager.default.copyItem(atPath: other.reunite.data + "/matching.cache", toPath: cache)
        #expect(try answer() == retracted)
    }

    /// Cases and found children recorded, corrected or retracted after the prepared file was
    /// made count at once, from the file and the few records changed since, held beside it: the
    /// file is not written again for them, and answers as a file made anew. More than 50 records
    /// changed since, and it is.
    @Test func recordsChangedSinceThePreparedFileAreHeldBesideIt() throws {
        let story = try story()
        let r = story.reunite
        let cache = URL(fileURLWithPath: r.data + "/matching.cache")
        let (boy, girl, chen) = (story.found["boy"]!, story.found["girl"]!, story.cases["chen"]!)
        _ = try r.succeed(["candidates", boy, "--json"])
        let made = try Data(contentsOf: cache)
        // A boy found who could be 陈杰, a case the girl found could be, and 王浩's marks corrected.
        let another = try story.id([
            "record-found", "--found-on", "2015-03", "--place", "河南省郑州市", "--sex", "male", "--name", "陈杰",
            "--age-months", "58", "--reported-by", "郑州市救助站",
        ])
        let girlsCase = try story.id([
            "report-abduction", "--child-name", "李婷", "--sex", "female", "--born", "2010-07", "--missing-since",
            "2014", "--place", "山东省临沂市", "--reporter", "李",
        ])
        try r.succeed(["correct", story.cases["wang"]!, "--set", "marks=左脸有痣", "--reason", "家属补充"])
        func answers() throws -> [String] {
            try [another, girl, boy].map { try r.succeed(["candidates", $0, "--json"]) }
        }
        func madeAnew() throws -> [String] {
            try FileManager.default.removeItem(at: cache)
            return try answers()
        }
        let beside = try answers()
        #expect(try Data(contentsOf: cache) == made)
        #expect(beside[0].contains(chen) && beside[1].contains(girlsCase))
        #expect(beside[2].contains("1 of the found child's not in the case") && !beside[2].contains("右膝盖有疤"))
        #expect(try madeAnew() == beside)

        let remade = try Data(contentsOf: cache)
        try r.succeed(["retract", chen, "--reason", "重复登记"])
        let retracted = try answers()
        #expect(try Data(contentsOf: cache) == remade)
        #expect(!retracted[0].contains(chen) && !retracted[2].contains(chen))
        #expect(try madeAnew() == retracted)

        let again = try Data(contentsOf: cache)
        let lines = (0..<51).map { n in
            #"{"kind": "childFound", "foundOn": "2016-01", "place": "山东省临沂市", "sex": "male", "reportedBy": "临沂市儿童福利院", "name": "王\#(n)"}"#
        }
        try r.succeed(["import", try r.writeFile("found.jsonl", lines.joined(separator: "\n") + "\n")])
        let many = try answers()
        #expect(try Data(contentsOf: cache) != again)
        #expect(try madeAnew() == many)
    }

    /// A record in the prepared file that is not what was summed (as a disk can change a byte): a
    /// query reading the file in place answers from every record instead, as with no file, and
    /// the file is made anew.
    @Test func aPreparedRecordThatDoesNotReadBackIsAnsweredFromEveryRecord() throws {
        let story = try story()
        let r = story.reunite
        let boy = story.found["boy"]!
        let cache = r.data + "/matching.cache"
        let answer = try r.succeed(["candidates", boy, "--json"])
        // The first case's days missing made to end before they begin (one day later at the
        // start); its sum left as it was.
        let damage = """
            import struct, sys
            b = bytearray(open(sys.argv[1], "rb").read())
            o, n, shift = len(b"reunite prepared records 4\\n"), 0, 0
            while True:
                c = b[o]; o += 1; n |= (c & 0x7F) << shift; shift += 7
                if c < 0x80: break
            o += n + 8 + 32 + 4
            count = struct.unpack_from("<q", b, o)[0]
            first = o + 8 + 8 * (count + 1) + 4 * count
            # After the id: the side, sex, blood group, three profiles, birth date, no estimate.
            assert b[first + 32] == 0 and b[first + 42] == 0 and b[first + 43] & 0x7F < 126
            b[first + 43] += 2
            open(sys.argv[1], "wb").write(b)
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", damage, cache]
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0)
        let damaged = try #require(FileManager.default.contents(atPath: cache))
        #expect(try r.succeed(["candidates", boy, "--json"]) == answer)
        #expect(try #require(FileManager.default.contents(atPath: cache)) != damaged)
    }

    @Test func aBirthCertificateRecordedForTwoChildrenIsFlaggedOnBoth() throws {
        let story = try story()
        let chen = story.cases["chen"]!
        let girl = story.found["girl"]!
        let shown = try #require(try story.reunite.json(["show", chen]) as? [String: Any])
        #expect(shown["sharedBirthCertificate"] as? [String] == [girl])
        let listed = try #require(try story.reunite.json(["list", "found"]) as? [[String: Any]])
        #expect(listed.first { $0.string("id") == girl }?["sharedBirthCertificate"] as? [String] == [chen])
        #expect(listed.first { $0.string("id") == story.found["boy"] }?["sharedBirthCertificate"] == nil)
        #expect(try story.reunite.succeed(["show", girl]).contains("warning: the same birth certificate serial"))

        // The serial typed in full width, as a Chinese input method may, is the same serial.
        let typed = try story.id([
            "record-found", "--found-on", "2016-06", "--place", "福建省莆田市", "--sex", "female", "--reported-by",
            "莆田福利院", "--birth-certificate", "出生医学证明 Ｎ５１０９８７６５４",
        ])
        let again = try #require(try story.reunite.json(["show", chen]) as? [String: Any])
        #expect(again["sharedBirthCertificate"] as? [String] == [girl, typed].sorted())
        #expect(try story.reunite.succeed(["show", typed]).contains("warning: the same birth certificate serial"))
    }

    @Test func badRequestsSayWhatIsWrongAndWriteNothing() throws {
        let story = try story()
        let r = story.reunite
        let before = try r.succeed(["log", "--json"])
        let decision = try story.id([
            "reject-match", "--case", story.cases["chen"]!, "--found", story.found["boy"]!, "--by", "x",
        ])
        let logAfterDecision = try r.succeed(["log", "--json"])
        #expect(logAfterDecision != before)
        for (arguments, message) in [
            (
                ["candidates", decision],
                "error: ID: \(decision.prefix(12)) is a matchRejected, not an abduction case or a found child"
            ),
            (
                ["candidates", story.cases["chen"]!, "--limit", "0"],
                "error: --limit: 0 is not a positive number of candidates"
            ),
            (["candidates", "zzzzzzzz"], "error: ID:"),
        ] {
            let result = try r.run(arguments)
            #expect(result.status != 0)
            #expect(result.stderrLines.count == 1)
            #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
            #expect(try r.succeed(["log", "--json"]) == logAfterDecision)
        }
    }
}
