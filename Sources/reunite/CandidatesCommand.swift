import ArgumentParser
import LedgerCore
import LedgerStore
import Matching
import NodeReading
import StaffWeb

struct Candidates: NodeCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "The found children most likely to be a case's child, or the cases most likely to be a found child's.",
        discussion: """
            The score is log10 of the combined likelihood ratio: 4 means the evidence is 10,000 times likelier \
            if the pair is one child than if not. The chance weighs that against every record of the other side \
            the node holds (a pair scoring 4 among 100,000 cases is a weak lead), assuming half of all found \
            children have a case here. Each reason says what it rests on. A DNA result is a lead \
            for a laboratory to confirm, never a decision. Rejected pairs are never proposed; confirmed \
            ones are listed first, as such.
            """)

    @OptionGroup var node: NodeOptions
    @Argument(help: "An abduction case or a found child: its id, or 8 or more of its first characters.") var id: String
    @Option(help: "How many candidates to list.") var limit = 10
    @Flag(help: "Print an array of {\"id\", \"score\", \"reasons\"}, best first.") var json = false

    func execute() throws {
        guard limit > 0 else {
            throw LedgerError(.invalidValue, field: "--limit", "\(limit) is not a positive number of candidates")
        }
        let store = try node.openNode().store
        let record = try store.record(named: id, field: "ID")
        let listed = try MatchingData(store: store).candidates(for: record, limit: limit, field: "ID")
        if json {
            Console.printJSON(.array(listed.map(\.json)))
            return
        }
        if listed.isEmpty {
            print(record.retracted ? "\(record.id.short) is retracted: no candidates" : "no candidates")
            return
        }
        for (rank, candidate) in listed.enumerated() {
            let decision = candidate.decision.map { " (\($0) match)" } ?? ""
            let chance = candidate.chance.map { "  chance \($0)" } ?? ""
            print("\(rank + 1). \(candidate.id.short)  score \(Console.decimal(candidate.score))\(chance)\(decision)")
            if let other = try store.record(candidate.id) { print("     " + Words(.en).summary(of: other)) }
            for reason in candidate.reasons { print("     - \(reason)") }
        }
    }
}
