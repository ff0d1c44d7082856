/// A short-tandem-repeat profile: for each typed locus its two alleles, as repeat numbers
/// in tenths so that microvariants (`9.3`, `32.2`) stay exact. Canonical: loci in byte
/// order of their STRBase names, each pair ascending.
public struct DNAProfile: Hashable, Sendable {
    public struct Genotype: Hashable, Sendable {
        /// Repeat numbers times ten, `first <= second`.
        public let first: UInt32
        public let second: UInt32

        public init(_ a: UInt32, _ b: UInt32) {
            first = min(a, b)
            second = max(a, b)
        }
    }

    public struct Locus: Hashable, Sendable {
        /// The STRBase spelling.
        public let name: String
        public let genotype: Genotype
    }

    /// Loci in canonical order: ascending bytes of their names.
    public let sortedLoci: [Locus]

    public init(loci: [String: Genotype]) {
        sortedLoci = loci.map { Locus(name: $0.key, genotype: $0.value) }
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Loci a decoder has already checked to be known and in canonical order.
    init(canonicallySorted loci: [Locus]) {
        sortedLoci = loci
    }

    public var loci: [String: Genotype] {
        Dictionary(uniqueKeysWithValues: sortedLoci.map { ($0.name, $0.genotype) })
    }

    /// The autosomal STR loci we accept, spelled as in NIST STRBase: the 20 CODIS core loci
    /// and the loci of the kits Chinese laboratories use (Goldeneye, AGCU, Sinofiler, PowerPlex).
    public static let knownLoci: [String] = [
        "CSF1PO", "FGA", "TH01", "TPOX", "vWA", "D3S1358", "D5S818", "D7S820", "D8S1179", "D13S317",
        "D16S539", "D18S51", "D21S11", "D1S1656", "D2S441", "D2S1338", "D10S1248", "D12S391", "D19S433",
        "D22S1045", "D6S1043", "Penta D", "Penta E", "SE33", "D6S477", "D15S659", "D11S2368", "D19S253",
        "D18S535", "D13S325", "D7S3048", "D21S2055", "D17S1301", "D1GATA113", "D10S1435", "D8S1132",
        "D3S3045", "D14S1434", "D5S2500", "D2S1776", "D4S2408", "D9S1122", "D17S974", "D3S4529",
        "D6S474", "D20S482", "D4S2366", "D9S925", "D18S1364", "D12ATA63", "D1S1677", "D11S4463",
    ]

    private static let lociByFoldedName: [String: String] = Dictionary(
        uniqueKeysWithValues: knownLoci.map { (fold($0), $0) } + [(fold("FIBRA"), "FGA")])

    /// The known names in canonical order (ascending bytes), each with its bytes.
    static let knownLociInByteOrder: [(name: String, utf8: [UInt8])] = knownLoci.map { ($0, Array($0.utf8)) }
        .sorted { $0.1.lexicographicallyPrecedes($1.1) }

    /// Lower case without spaces, dots, hyphens, underscores or the HUM of older gene names
    /// (HUMTH01), and the letter O as the digit 0: kit reports print TH01 as THO1.
    private static func fold(_ name: String) -> String {
        var folded = name.lowercased().filter { !" _-.".contains($0) }
        if folded.hasPrefix("hum"), folded.count > 3 { folded.removeFirst(3) }
        return String(folded.map { $0 == "o" ? "0" : $0 })
    }

    /// The STRBase spelling of a locus name typed with any case, spaces, dots or underscores,
    /// or as kit reports print some (THO1, HUMvWA, FIBRA).
    public static func canonicalLocus(_ name: String) -> String? {
        lociByFoldedName[fold(name)]
    }

    /// What to do with a name that is no locus this table compares, for the error.
    static func unknownLocus(_ name: String) -> String {
        let folded = fold(name)
        if ["Amelogenin", "AMEL", "AM"].map(fold).contains(folded) {
            return
                "\"\(name)\" is the sex marker, not an STR locus: leave it out of the profile (sex is a field of its own)"
        }
        if folded.hasPrefix("dys") || folded.hasPrefix("dxs") || folded == "yindel" {
            return "\"\(name)\" is a Y- or X-chromosome marker: only autosomal STR loci are compared, so leave it out"
        }
        return "unknown locus \"\(name)\" (use STRBase names such as D3S1358, vWA, Penta E)"
    }

    /// Reads `{"D3S1358": [15, 16], "D21S11": [30, 32.2], ...}`.
    public init(json: JSONValue) throws {
        guard case .object(let members) = json, !members.isEmpty else {
            throw LedgerError(.invalidValue, "a DNA profile is an object of loci, e.g. {\"D3S1358\": [15, 16]}")
        }
        var loci: [String: Genotype] = [:]
        for (name, alleles) in members {
            guard let locus = Self.canonicalLocus(name) else {
                throw LedgerError(.invalidValue, Self.unknownLocus(name))
            }
            guard loci[locus] == nil else { throw LedgerError(.invalidValue, "locus \(locus) appears twice") }
            guard case .array(let values) = alleles, values.count == 2 else {
                throw LedgerError(
                    .invalidValue, "\(locus) needs two alleles, e.g. [15, 16] ([15, 15] for a homozygote)")
            }
            let tenths = try values.map { try Self.allele($0, locus: locus) }
            loci[locus] = Genotype(tenths[0], tenths[1])
        }
        self.init(loci: loci)
    }

    private static func allele(_ value: JSONValue, locus: String) throws -> UInt32 {
        let number: Double?
        switch value {
        case .number(let n): number = n
        case .string(let s): number = Double(s)
        default: number = nil
        }
        guard let number, number > 0, number <= 100, abs(number * 10 - (number * 10).rounded()) < 1e-6 else {
            throw LedgerError(
                .invalidValue, "\(locus): allele \(value.jsonText) is not a repeat number such as 15 or 9.3")
        }
        return UInt32((number * 10).rounded())
    }

    public var json: JSONValue {
        .object(
            sortedLoci.map {
                ($0.name, .array([Self.alleleJSON($0.genotype.first), Self.alleleJSON($0.genotype.second)]))
            })
    }

    private static func alleleJSON(_ tenths: UInt32) -> JSONValue {
        .number(Double(tenths) / 10)
    }
}
