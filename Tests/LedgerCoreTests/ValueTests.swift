import LedgerCore
import Testing

@Suite struct PartialDateTests {
    @Test(arguments: ["2009", "2009-05", "2009-05-17", "2012-02-29", "2000-02-29"])
    func readsDatesPeopleKnowOnlyInPart(_ text: String) throws {
        #expect(try PartialDate(parsing: text).description == text)
    }

    @Test(arguments: [
        "2019-13-40", "2019-02-29", "1900-02-29", "2009-5", "09", "2009/05", "", "2009-05-", "１９９９", "1899",
    ])
    func refusesWhatIsNotADate(_ text: String) {
        #expect(throws: LedgerError.self) { try PartialDate(parsing: text) }
    }

    @Test func comparesOnlyWhatIsSurelyKnown() throws {
        let year = try PartialDate(parsing: "2011")
        let month = try PartialDate(parsing: "2011-06")
        let later = try PartialDate(parsing: "2012-01-01")
        #expect(!year.isSurelyBefore(month))
        #expect(!month.isSurelyBefore(year))
        #expect(year.isSurelyBefore(later))
        #expect(try PartialDate(parsing: "2011-06-30").isSurelyBefore(PartialDate(parsing: "2011-07")))
    }

    @Test func countsDaysLikeTheCalendar() throws {
        #expect(try PartialDate(parsing: "1970-01-01").earliestDay == 0)
        #expect(try PartialDate(parsing: "2000-03-01").earliestDay == 11_017)
        #expect(try PartialDate(parsing: "2012-02").latestDay - PartialDate(parsing: "2012-02").earliestDay == 28)
    }
}

@Suite struct DNAProfileTests {
    @Test func readsMicrovariantsExactlyAndSpellsLociAsSTRBase() throws {
        let profile = try DNAProfile(
            json: JSONValue(
                parsing: #"{"vwa": [18, 17], "TH01": [9.3, 7], "penta_e": ["12", 20], "D21S11": [30, 32.2]}"#))
        #expect(profile.loci["vWA"] == DNAProfile.Genotype(170, 180))
        #expect(profile.loci["TH01"] == DNAProfile.Genotype(70, 93))
        #expect(profile.loci["Penta E"] == DNAProfile.Genotype(120, 200))
        #expect(profile.loci["D21S11"] == DNAProfile.Genotype(300, 322))
        #expect(profile.sortedLoci.map(\.name) == ["D21S11", "Penta E", "TH01", "vWA"])
    }

    @Test func readsLocusNamesAsKitReportsPrintThem() throws {
        let profile = try DNAProfile(
            json: JSONValue(parsing: #"{"THO1": [7, 9.3], "HUMvWA": [17, 18], "FIBRA": [22, 24], "D8S1179": [13, 14]}"#)
        )
        #expect(profile.sortedLoci.map(\.name) == ["D8S1179", "FGA", "TH01", "vWA"])
        #expect(DNAProfile.canonicalLocus("Penta.D") == "Penta D")
        #expect(DNAProfile.canonicalLocus("tpox") == "TPOX")
    }

    /// Every kit report lists the sex marker, and some Y-STRs: the error says to leave them out.
    @Test func saysToLeaveOutMarkersThatAreNoAutosomalLocus() throws {
        #expect(
            throws: LedgerError(
                .invalidValue,
                "\"Amelogenin\" is the sex marker, not an STR locus: leave it out of the profile (sex is a field of its own)"
            )
        ) {
            try DNAProfile(json: JSONValue(parsing: #"{"D8S1179": [13, 14], "Amelogenin": ["X", "Y"]}"#))
        }
        #expect(
            throws: LedgerError(
                .invalidValue,
                "\"DYS391\" is a Y- or X-chromosome marker: only autosomal STR loci are compared, so leave it out")
        ) {
            try DNAProfile(json: JSONValue(parsing: #"{"DYS391": [10, 10]}"#))
        }
    }

    @Test func refusesAnUnknownLocus() throws {
        #expect(
            throws: LedgerError(
                .invalidValue, "unknown locus \"D99S999\" (use STRBase names such as D3S1358, vWA, Penta E)")
        ) {
            try DNAProfile(json: JSONValue(parsing: #"{"D99S999": [1, 2]}"#))
        }
    }

    @Test(arguments: [
        #"{"TH01": ["X", 7]}"#, #"{"TH01": [7]}"#, #"{"TH01": [7, 8, 9]}"#, #"{"TH01": [9.35, 7]}"#,
        #"{"TH01": [-1, 7]}"#, #"{}"#, #"[1]"#,
    ])
    func refusesWhatIsNotAGenotype(_ json: String) throws {
        let value = try JSONValue(parsing: json)
        #expect(throws: LedgerError.self) { try DNAProfile(json: value) }
    }
}

@Suite struct SmallValueTests {
    @Test func readsBloodTypesWithAndWithoutRh() throws {
        #expect(try BloodType(parsing: "ab-").description == "AB-")
        #expect(try BloodType(parsing: "O").description == "O")
        #expect(throws: LedgerError.self) { try BloodType(parsing: "C+") }
    }

    @Test func theClockNeverRunsBackward() {
        let last = HybridTimestamp(milliseconds: 5_000, counter: 3)
        #expect(
            HybridTimestamp.next(after: last, nowMilliseconds: 4_000)
                == HybridTimestamp(milliseconds: 5_000, counter: 4))
        #expect(
            HybridTimestamp.next(after: last, nowMilliseconds: 6_000)
                == HybridTimestamp(milliseconds: 6_000, counter: 0))
        #expect(HybridTimestamp(milliseconds: 1_764_428_645_123, counter: 0).description == "2025-11-29T15:04:05.123Z")
    }

    @Test func textIsTrimmedAndBounded() throws {
        #expect(try FieldValue(json: "  左脸有痣 \n", for: .marks) == .text("左脸有痣"))
        #expect(throws: LedgerError.self) { try FieldValue(json: "   ", for: .marks) }
        #expect(throws: LedgerError.self) {
            try FieldValue(json: .string(String(repeating: "痣", count: 1400)), for: .marks)
        }
        #expect(throws: LedgerError.self) { try FieldValue(json: "a\u{7}b", for: .marks) }
    }

    @Test func coordinatesKeepSixDecimals() throws {
        let value = try FieldValue(json: "30.6424", for: .lat)
        #expect(value == .microdegrees(30_642_400))
        #expect(value.json == .number(30.6424))
        #expect(throws: LedgerError.self) { try FieldValue(json: 91, for: .lat) }
    }

    /// An age estimated in months is kept to the month, as a height to the tenth: a file that
    /// computes ages from days (40.37 months) is taken, where it was refused whole.
    @Test func monthsAreKeptToTheMonth() throws {
        let kept: [(JSONValue, UInt64)] = [
            (.number(40.37), 40), (.number(40.5), 41), (.string("6.5"), 7), (.number(0.4), 0), (.number(1200.4), 1200),
        ]
        for (given, months) in kept {
            #expect(try FieldValue(json: given, for: .ageMonths) == .months(months), "\(given.jsonText)")
        }
        let refused: [JSONValue] = [.number(-1), .number(1200.6), .string("three"), .string("nan"), .string("inf")]
        for bad in refused {
            #expect(throws: LedgerError.self, "\(bad.jsonText)") { try FieldValue(json: bad, for: .ageMonths) }
        }
        #expect(try FieldValue(json: .number(95.55), for: .heightCm) == .tenths(956))
    }
}

@Suite struct JSONValueTests {
    @Test func readsAndWritesBackUnicodeEscapesAndNesting() throws {
        let value = try JSONValue(parsing: #" {"a": [1, 2.5, -3e2, true, null], "名": "\u674e\n\ud83d\ude00"} "#)
        #expect(value["名"] == .string("李\n😀"))
        #expect(value.jsonText == #"{"a":[1,2.5,-300,true,null],"名":"李\n😀"}"#)
    }

    @Test func escapesOnlyWhatMustBeAndIndentsForPeople() throws {
        let value = JSONValue.object([
            ("plain", .string("王小明 mole")), ("odd", .string("a\"b\\c\t\u{1}")),
            ("list", .array([.number(1), .object([("x", .array([]))])])),
        ])
        #expect(value.jsonText == #"{"plain":"王小明 mole","odd":"a\"b\\c\t\u0001","list":[1,{"x":[]}]}"#)
        #expect(
            value.prettyText == """
                {
                  "plain": "王小明 mole",
                  "odd": "a\\"b\\\\c\\t\\u0001",
                  "list": [
                    1,
                    {
                      "x": []
                    }
                  ]
                }
                """)
        #expect(try JSONValue(parsing: value.prettyText) == value)
    }

    @Test(arguments: [
        #"{"a": 1,}"#, #"{"a": 1} x"#, #"{"a": 1, "a": 2}"#, #"[01]"#, #"[1.]"#, #"[.5]"#, #"[-]"#, #"[1e]"#, #"[+1]"#,
        #""\ud800""#, #"{"a"}"#, "", "\"tab\tin\"",
        "nul",
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: LedgerError.self) { try JSONValue(parsing: text) }
    }

    @Test func refusesDeepNesting() {
        #expect(throws: LedgerError.self) {
            try JSONValue(parsing: String(repeating: "[", count: 100) + String(repeating: "]", count: 100))
        }
    }
}
