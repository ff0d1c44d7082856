import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore
import LedgerSync

/// Where the node lives: `--data DIR`, else `$REUNITE_DATA`, else `./reunite-data`.
///
/// Every option of every command takes what follows it whatever it is (`parsing:
/// .unconditional`): a value may begin with a hyphen (a longitude west of Greenwich, a note
/// "- see the file"), and a wrong one ("--age-months -5") is then refused by the rule that names
/// the field and says what is wrong, rather than read as an option whose value is missing.
struct NodeOptions: ParsableArguments {
    @Option(
        name: .customLong("data"), parsing: .unconditional,
        help: "The node's folder (default $REUNITE_DATA, else ./reunite-data).")
    var data: String?

    var directory: String {
        data ?? ProcessInfo.processInfo.environment["REUNITE_DATA"] ?? "./reunite-data"
    }

    func openNode() throws -> Node {
        try Node.open(directory)
    }
}

/// A subcommand whose failures print one line, `error: <option>: <what is wrong>`, and exit 1.
protocol NodeCommand: ParsableCommand {
    func execute() throws
}

extension NodeCommand {
    func run() throws {
        do {
            try execute()
        } catch let error as LedgerError {
            Console.fail(Self.describe(error))
        } catch let error as StoreError {
            Console.fail(error.description)
        } catch let error as ExitCode {
            throw error
        } catch {
            Console.fail(String(describing: error))
        }
    }

    /// Names a field by the option that sets it, so the message points at what was typed.
    static func describe(_ error: LedgerError) -> String {
        Reunite.describe(error)
    }
}

/// A subcommand that does network work; its failures print and exit as `NodeCommand`'s do.
protocol AsyncNodeCommand: AsyncParsableCommand {
    func execute() async throws
}

extension AsyncNodeCommand {
    func run() async throws {
        do {
            try await execute()
        } catch let error as LedgerError {
            Console.fail(Reunite.describe(error))
        } catch let error as StoreError {
            Console.fail(error.description)
        } catch let error as SyncError {
            Console.fail(error.message)
        } catch let error as ExitCode {
            throw error
        } catch {
            Console.fail(String(describing: error))
        }
    }
}

extension Reunite {
    static func describe(_ error: LedgerError) -> String {
        var error = error
        if error.line == nil, let field = error.field { error.field = OptionName.of(field) }
        return error.description
    }
}

/// The command-line spelling of each JSON field: kebab case, except where INTERFACE.md
/// chose a shorter word.
enum OptionName {
    static let exceptions = [
        "reporterName": "reporter", "reporterRelation": "relation", "policeCaseNumber": "police-case",
        "caseId": "case", "foundId": "found", "decidedBy": "by",
    ]

    static func of(_ field: String) -> String {
        // Options as typed, arguments in capitals (ID, NAME) and phrases stay as they are.
        if field.hasPrefix("-") || field.allSatisfy(\.isUppercase) || field.contains(" ") { return field }
        if field == "target" { return "ID" }
        return "--" + (exceptions[field] ?? kebab(field))
    }

    static func kebab(_ name: String) -> String {
        name.reduce(into: "") { out, c in
            if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) }
        }
    }

    /// A field named as an option (`missing-since`, `reporter`) or in JSON (`missingSince`).
    static func field(from name: String) -> String {
        if let exception = exceptions.first(where: { $0.value == name }) { return exception.key }
        var out = ""
        var upper = false
        for c in name {
            if c == "-" { upper = true; continue }
            out += upper ? c.uppercased() : String(c)
            upper = false
        }
        return out
    }
}

enum Clock {
    static func nowMilliseconds() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1000)
    }
}
