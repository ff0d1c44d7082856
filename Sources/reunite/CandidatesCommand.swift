import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore
import Matching
import NodeReading
import StaffWeb

struct Candidates: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "candidates",
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
    @Argument(
        help: ArgumentHelp(
            "An abduction case or a found child: its id, or 8 or more of its first characters. Several may be given: the records are read once for all, and each is answered in turn. - reads ids from standard input, one a line (or separated by spaces), for a script asking about thousands.",
            valueName: "ID"))
    var ids: [String] = []
    @Option(parsing: .unconditional, help: "How many candidates to list.") var limit = 10
    @Flag(
        help:
            "Print an array of {\"id\", \"score\", \"reasons\"}, best first; for several IDs, or -, an array of {\"id\", \"candidates\"}, one for each, in the order given."
    ) var json = false

    func execute() throws {
        // Thousands of ids as arguments take the argument parser seconds (its time grows with
        // their number squared); read from standard input they take none. Ids from standard input
        // are answered as several however many come, so that a script's output keeps one shape
        // on the day only one child is open.
        let fromInput = ids.contains("-")
        let ids = try ids.flatMap { $0 == "-" ? try Self.idsFromStandardInput() : [$0] }
        guard !ids.isEmpty else {
            throw LedgerError(.invalidValue, field: "ID", "give the id of an abduction case or a found child")
        }
        guard limit > 0 else {
            throw LedgerError(.invalidValue, field: "--limit", "\(limit) is not a positive number of candidates")
        }
        let opened = try node.openNode()
        let store = opened.store
        // Every id is found before any work, so a wrong one stops the command with nothing printed.
        let records = try ids.map { try store.record(named: $0, field: "ID") }
        let lists = try MatchingData.candidates(
            for: records, limit: limit, field: "ID", store: store, keptIn: opened.directory
        ) { Console.keepUntilExit($0) }
        let several = records.count > 1 || fromInput
        switch (json, several) {
        case (true, false):
            Console.printJSON(.array(lists[0].map(\.json)))
        case (true, true):
            Console.printJSON(
                .array(
                    zip(records, lists).map { record, listed in
                        .object([("id", .string(record.id.hex)), ("candidates", .array(listed.map(\.json)))])
                    }))
        case (false, false):
            try printList(lists[0], of: records[0], store)
        case (false, true):
            for (record, listed) in zip(records, lists) {
                print("== \(record.id.short)  \(Words(.en).summary(of: record))")
                try printList(listed, of: record, store)
            }
        }
    }

    private static func idsFromStandardInput() throws -> [String] {
        let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let ids = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !ids.isEmpty else {
            throw LedgerError(.invalidValue, field: "ID", "standard input (-) held no ids: give one a line")
        }
        return ids
    }

    private func printList(_ listed: [ListedCandidate], of record: Record, _ store: LedgerStore) throws {
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
