import Foundation
import LedgerCore
import Testing

@testable import Matching

/// The DNA comparison against Protocol/vectors/kinship.json, which a second implementation
/// (Protocol/vectors/kinship_reference.py) derived from Protocol/MATCHING.md and checks.
@Suite struct KinshipVectorTests {
    struct VectorError: Error, CustomStringConvertible {
        let description: String
    }

    static func vectors() throws -> [JSONValue] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Protocol/vectors/kinship.json").standardized
        let document = try JSONValue(parsing: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        guard case .array(let vectors)? = document["vectors"] else { throw VectorError(description: "no vectors") }
        return vectors
    }

    @Test func everyComparisonComesOutAsTheSecondImplementationSays() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count >= 30)
        for vector in vectors {
            guard case .string(let name)? = vector["name"] else { throw VectorError(description: "unnamed vector") }
            func profile(_ key: String) throws -> DNAProfile? {
                guard let value = vector[key], value != .null else { return nil }
                return try DNAProfile(json: value)
            }
            let child = try #require(try profile("child"), "\(name)")
            let result = Kinship.compare(child: child, mother: try profile("mother"), father: try profile("father"))
            guard let expected = vector["result"], expected != .null else {
                #expect(result == nil, "\(name): nothing to compare")
                continue
            }
            let got = try #require(result, "\(name)")
            guard case .number(let log10Index)? = expected["log10CombinedIndex"],
                case .number(let loci)? = expected["lociCompared"],
                case .array(let inconsistent)? = expected["inconsistentLoci"]
            else { throw VectorError(description: "\(name): a result without its numbers") }
            #expect(abs(got.log10CombinedIndex - log10Index) <= 1e-9, "\(name)")
            #expect(got.lociCompared == Int(loci), "\(name)")
            #expect(got.inconsistentLoci.map { JSONValue.string($0) } == inconsistent, "\(name)")
            #expect(expected["decision"] == .string(got.decision.rawValue), "\(name)")
            #expect(expected["parents"] == .string(got.parents.rawValue), "\(name)")
        }
    }
}
