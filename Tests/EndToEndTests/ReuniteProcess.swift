import Foundation

/// The real `reunite` binary, run in its own process against a node folder in a temporary
/// directory, the way staff scripts and cron jobs run it.
final class ReuniteProcess: Sendable {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String

        var stderrLines: [Substring] { stderr.split(separator: "\n") }
    }

    let root: String
    var data: String { root + "/node" }

    /// Beside the test bundle in the build folder, unless REUNITE_BINARY names another.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["REUNITE_BINARY"] { return path }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("reunite").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return ".build/debug/reunite"
    }()

    /// A wall clock this far ahead (or behind, with "-") through libfaketime, e.g. "+6h".
    let clockOffset: String?

    /// Under libfaketime's `faketime` wrapper when the clock is offset. (Preloading the library
    /// straight into the binary loses its arguments here, so the wrapper it is; it forks, so
    /// signals go to its children too.)
    private func configure(_ process: Process, _ arguments: [String]) {
        if let clockOffset {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/faketime")
            process.arguments = ["-f", clockOffset, Self.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = arguments
        }
    }

    /// Sends a signal to a process and to its children (a `faketime` wrapper's node).
    static func signal(_ process: Process, _ signal: Int32) {
        let pkill = Process()
        pkill.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        pkill.arguments = ["-\(signal)", "-P", String(process.processIdentifier)]
        try? pkill.run()
        pkill.waitUntilExit()
        kill(process.processIdentifier, signal)
    }

    /// A `reunite serve` of this node on a free port of 127.0.0.1, in its own process.
    final class Server: @unchecked Sendable {
        let process: Process
        let url: String
        /// The file its standard output and its log go to.
        let log: String

        init(_ process: Process, url: String, log: String) {
            self.process = process
            self.url = url
            self.log = log
        }

        /// SIGTERM, and wait for a clean exit.
        func stop() {
            guard process.isRunning else { return }
            ReuniteProcess.signal(process, SIGTERM)
            process.waitUntilExit()
        }

        /// SIGKILL, as a crash or a power cut would.
        func kill() {
            ReuniteProcess.signal(process, SIGKILL)
            process.waitUntilExit()
        }

        deinit {
            if process.isRunning { ReuniteProcess.signal(process, SIGKILL) }
        }
    }

    func serve(_ extra: [String] = []) throws -> Server {
        let process = Process()
        configure(process, ["serve", "--listen", "127.0.0.1:0", "--data", data] + extra)
        let log = root + "/serve-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        // Its log (standard error) too, through the same handle, so that neither overwrites the other.
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self)
            // The line saying where it listens, not a log line naming a peer it syncs with.
            if let announced = text.split(separator: "\n").first(where: { $0.hasPrefix("serving ") }),
                let range = announced.range(of: #"https?://127\.0\.0\.1:[0-9]+"#, options: .regularExpression)
            {
                return Server(process, url: String(announced[range]), log: log)
            }
            usleep(20_000)
        }
        process.terminate()
        throw Failure("reunite serve did not start")
    }

    /// Starts a command without waiting for it.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        configure(process, arguments + ["--data", data])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    init(clockOffset: String? = nil) {
        self.clockOffset = clockOffset
        root = FileManager.default.temporaryDirectory.appendingPathComponent("reunite-e2e-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Runs `reunite ARGS --data <node>`; output goes through files so a large export cannot block on a pipe.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], data: Bool = true) throws
        -> Outcome
    {
        let process = Process()
        configure(process, arguments + (data ? ["--data", self.data] : []))
        process.environment = (process.environment ?? ProcessInfo.processInfo.environment).merging(environment) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        let out = root + "/.stdout-\(UUID().uuidString)"
        let err = root + "/.stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self),
            stderr: String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self))
    }

    /// Runs a command that must succeed and returns its standard output.
    @discardableResult
    func succeed(_ arguments: [String], stdin: String? = nil) throws -> String {
        let outcome = try run(arguments, stdin: stdin)
        guard outcome.status == 0 else {
            throw Failure("reunite \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.stderr)")
        }
        return outcome.stdout
    }

    /// Runs a command with --json and parses what it printed.
    func json(_ arguments: [String], stdin: String? = nil) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try succeed(arguments + ["--json"], stdin: stdin).utf8))
    }

    func writeFile(_ name: String, _ text: String) throws -> String {
        let path = root + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs the sqlite3 shell on the node's database, as someone with the file could.
    func sqlite(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [data + "/ledger.sqlite", sql]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure("sqlite3 failed on: \(sql)") }
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }
}
