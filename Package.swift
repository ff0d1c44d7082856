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
    ],
    targets: [
        // Pure: events, canonical bytes, signing, the fold. No I/O.
        .target(
            name: "LedgerCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // SQLite through GRDB: the append-only log and the read-model table.
        .target(
            name: "LedgerStore",
            dependencies: ["LedgerCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "reunite",
            dependencies: [
                "LedgerCore", "LedgerStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore"]),
        .testTarget(name: "LedgerStoreTests", dependencies: ["LedgerStore"]),
        // Runs the built `reunite` binary; depending on it makes `swift test` build it first.
        .testTarget(name: "EndToEndTests", dependencies: ["reunite"]),
    ],
    swiftLanguageModes: [.v6]
)
