import CFuzzer

#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer's driver runs the input function (Targets.swift) until a reader crashes or a
// check fails; its options come on the command line (scripts/fuzz).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
_ = FuzzTarget.chosen
// Seeds that only the code can make (scripts/fuzz): written, then nothing fuzzed.
if let directory = getenv("REUNITE_FUZZ_WRITE_SEEDS") {
    FuzzTarget.chosen.writeSeeds(to: String(cString: directory))
    exit(0)
}
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
