import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

/// Options every recording command shares.
struct RecordingOptions: ParsableArguments {
    @OptionGroup var node: NodeOptions
    @Flag(help: "Print {\"id\": ...} with the whole id.") var json = false

    /// Appends one draft made of `values` (JSON field name, text as typed) and prints the new id.
    func record(_ kind: EventKind, _ values: [(String, String?)], dnaFile: String? = nil) throws {
        var members = values.compactMap { name, value in value.map { (name, JSONValue.string($0)) } }
        if let dnaFile { members.append(("dna", try readJSON(dnaFile, option: "--dna"))) }
        let draft = try EventDraft(kind: kind, members: members)
        try append(draft)
    }

    func append(_ draft: EventDraft) throws {
        let opened = try node.openNode()
        let ids = try opened.store.append([draft], signedBy: opened.key, nowMilliseconds: Clock.nowMilliseconds())
        if json {
            Console.printJSON(.object([("id", .string(ids[0].hex))]))
        } else {
            print(ids[0].short)
        }
    }
}

/// Reads a JSON file (a DNA profile), naming the option in every error.
func readJSON(_ path: String, option: String) throws -> JSONValue {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        throw LedgerError(.invalidValue, field: option, "cannot read \(path)")
    }
    do {
        return try JSONValue(parsing: text)
    } catch let error as LedgerError {
        throw LedgerError(.invalidJSON, field: option, "\(path) is \(error.message)")
    }
}

struct ReportAbduction: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "report-abduction",
        abstract: "Record a parent's report of an abducted or missing child.")

    @OptionGroup var options: RecordingOptions
    @Option(parsing: .unconditional, help: "The child's name.") var childName: String?
    @Option(parsing: .unconditional, help: "male, female or unknown.") var sex: String?
    @Option(parsing: .unconditional, help: "Birth date: YYYY, YYYY-MM or YYYY-MM-DD.") var born: String?
    @Option(parsing: .unconditional, help: "When the child went missing (YYYY, YYYY-MM or YYYY-MM-DD).")
    var missingSince: String?
    @Option(parsing: .unconditional, help: "Where the child was last seen.") var place: String?
    @Option(parsing: .unconditional, help: "Latitude of that place, in degrees.") var lat: String?
    @Option(parsing: .unconditional, help: "Longitude of that place, in degrees.") var lon: String?
    @Option(parsing: .unconditional) var circumstances: String?
    @Option(parsing: .unconditional, help: "Birthmarks, scars, moles.") var marks: String?
    @Option(parsing: .unconditional, help: "A, B, AB or O, optionally with + or -.") var bloodType: String?
    @Option(name: .customLong("reporter"), parsing: .unconditional, help: "Who reports.") var reporterName: String?
    @Option(name: .customLong("relation"), parsing: .unconditional, help: "The reporter's relation to the child.")
    var reporterRelation: String?
    @Option(parsing: .unconditional) var contact: String?
    @Option(parsing: .unconditional, help: "Milk names, nicknames.") var otherNames: String?
    @Option(parsing: .unconditional) var heightCm: String?
    @Option(name: .customLong("police-case"), parsing: .unconditional) var policeCaseNumber: String?
    @Option(parsing: .unconditional, help: "Serial number and issuing hospital.") var birthCertificate: String?
    @Option(parsing: .unconditional, help: "JSON file: {\"mother\": {locus: [a, b]}, \"father\": {...}}.") var dna:
        String?

    func execute() throws {
        try options.record(
            .abductionReported,
            [
                ("childName", childName), ("sex", sex), ("born", born), ("missingSince", missingSince),
                ("place", place),
                ("lat", lat), ("lon", lon), ("circumstances", circumstances), ("marks", marks),
                ("bloodType", bloodType),
                ("reporterName", reporterName), ("reporterRelation", reporterRelation), ("contact", contact),
                ("otherNames", otherNames), ("heightCm", heightCm), ("policeCaseNumber", policeCaseNumber),
                ("birthCertificate", birthCertificate),
            ], dnaFile: dna)
    }
}

struct RecordFound: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-found", abstract: "Record a child found, rescued or brought in.")

    @OptionGroup var options: RecordingOptions
    @Option(parsing: .unconditional, help: "When the child was found (YYYY, YYYY-MM or YYYY-MM-DD).") var foundOn:
        String?
    @Option(parsing: .unconditional) var place: String?
    @Option(parsing: .unconditional) var lat: String?
    @Option(parsing: .unconditional) var lon: String?
    @Option(parsing: .unconditional, help: "male, female or unknown.") var sex: String?
    @Option(parsing: .unconditional, help: "A name the child gives, if any.") var name: String?
    @Option(parsing: .unconditional, help: "Estimated age when found, in months.") var ageMonths: String?
    @Option(parsing: .unconditional, help: "Plus or minus, in months.") var ageUncertaintyMonths: String?
    @Option(parsing: .unconditional) var marks: String?
    @Option(parsing: .unconditional) var bloodType: String?
    @Option(parsing: .unconditional) var circumstances: String?
    @Option(parsing: .unconditional, help: "Who cares for the child now.") var custody: String?
    @Option(parsing: .unconditional) var reportedBy: String?
    @Option(parsing: .unconditional, help: "Names the child was given after separation.") var otherNames: String?
    @Option(parsing: .unconditional) var heightCm: String?
    @Option(parsing: .unconditional, help: "A certificate found with the child.") var birthCertificate: String?
    @Option(parsing: .unconditional, help: "JSON file: {locus: [a, b], ...}.") var dna: String?

    func execute() throws {
        try options.record(
            .childFound,
            [
                ("foundOn", foundOn), ("place", place), ("lat", lat), ("lon", lon), ("sex", sex), ("name", name),
                ("ageMonths", ageMonths), ("ageUncertaintyMonths", ageUncertaintyMonths), ("marks", marks),
                ("bloodType", bloodType), ("circumstances", circumstances), ("custody", custody),
                ("reportedBy", reportedBy), ("otherNames", otherNames), ("heightCm", heightCm),
                ("birthCertificate", birthCertificate),
            ], dnaFile: dna)
    }
}

struct RecordSighting: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-sighting", abstract: "Record a sighting, such as an online listing.")

    @OptionGroup var options: RecordingOptions
    @Option(parsing: .unconditional) var seenOn: String?
    @Option(parsing: .unconditional) var place: String?
    @Option(parsing: .unconditional) var lat: String?
    @Option(parsing: .unconditional) var lon: String?
    @Option(parsing: .unconditional) var description: String?
    @Option(parsing: .unconditional, help: "An online listing, say.") var sourceUrl: String?
    @Option(name: .customLong("case"), parsing: .unconditional, help: "The case this sighting may concern.") var caseId:
        String?

    func execute() throws {
        try options.record(
            .sightingReported,
            [
                ("seenOn", seenOn), ("place", place), ("lat", lat), ("lon", lon), ("description", description),
                ("sourceUrl", sourceUrl), ("caseId", caseId),
            ])
    }
}

struct ConfirmMatch: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm-match", abstract: "Record that a found child is the child of a case.")

    @OptionGroup var options: RecordingOptions
    @Option(name: .customLong("case"), parsing: .unconditional) var caseId: String?
    @Option(name: .customLong("found"), parsing: .unconditional) var foundId: String?
    @Option(parsing: .unconditionalSingleValue, help: "dna, photo, marks, documents or testimony; repeatable.")
    var evidence: [String] = []
    @Option(parsing: .unconditional) var note: String?
    @Option(name: .customLong("by"), parsing: .unconditional, help: "Who decided.") var decidedBy: String?

    func execute() throws {
        try options.record(
            .identityMatched,
            [
                ("caseId", caseId), ("foundId", foundId),
                ("evidence", evidence.isEmpty ? nil : evidence.joined(separator: ",")), ("note", note),
                ("decidedBy", decidedBy),
            ])
    }
}

struct RejectMatch: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject-match", abstract: "Record that a found child is not the child of a case.")

    @OptionGroup var options: RecordingOptions
    @Option(name: .customLong("case"), parsing: .unconditional) var caseId: String?
    @Option(name: .customLong("found"), parsing: .unconditional) var foundId: String?
    @Option(parsing: .unconditional) var note: String?
    @Option(name: .customLong("by"), parsing: .unconditional, help: "Who decided.") var decidedBy: String?

    func execute() throws {
        try options.record(
            .matchRejected, [("caseId", caseId), ("foundId", foundId), ("note", note), ("decidedBy", decidedBy)])
    }
}

struct RecordReunion: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-reunion", abstract: "Record that a child went home to the family.")

    @OptionGroup var options: RecordingOptions
    @Option(name: .customLong("case"), parsing: .unconditional) var caseId: String?
    @Option(name: .customLong("found"), parsing: .unconditional) var foundId: String?
    @Option(parsing: .unconditional) var on: String?
    @Option(parsing: .unconditional) var place: String?
    @Option(parsing: .unconditional) var note: String?

    func execute() throws {
        try options.record(
            .reunited, [("caseId", caseId), ("foundId", foundId), ("on", on), ("place", place), ("note", note)])
    }
}

struct Correct: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct fields of a record; the original stays in its history.",
        discussion:
            "FIELD is a JSON name (born, childName) or an option name (child-name). An empty VALUE clears an optional field. For dna, VALUE is a JSON file."
    )

    @OptionGroup var options: RecordingOptions
    @Argument(help: "The record's id, or 8 or more of its first characters.") var id: String
    @Option(parsing: .unconditionalSingleValue, help: "FIELD=VALUE; repeatable.") var set: [String] = []
    @Option(parsing: .unconditional) var reason: String?

    func execute() throws {
        guard !set.isEmpty else { throw LedgerError(.missingField, field: "--set", "give at least one FIELD=VALUE") }
        var changes: [(String, JSONValue)] = []
        for assignment in set {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw LedgerError(.invalidValue, field: "--set", "\"\(assignment)\" is not FIELD=VALUE")
            }
            let field = OptionName.field(from: String(assignment[..<equals]))
            let value = String(assignment[assignment.index(after: equals)...])
            changes.append(
                (field, field == "dna" && !value.isEmpty ? try readJSON(value, option: "--set dna") : .string(value)))
        }
        let draft: EventDraft
        do {
            draft = try EventDraft(
                kind: .corrected,
                members: [
                    ("target", .string(id)), ("changes", .object(changes)),
                    ("reason", reason.map { .string($0) } ?? .null),
                ])
        } catch var error as LedgerError where error.field == "changes" {
            error.field = "--set"
            throw error
        }
        do {
            try options.append(draft)
        } catch var error as LedgerError where error.field.map({ name in changes.contains { $0.0 == name } }) == true {
            error.field = "--set " + (error.field ?? "")
            throw error
        }
    }
}

struct Retract: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract",
        abstract: "Retract a record entered in error; it stays in the history, marked retracted.")

    @OptionGroup var options: RecordingOptions
    @Argument(help: "The record's id, or 8 or more of its first characters.") var id: String
    @Option(parsing: .unconditional) var reason: String?

    func execute() throws {
        try options.append(
            try EventDraft(
                kind: .retracted, members: [("target", .string(id)), ("reason", reason.map { .string($0) } ?? .null)]))
    }
}
