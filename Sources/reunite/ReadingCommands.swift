import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore
import Matching
import NodeReading

extension RecordGroup: ExpressibleByArgument {}

struct List: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List cases, found children, sightings, matches or reunions.")

    @OptionGroup var node: NodeOptions
    @Argument(help: "cases, found, sightings, matches or reunions.") var group: RecordGroup
    @Option(
        parsing: .unconditional,
        help:
            "Only records with this status (open, matched, reunited, confirmed, rejected, disputed, retracted, recorded)."
    )
    var status: String?
    @Flag(help: "Print an array of records with id, kind, status and current fields.") var json = false

    func execute() throws {
        let wanted = try status.map { try RecordStatus(parsing: $0, field: "--status") }
        let store = try node.openNode().store
        let board = try store.statusBoard()
        let shared = group == .cases || group == .found ? try MatchingData.sharedCertificates(store) : [:]
        // Read a part at a time: a group of hundreds of thousands is never held whole, only the
        // cells of the table for people, which is laid out once all are read.
        func eachListed(_ body: (Record, RecordStatus) -> Void) throws {
            try store.forEachRecord(in: group) { record in
                let status = board.status(of: record)
                if wanted == nil || status == wanted { body(record, status) }
            }
        }
        if json {
            var array = Console.JSONArray()
            try eachListed { record, status in
                array.print(record.json(status: status, sharedCertificate: shared[record.id]))
            }
            array.finish()
            return
        }
        let (header, columns) = Self.columns(group)
        var rows: [[String]] = []
        var flagged = 0
        try eachListed { record, status in
            rows.append([record.id.short, status.rawValue] + columns(record))
            if shared[record.id] != nil { flagged += 1 }
        }
        Console.printTable(header, rows)
        if flagged > 0 {
            print(
                "\nwarning: \(flagged) of these share a birth certificate serial with another record (see reunite show)"
            )
        }
    }

    static func columns(_ group: RecordGroup) -> ([String], (Record) -> [String]) {
        switch group {
        case .cases:
            (
                ["ID", "STATUS", "CHILD", "SEX", "BORN", "MISSING SINCE", "PLACE"],
                { [$0.text(.childName), $0.text(.sex), $0.text(.born), $0.text(.missingSince), $0.text(.place)] }
            )
        case .found:
            (
                ["ID", "STATUS", "NAME", "SEX", "AGE (MONTHS)", "FOUND ON", "PLACE"],
                { [$0.text(.name), $0.text(.sex), $0.text(.ageMonths), $0.text(.foundOn), $0.text(.place)] }
            )
        case .sightings:
            (
                ["ID", "STATUS", "SEEN ON", "PLACE", "CASE", "DESCRIPTION"],
                { [$0.text(.seenOn), $0.text(.place), $0.shortID(.caseId), $0.text(.description)] }
            )
        case .matches:
            (
                ["ID", "STATUS", "CASE", "FOUND", "BY", "EVIDENCE"],
                { [$0.shortID(.caseId), $0.shortID(.foundId), $0.text(.decidedBy), $0.text(.evidence)] }
            )
        case .reunions:
            (
                ["ID", "STATUS", "CASE", "FOUND", "ON", "PLACE"],
                { [$0.shortID(.caseId), $0.shortID(.foundId), $0.text(.on), $0.text(.place)] }
            )
        }
    }
}

struct Show: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one record: its current fields and its whole history.")

    @OptionGroup var node: NodeOptions
    @Argument(help: "The record's id, or 8 or more of its first characters.") var id: String
    @Flag(help: "Print the record with a \"history\" array of its events.") var json = false

    func execute() throws {
        let store = try node.openNode().store
        let record = try store.record(named: id, field: "ID")
        if json {
            Console.printJSON(try store.document(of: record))
            return
        }
        let status = try store.statusBoard().status(of: record)
        let history = try store.history(of: record)
        let shared = try MatchingData.sharedCertificate(store, of: record)
        print("\(record.kind.name) \(record.id.hex)")
        var rows = [["status", status.rawValue]]
        rows += record.fields.sorted.map { [$0.field.name, $0.value.displayText] }
        rows.append(["recorded", "\(record.createdAt) by node \(record.origin.hex.prefix(12))"])
        Console.printTable(["", ""], rows, maxWidth: 100)
        for other in shared ?? [] {
            print(
                "\nwarning: the same birth certificate serial is recorded for \(other.short): "
                    + "one child recorded twice, or a forged certificate")
        }
        print("\nhistory")
        Console.printTable(
            ["WHEN", "EVENT", "KIND", "NODE", "WHAT"],
            history.map { signed in
                let event = signed.event
                return [
                    event.clock.description, event.id.short, event.kind.name, String(event.origin.hex.prefix(12)),
                    event.summary,
                ]
            }, maxWidth: 80)
    }
}

struct Log: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print the raw events in the order this node stored them.")

    @OptionGroup var node: NodeOptions
    @Flag(help: "Print an array of {id, origin, seq, kind, clock, ...fields}.") var json = false

    func execute() throws {
        let store = try node.openNode().store
        // Kept but flagged: stamped further ahead of this node's clock than sync tolerates.
        let ahead = try store.eventsFromTheFuture()
        if json {
            var array = Console.JSONArray()
            try store.forEachEvent { signed in
                guard ahead.contains(signed.event.id), case .object(let members) = signed.event.json else {
                    return array.print(signed.event.json)
                }
                array.print(.object(members + [("clockAhead", .bool(true))]))
            }
            array.finish()
            return
        }
        var table: Console.Columns?
        try store.forEachEvent(measuredBy: { extent in
            let widths = [
                12, String(extent.largestSeq).count, extent.latestClock?.description.count ?? 0,
                extent.kinds.map(\.name.count).max() ?? 0, 12, 12,
            ]
            table = Console.Columns(["ORIGIN", "SEQ", "WHEN", "KIND", "ID", "RECORD"], widths: widths)
        }) { signed in
            let e = signed.event
            table?.print([
                String(e.origin.hex.prefix(12)), String(e.seq), e.clock.description, e.kind.name, e.id.short,
                e.record.short,
            ])
        }
        table?.finish()
    }
}

struct Verify: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every signature and hash link, and that the read models equal a fresh fold of the log.",
        discussion:
            "Exits 1 when anything fails. The digest is equal on two nodes exactly when they hold the same events.")

    @OptionGroup var node: NodeOptions
    @Flag(help: "Print {\"ok\", \"events\", \"origins\", \"digest\", \"problems\"}.") var json = false

    func execute() throws {
        let result = try node.openNode().store.verify()
        if json {
            Console.printJSON(
                .object([
                    ("ok", .bool(result.ok)), ("events", .number(Double(result.events))),
                    ("origins", .number(Double(result.origins))), ("digest", .string(result.digest)),
                    ("problems", .array(result.problems.map { .string($0) })),
                ]))
        } else if result.ok {
            print("ok: \(result.events) events from \(result.origins) origins, digest \(result.digest)")
        } else {
            for problem in result.problems { print("FAILED: \(problem)") }
            print("\(result.problems.count) problems in \(result.events) events from \(result.origins) origins")
        }
        if !result.ok { throw ExitCode(1) }
    }
}

struct Rebuild: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Recompute the read models from the event log (they are a cache; the log is the truth).")

    @OptionGroup var node: NodeOptions

    func execute() throws {
        let count = try node.openNode().store.rebuild()
        print("rebuilt \(count) records")
    }
}
