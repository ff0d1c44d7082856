import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

struct Staff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Accounts for the staff who use this node's web pages.",
        subcommands: [Add.self, List.self, Password.self, Unlock.self, Disable.self])

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a staff account; the password is read from standard input (one line).",
            discussion: "echo 'a long passphrase' | reunite staff add 王护士")

        @OptionGroup var node: NodeOptions
        @Argument(help: "The name the person signs in with and the history shows.") var name: String

        func execute() throws {
            let name = name.trimming(" \t")
            let password = try Staff.readPassword()
            try node.openNode().store.addStaff(name: name, password: password, nowMilliseconds: Clock.nowMilliseconds())
            print("added \(name)")
        }
    }

    /// One line of standard input, long enough to be a password.
    static func readPassword() throws -> String {
        guard let password = readLine(strippingNewline: true), !password.isEmpty else {
            throw LedgerError(.missingField, field: "password on standard input", "is missing; pipe it in, one line")
        }
        guard password.count >= StaffPassword.minimumLength else {
            throw LedgerError(
                .invalidValue, field: "password on standard input",
                "is shorter than \(StaffPassword.minimumLength) characters")
        }
        return password
    }

    static func unknown(_ name: String) -> LedgerError {
        LedgerError(.invalidValue, field: "NAME", "no staff account is called \(name) (see reunite staff list)")
    }

    struct Password: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "password",
            abstract: "Set a new password (read from standard input); lifts a lockout and ends the account's sessions.",
            discussion: "echo 'a new long passphrase' | reunite staff password 王护士")

        @OptionGroup var node: NodeOptions
        @Argument(help: "The account's name.") var name: String

        func execute() throws {
            let password = try Staff.readPassword()
            let store = try node.openNode().store
            guard try store.setStaffPassword(name: name, password: password, nowMilliseconds: Clock.nowMilliseconds())
            else { throw Staff.unknown(name) }
            print("new password set for \(name)")
        }
    }

    struct Unlock: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "unlock",
            abstract: "Let an account locked by repeated wrong passwords sign in again now.")

        @OptionGroup var node: NodeOptions
        @Argument(help: "The account's name.") var name: String

        func execute() throws {
            guard try node.openNode().store.unlockStaff(name: name) else { throw Staff.unknown(name) }
            print("unlocked \(name)")
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List staff accounts.")

        @OptionGroup var node: NodeOptions
        @Flag(help: "Print an array of {\"name\", \"addedAt\", \"disabled\", \"lockedUntil\"}.") var json = false

        func execute() throws {
            let staff = try node.openNode().store.staff()
            if json {
                Console.printJSON(
                    .array(
                        staff.map {
                            .object([
                                ("name", .string($0.name)), ("addedAt", .string(Self.time($0.addedAt))),
                                ("disabled", .bool($0.disabledAt != nil)),
                                ("lockedUntil", Self.lockedUntil($0).map { .string(Self.time($0)) } ?? .null),
                            ])
                        }))
                return
            }
            Console.printTable(
                ["NAME", "ADDED", "STATUS"],
                staff.map {
                    [
                        $0.name, Self.time($0.addedAt),
                        $0.disabledAt.map { "disabled \(Self.time($0))" } ?? Self.lockedUntil($0).map {
                            "locked until \(Self.time($0))"
                        } ?? "active",
                    ]
                })
        }

        /// When a lockout still in force ends.
        static func lockedUntil(_ member: StaffMember) -> UInt64? {
            member.lockedUntil.flatMap { $0 > Clock.nowMilliseconds() ? $0 : nil }
        }

        static func time(_ milliseconds: UInt64) -> String {
            HybridTimestamp(milliseconds: milliseconds, counter: 0).description
        }
    }

    struct Disable: NodeCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Disable a staff account for good; the name stays reserved so the history keeps its meaning.")

        @OptionGroup var node: NodeOptions
        @Argument(help: "The account's name.") var name: String

        func execute() throws {
            guard try node.openNode().store.disableStaff(name: name, nowMilliseconds: Clock.nowMilliseconds()) else {
                throw Staff.unknown(name)
            }
            print("disabled \(name)")
        }
    }
}
