import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

struct Import: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record many events from a JSON Lines file, all or nothing.",
        discussion: """
            One draft a line: {"kind": "childFound", "foundOn": "2012-03-02", ...}. caseId, foundId and \
            target may be "#N", the record created by line N of the same file. One bad line rejects \
            the whole file, naming its line number.
            """)

    @OptionGroup var node: NodeOptions
    @Argument(help: "The file, or - for standard input.") var file: String
    @Flag(help: "Print {\"imported\": N}.") var json = false

    func execute() throws {
        let data: Data?
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: file)
        }
        guard let data else { throw LedgerError(.invalidValue, field: "FILE", "cannot read \(file)") }
        // Notepad and Excel begin UTF-8 with a byte order mark, which is no part of the first line.
        let bytes = [UInt8](data)
        let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        // Cut into lines as bytes, each line read as text on its own core: cutting a 30 MB
        // String by Character took a tenth of an import, and never cut at "\r\n", which is one
        // Character.
        var lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
        // Blank lines an editor left at the end number no draft; one amid the drafts is refused.
        while let last = lines.last, last.allSatisfy({ [0x20, 0x09, 0x0D].contains($0) }) { lines.removeLast() }
        let opened = try node.openNode()
        let drafts = try Parallel.map(lines) { line in Result { try Self.draft(line) } }
            .enumerated().map { index, parsed in
                do {
                    return try parsed.get()
                } catch var error as LedgerError {
                    error.line = index + 1
                    throw error
                }
            }
        guard !drafts.isEmpty else { throw LedgerError(.invalidValue, field: "FILE", "\(file) has no lines") }
        try opened.store.append(
            drafts, signedBy: opened.key, nowMilliseconds: Clock.nowMilliseconds(), numberLines: true)
        if json {
            Console.printJSON(.object([("imported", .number(Double(drafts.count)))]))
        } else {
            print("imported \(drafts.count) events")
        }
    }

    private static func draft(_ bytes: ArraySlice<UInt8>) throws -> EventDraft {
        guard let line = String(validating: bytes, as: UTF8.self) else {
            throw LedgerError(.invalidJSON, "is not UTF-8 text")
        }
        let trimmed = line.hasSuffix("\r") ? String(line.dropLast()) : line
        guard !trimmed.allSatisfy(\.isWhitespace) else {
            throw LedgerError(.invalidJSON, "is empty; each line is one JSON object")
        }
        return try EventDraft(importLine: try JSONValue(parsing: trimmed))
    }
}

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, csv
}

struct Export: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write events as importable JSON Lines, or a read model as CSV.",
        discussion: """
            jsonl: every event in stored order, references to records exported earlier written as #N, \
            so that `reunite import` on another node records the same history. csv: the records of one \
            group (--what) with their current fields, for spreadsheets.
            """)

    @OptionGroup var node: NodeOptions
    @Option(parsing: .unconditional) var format: ExportFormat = .jsonl
    @Option(parsing: .unconditional, help: "cases, found, sightings, matches or reunions (required with --format csv).")
    var what: RecordGroup?

    func execute() throws {
        let store = try node.openNode().store
        switch format {
        case .jsonl:
            var lineOfRecord: [EventID: Int] = [:]
            var lineNumber = 0
            var out = Console.Output()
            try store.forEachEvent(ofRecordsOf: what?.kinds) { signed in
                let event = signed.event
                var members: [(String, JSONValue)] = [("kind", .string(event.kind.name))]
                for (field, value) in event.fields.sorted {
                    if case .record(let id) = value, let line = lineOfRecord[id] {
                        members.append((field.name, .string("#\(line)")))
                    } else {
                        members.append((field.name, value.json))
                    }
                }
                out.write(JSONValue.object(members).jsonText + "\n")
                lineNumber += 1
                if event.kind.createsRecord { lineOfRecord[event.id] = lineNumber }
            }
            out.flush()
        case .csv:
            guard let what else {
                throw LedgerError(
                    .missingField, field: "--what",
                    "is required with --format csv (cases, found, sightings, matches or reunions)")
            }
            let board = try store.statusBoard()
            var fields: [Field] = []
            for kind in what.kinds {
                for (field, _) in kind.schema where !fields.contains(field) { fields.append(field) }
            }
            var out = Console.Output()
            out.write(
                (["id", "kind", "status"] + fields.map(\.name) + ["recordedAt"]).map(Self.cell).joined(separator: ",")
                    + "\r\n")
            try store.forEachRecord(in: what) { record in
                let row =
                    [record.id.hex, record.kind.name, board.status(of: record).rawValue]
                    + fields.map { record.fields[$0]?.displayText ?? "" } + [record.createdAt.description]
                out.write(row.map(Self.cell).joined(separator: ",") + "\r\n")
            }
            out.flush()
        }
    }

    /// RFC 4180: quote a cell that holds a comma, quote or line break.
    static func cell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
