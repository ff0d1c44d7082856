import AsyncHTTPClient
import Foundation
import LedgerCore
import LedgerSync
import NIOCore
import Testing

/// A node made by the real binary, with the helpers sync tests need.
final class SyncNode: Sendable {
    let reunite: ReuniteProcess
    let id: String
    let name: String

    init(_ name: String, clockOffset: String? = nil) throws {
        reunite = ReuniteProcess(clockOffset: clockOffset)
        self.name = name
        id = try reunite.succeed(["init", "--name", name]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func trust(_ other: SyncNode, url: String? = nil, pullOnly: Bool = false) throws {
        try reunite.succeed(
            ["peers", "add", "--name", other.name, "--key", other.id] + (url.map { ["--url", $0] } ?? [])
                + (pullOnly ? ["--pull-only"] : []))
    }

    @discardableResult
    func sync(_ url: String) throws -> [String: Any] {
        try #require(try reunite.json(["sync", url]) as? [String: Any])
    }

    /// `verify --json`, read whether it passed (exit 0) or failed (exit 1).
    var verify: [String: Any] {
        get throws {
            let outcome = try reunite.run(["verify", "--json"])
            return try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        }
    }

    var digest: String {
        get throws { try verify["digest"] as? String ?? "" }
    }

    var eventCount: Int {
        get throws { try #require(try reunite.json(["whoami"]) as? [String: Any])["events"] as? Int ?? -1 }
    }

    /// Records found children, in one import.
    func recordFound(_ count: Int, tag: String) throws {
        let lines = (0..<count).map { n in
            #"{"kind":"childFound","foundOn":"2019-0\#(n % 9 + 1)","place":"\#(name)","sex":"female","reportedBy":"\#(name)","marks":"\#(tag)-\#(n) 左手有痣"}"#
        }
        try reunite.succeed(["import", "-"], stdin: lines.joined(separator: "\n"))
    }

    func firstID(_ group: String) throws -> String {
        try #require(try reunite.json(["list", group]) as? [[String: Any]]).first?["id"] as? String ?? ""
    }
}

/// Nodes that all trust each other, each serving on its own port.
func network(_ names: [String], clockOffsets: [String?]? = nil) throws -> ([SyncNode], [ReuniteProcess.Server]) {
    let nodes = try names.enumerated().map { index, name in try SyncNode(name, clockOffset: clockOffsets?[index] ?? nil)
    }
    let servers = try nodes.map { try $0.reunite.serve() }
    for (a, node) in nodes.enumerated() {
        for (b, other) in nodes.enumerated() where a != b { try node.trust(other, url: servers[b].url) }
    }
    return (nodes, servers)
}

/// A node holding `events` found children and serving them ("source"), and a new node that
/// trusts it at its address ("sink").
func sourceAndSink(_ events: Int) throws -> (SyncNode, SyncNode, ReuniteProcess.Server) {
    let source = try SyncNode("source"), sink = try SyncNode("sink")
    try source.recordFound(events, tag: "bulk")
    let server = try source.reunite.serve()
    try source.trust(sink)
    try sink.trust(source, url: server.url)
    return (source, sink, server)
}

/// Syncs every ordered pair until a whole round moves nothing.
func syncUntilQuiet(_ nodes: [SyncNode], _ servers: [ReuniteProcess.Server], rounds: Int = 6) throws {
    for _ in 0..<rounds {
        var moved = 0
        for (a, node) in nodes.enumerated() {
            for b in nodes.indices where a != b {
                let report = try node.sync(servers[b].url)
                moved += (report["received"] as? Int ?? 0) + (report["sent"] as? Int ?? 0)
            }
        }
        if moved == 0 { return }
    }
    Issue.record("the nodes did not go quiet")
}

@Suite(.serialized) struct ConvergenceTests {
    @Test func threeNodesRecordingAndSyncingInRandomPairsConverge() throws {
        let (nodes, servers) = try network(["深圳市儿童医院", "成都市儿童福利院", "宝贝回家志愿者协会"])
        var rng = SystemRandomNumberGenerator()
        for (index, node) in nodes.enumerated() { try node.recordFound(40 + index * 7, tag: node.name) }
        try nodes[2].reunite.succeed([
            "report-abduction", "--child-name", "王小芳", "--sex", "female", "--born", "2016", "--missing-since",
            "2018-06",
            "--place", "贵州省毕节市", "--reporter", "王强",
        ])
        // Each sync runs in its own process while another node, sometimes one of the pair,
        // records at the same moment.
        for step in 0..<12 {
            let a = Int.random(in: 0..<3, using: &rng)
            let b = (a + Int.random(in: 1..<3, using: &rng)) % 3
            let sync = try nodes[a].reunite.start(["sync", servers[b].url])
            try nodes[step % 3].recordFound(3, tag: "step\(step)")
            sync.waitUntilExit()
            #expect(sync.terminationStatus == 0)
        }
        // Two people on two nodes decide differently about one pair: both decisions travel.
        try syncUntilQuiet(nodes, servers)
        let caseID = try nodes[0].firstID("cases")
        let foundID = try nodes[0].firstID("found")
        try nodes[0].reunite.succeed(["confirm-match", "--case", caseID, "--found", foundID, "--by", "医生"])
        try nodes[1].reunite.succeed(["reject-match", "--case", caseID, "--found", foundID, "--by", "志愿者"])
        try nodes[1].reunite.succeed(["correct", caseID, "--set", "place=贵州省毕节市七星关区", "--reason", "家属补充"])
        try syncUntilQuiet(nodes, servers)

        let digests = try nodes.map { try $0.digest }
        #expect(Set(digests).count == 1)
        for node in nodes {
            #expect(try node.verify["ok"] as? Bool == true)
            #expect(try node.verify["origins"] as? Int == 3)
            let matches = try #require(try node.reunite.json(["list", "matches"]) as? [[String: Any]])
            #expect(matches.map { $0["status"] as? String } == ["disputed", "disputed"])
        }
        #expect(try nodes[2].eventCount == nodes[0].eventCount)
    }

    @Test func twoNodesThatNeverMetConvergeThroughAThird() throws {
        let a = try SyncNode("A"), b = try SyncNode("B"), c = try SyncNode("C")
        let server = try c.reunite.serve()
        for node in [a, b] {
            try node.trust(c, url: server.url)
            try c.trust(node)
        }
        try a.recordFound(25, tag: "a")
        try b.recordFound(30, tag: "b")
        try a.sync(server.url)
        try b.sync(server.url)
        try a.sync(server.url)
        #expect(try a.digest == b.digest)
        #expect(try b.digest == c.digest)
        #expect(try a.eventCount == 55)
    }

    @Test func aNodeWhoseClockIsHoursAheadConvergesAndDoesNotDragOthersForward() throws {
        let (nodes, servers) = try network(["on time", "six hours ahead"], clockOffsets: [nil, "+6h"])
        try nodes[0].recordFound(5, tag: "on-time")
        try nodes[1].recordFound(5, tag: "ahead")
        try syncUntilQuiet(nodes, servers)
        #expect(try nodes[0].digest == nodes[1].digest)
        // The on-time node flags the events from the future and keeps its own clock.
        let log = try #require(try nodes[0].reunite.json(["log"]) as? [[String: Any]])
        #expect(log.filter { $0["clockAhead"] as? Bool == true }.count == 5)
        try nodes[0].recordFound(1, tag: "after")
        let last = try #require(try nodes[0].reunite.json(["log"]) as? [[String: Any]]).last
        let clock = try #require(last?["clock"] as? String)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let recorded = try #require(formatter.date(from: clock))
        #expect(recorded.timeIntervalSinceNow < 10 * 60, "a peer six hours ahead must not drag this node's clock")
    }

    @Test func aPairInSyncFinishesInOneRoundTripOfUnderOneKilobyte() throws {
        let (nodes, servers) = try network(["a", "b"])
        try nodes[0].recordFound(20, tag: "x")
        try syncUntilQuiet(nodes, servers)
        let report = try nodes[0].sync(servers[1].url)
        #expect(report["roundTrips"] as? Int == 1)
        #expect((report["bytesIn"] as? Int ?? 0) + (report["bytesOut"] as? Int ?? 0) < 1024)
        let peers = try #require(try nodes[0].reunite.json(["peers", "list"]) as? [[String: Any]])
        let whoami = try #require(try nodes[0].reunite.json(["whoami"]) as? [String: Any])
        #expect(whoami["peers"] as? Int == 1)
        #expect(peers.first?["behind"] as? Int == 0)
    }
}

@Suite(.serialized) struct InterruptionTests {
    @Test func aSyncKilledMidTransferCompletesOnTheNextRunWithNothingLostOrDoubled() throws {
        let (source, sink, server) = try sourceAndSink(30_000)
        let sync = try sink.reunite.start(["sync", server.url])
        let deadline = Date().addingTimeInterval(60)
        while try sink.eventCount == 0 && sync.isRunning && Date() < deadline { usleep(5_000) }
        kill(sync.processIdentifier, SIGKILL)
        sync.waitUntilExit()
        let partial = try sink.eventCount
        #expect(partial < 30_000, "the kill should land before the last batch")
        #expect(try sink.verify["ok"] as? Bool == true)
        let report = try sink.sync(server.url)
        #expect(report["received"] as? Int == 30_000 - partial)
        #expect(try sink.digest == source.digest)
        #expect(try sink.eventCount == 30_000)
    }

    @Test func aServerKilledMidSyncLosesNothing() throws {
        let pusher = try SyncNode("pusher"), receiver = try SyncNode("receiver")
        try pusher.recordFound(25_000, tag: "push")
        var server = try receiver.reunite.serve()
        try receiver.trust(pusher)
        try pusher.trust(receiver, url: server.url)
        let sync = try pusher.reunite.start(["sync", server.url, "--timeout", "10"])
        let deadline = Date().addingTimeInterval(60)
        while try receiver.eventCount == 0 && Date() < deadline { usleep(5_000) }
        server.kill()
        sync.waitUntilExit()
        #expect(try receiver.verify["ok"] as? Bool == true)
        server = try receiver.reunite.serve()
        try pusher.reunite.succeed(["peers", "remove", receiver.id])
        try pusher.trust(receiver, url: server.url)
        try pusher.sync(server.url)
        #expect(try receiver.digest == pusher.digest)
    }
}

@Suite struct ProgressTests {
    /// The "received N of M" (or "sent") counts of each progress line on standard error.
    func counts(_ verb: String, in lines: [Substring]) -> [(done: Int, total: Int)] {
        lines.compactMap { line in
            guard let range = line.range(of: "\(verb) [0-9]+ of [0-9]+ events", options: .regularExpression) else {
                return nil
            }
            let numbers = line[range].split(separator: " ").compactMap { Int($0) }
            return (numbers[0], numbers[1])
        }
    }

    @Test func aLongSyncTellsItsProgressOnStandardErrorAndPrintsWhatItDid() throws {
        let (source, sink, server) = try sourceAndSink(25_000)
        let first = try sink.reunite.run(["sync", server.url, "--json", "--progress"])
        #expect(first.status == 0, "\(first.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect(report["received"] as? Int == 25_000)
        // A line a batch (of at most 10,000 events), each against the 25,000 the source had.
        let received = counts("received", in: first.stderrLines)
        #expect(received.count >= 3 && received.allSatisfy { $0.total == 25_000 }, "\(first.stderr)")
        #expect(zip(received, received.dropFirst()).allSatisfy { $0.done < $1.done })
        #expect(received.last?.done == 25_000)
        #expect(
            first.stderrLines.allSatisfy {
                $0.wholeMatch(of: /source: received [0-9]+ of 25000 events \([0-9]+ %\), [0-9.]+ (KB|MB) in/) != nil
            }, "\(first.stderr)")
        // Both ways: what came, then what went.
        try source.recordFound(5, tag: "more")
        try sink.recordFound(3, tag: "back")
        let second = try sink.reunite.run(["sync", server.url, "--progress"])
        #expect(counts("received", in: second.stderrLines).last.map { [$0.done, $0.total] } == [5, 5])
        #expect(counts("sent", in: second.stderrLines).map { [$0.done, $0.total] } == [[3, 3]], "\(second.stderr)")
        #expect(second.stdout.hasPrefix("synced with source: received 5, sent 3 events"))
        // Without --progress, and standard error no terminal, as under cron: nothing on it.
        try source.recordFound(2, tag: "quiet")
        let quiet = try sink.reunite.run(["sync", server.url])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty && quiet.stdout.contains("received 2"))
    }
}

@Suite struct ManyPeersTests {
    @Test func fiftyPeersSyncingAtOnceAllFinishAndConverge() async throws {
        let hub = try SyncNode("hub")
        let server = try hub.reunite.serve()
        let peers = try (0..<50).map { n in try SyncNode("peer\(n)") }
        for peer in peers {
            try hub.trust(peer)
            try peer.trust(hub, url: server.url)
            try peer.recordFound(2, tag: peer.name)
        }
        for round in 0..<2 {
            let processes = try peers.map { try $0.reunite.start(["sync", server.url]) }
            for process in processes { process.waitUntilExit() }
            #expect(processes.allSatisfy { $0.terminationStatus == 0 }, "round \(round)")
        }
        let hubDigest = try hub.digest
        #expect(try hub.eventCount == 100)
        for peer in peers { #expect(try peer.digest == hubDigest) }
    }
}

@Suite struct ScheduledSyncTests {
    /// `serve --sync-with URL --every 1s` pulls a peer's new events on its own, logs a line per
    /// run, and stops cleanly on SIGTERM.
    @Test func aServerSyncsOnItsScheduleAndStopsOnSIGTERM() throws {
        let office = try SyncNode("office"), branch = try SyncNode("branch")
        let branchServer = try branch.reunite.serve()
        try office.trust(branch, url: branchServer.url)
        try branch.trust(office)
        let officeServer = try office.reunite.serve(["--sync-with", branchServer.url, "--every", "1s"])
        try branch.recordFound(3, tag: "nightly")
        let deadline = Date().addingTimeInterval(30)
        while try office.eventCount < 3 && Date() < deadline { usleep(200_000) }
        #expect(try office.eventCount == 3)
        officeServer.stop()
        #expect(officeServer.process.terminationReason == .exit)
        #expect(officeServer.process.terminationStatus == 0)
        let peers = try #require(try office.reunite.json(["peers", "list"]) as? [[String: Any]])
        #expect((peers.first?["lastSyncResult"] as? String)?.hasPrefix("ok") == true)
        // A nightly sync of a few events logs its line at the end, and no progress.
        let log = String(decoding: FileManager.default.contents(atPath: officeServer.log) ?? Data(), as: UTF8.self)
        #expect(log.contains("synced with branch: received 3") && !log.contains("of 3 events"), "\(log)")
    }

    /// A new peer's whole history, pulled on the schedule, logs how far it has come after each
    /// batch but the last.
    @Test func aLongScheduledSyncLogsItsProgress() throws {
        let (source, sink, server) = try sourceAndSink(25_000)
        let sinkServer = try sink.reunite.serve(["--sync-with", server.url, "--every", "1h"])
        let deadline = Date().addingTimeInterval(120)
        while try sink.eventCount < 25_000 && Date() < deadline { usleep(200_000) }
        sinkServer.stop()
        #expect(try sink.digest == source.digest)
        let log = String(decoding: FileManager.default.contents(atPath: sinkServer.log) ?? Data(), as: UTF8.self)
        let progress = log.split(separator: "\n").filter { $0.contains(" of 25000 events") }
        #expect(progress.count >= 2 && progress.allSatisfy { $0.contains("source: received ") }, "\(log)")
        #expect(!log.contains("received 25000 of 25000"), "the last batch is told by the line at the end")
        #expect(log.contains("synced with source: received 25000"))
    }
}

@Suite struct TLSTests {
    /// A certificate authority and a certificate for 127.0.0.1 signed by it, made by openssl.
    private func certificates(in folder: String) throws {
        let script = """
            set -e
            cd '\(folder)'
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem \
                -days 2 -subj /CN=reunite-test-ca
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr \
                -subj /CN=127.0.0.1
            printf 'subjectAltName=IP:127.0.0.1\\n' > san
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure("openssl could not make test certificates") }
    }

    /// Over https:// the records travel encrypted; a client that does not trust the server's
    /// certificate sends nothing and stores nothing.
    @Test func syncOverTLSTrustsOnlyTheGivenAuthority() throws {
        let server = try SyncNode("https node"), client = try SyncNode("client")
        try certificates(in: server.reunite.root)
        try server.recordFound(4, tag: "tls")
        let root = server.reunite.root
        let running = try server.reunite.serve(["--tls-cert", root + "/server.pem", "--tls-key", root + "/server.key"])
        #expect(running.url.hasPrefix("https://"))
        try server.trust(client)
        try client.trust(server, url: running.url)

        let untrusted = try client.reunite.run(["sync", running.url])
        #expect(untrusted.status != 0)
        #expect(untrusted.stderr.contains("CERTIFICATE_VERIFY_FAILED"))
        #expect(try client.eventCount == 0)

        let report = try #require(
            try client.reunite.json(["sync", running.url, "--ca", root + "/ca.pem"]) as? [String: Any])
        #expect(report["received"] as? Int == 4)
        #expect(try client.digest == server.digest)

        let plain = try client.reunite.run(["sync", running.url.replacingOccurrences(of: "https://", with: "http://")])
        #expect(plain.status != 0)
    }
}
