import CFuzzer

#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer's driver runs the input function (Targets.swift) until a reader crashes or a
// check fails; its options come on the command line (scripts/fuzz).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
_ = FuzzTarget.chosen
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
