import ArgumentParser
import CPlatform

/// Every command here names itself (`commandName`). Left out, the argument parser makes the
/// name from the type's through `String(describing:)`, for every command at every start, and
/// the first such description of each type scans every protocol conformance in the binary:
/// that was a third of a short command's time (`reunite show`: 28 against 20 ms of CPU).
@main
struct Reunite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reunite",
        abstract: "A signed, append-only ledger of missing and found children, one per node.",
        discussion: "Every command takes --data DIR (default $REUNITE_DATA, else ./reunite-data).",
        subcommands: [
            Init.self, WhoAmI.self,
            ReportAbduction.self, RecordFound.self, RecordSighting.self,
            ConfirmMatch.self, RejectMatch.self, RecordReunion.self, Correct.self, Retract.self,
            List.self, Show.self, Candidates.self, Log.self, Verify.self, Rebuild.self,
            Import.self, Export.self,
            Peers.self, Serve.self, Sync.self, Forks.self, Staff.self,
        ])

    static func main() async {
        // glibc grows a worker thread's heap a page at a time, with a system call each: a query
        // decoding a few thousand records made 4,000 of them (a tenth of its time). Grown by
        // 32 MB at a time, it makes a dozen; pages are still only taken as they are written.
        reunite_grow_heaps_by(32 << 20)
        await main(nil)
    }
}
