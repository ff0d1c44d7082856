import ArgumentParser

@main
struct Reunite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
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
}
