// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "reunite",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "reunite", targets: ["reunite"]),
        .library(name: "LedgerCore", targets: ["LedgerCore"]),
        .library(name: "LedgerStore", targets: ["LedgerStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Pure: events, canonical bytes, signing, the fold. No I/O.
        .target(
            name: "LedgerCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // Pure: evidence scoring, DNA kinship, marks and name sounds, the candidate index.
        .target(name: "Matching", dependencies: ["LedgerCore", "CPlatform", "CZlib"]),
        // What C says and Swift cannot: a prefetch hint for the candidate index, malloc settings.
        .target(name: "CPlatform"),
        // scripts/eval-matching: a synthetic register with known truth, recall and latency.
        .executableTarget(
            name: "eval-matching", dependencies: ["Matching", "LedgerCore"], path: "Sources/EvalMatching"),
        // What people read from a node, shared by the command line and the web pages:
        // candidates with the decisions staff made, one-line summaries, record JSON.
        .target(
            name: "NodeReading",
            dependencies: ["LedgerCore", "LedgerStore", "Matching"]),
        // SQLite through GRDB: the append-only log and the read-model table.
        .target(
            name: "LedgerStore",
            dependencies: [
                "LedgerCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // zlib from the system, as GRDB reaches SQLite: deflate with a preset dictionary.
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Pure: version vectors, the wire codec, request signing, the exchange's state machine.
        .target(
            name: "LedgerSync",
            dependencies: ["LedgerCore", "CZlib", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // HTTP at the edges: the Hummingbird sync server and the AsyncHTTPClient driver.
        .target(
            name: "LedgerServer",
            dependencies: [
                "LedgerCore", "LedgerStore", "LedgerSync",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The staff web pages and the JSON API under /api/v1, on Hummingbird.
        .target(
            name: "StaffWeb",
            dependencies: [
                "LedgerCore", "LedgerStore", "Matching", "NodeReading",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "reunite",
            dependencies: [
                "LedgerCore", "LedgerStore", "LedgerSync", "LedgerServer", "Matching", "NodeReading", "StaffWeb",
                "CPlatform",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore"]),
        .testTarget(name: "MatchingTests", dependencies: ["Matching", "LedgerCore"]),
        .testTarget(name: "LedgerStoreTests", dependencies: ["LedgerStore"]),
        .testTarget(
            name: "StaffWebTests", dependencies: ["StaffWeb", "NodeReading", "Matching", "LedgerCore", "LedgerStore"]),
        .testTarget(name: "LedgerSyncTests", dependencies: ["LedgerSync", "LedgerStore"]),
        // Runs the built `reunite` binary; depending on it makes `swift test` build it first.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "reunite", "LedgerCore", "LedgerSync", "LedgerServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)

// The fuzzer of the readers of outside input (scripts/fuzz), declared only when asked for: it
// links only where `-sanitize=fuzzer` brings libFuzzer, which it calls.
if Context.environment["REUNITE_FUZZ"] == "1" {
    package.targets += [
        .systemLibrary(name: "CFuzzer"),
        .executableTarget(
            name: "fuzz", dependencies: ["CFuzzer", "LedgerCore", "LedgerSync", "Matching"], path: "Sources/Fuzz"),
    ]
}
