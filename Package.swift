// swift-tools-version:6.0
import PackageDescription

// Keel: a proof-of-stake chain prototype. The core modules (KeelCrypto, KeelVM, KeelChain,
// KeelConsensus, KeelProof) are pure and deterministic; only the shell touches I/O. macOS 15 for
// Synchronization's Mutex (KeelChain's StateAccessLog).
// Fuzz targets and benchmarks live in their own packages (Fuzz/, Benchmarks/) that depend on
// this one by path, so that an ordinary build or test run never pays for them.
let package = Package(
    name: "Keel",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "KeelCrypto", targets: ["KeelCrypto"]),
        .library(name: "KeelVM", targets: ["KeelVM"]),
        .library(name: "KeelChain", targets: ["KeelChain"]),
        .library(name: "KeelConsensus", targets: ["KeelConsensus"]),
        .library(name: "KeelProof", targets: ["KeelProof"]),
        .library(name: "KeelStark", targets: ["KeelStark"]),
        .library(name: "KeelRandom", targets: ["KeelRandom"]),
        .library(name: "KeelSim", targets: ["KeelSim"]),
        .library(name: "KeelFormats", targets: ["KeelFormats"]),
        .library(name: "KeelNode", targets: ["KeelNode"]),
        .library(name: "KeelLight", targets: ["KeelLight"]),
        .library(name: "KeelTestSupport", targets: ["KeelTestSupport"]),
        .executable(name: "keel", targets: ["keel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "KeelCrypto", dependencies: ["CSecp256k1", "COpenSSL"]),
        .target(name: "KeelVM", dependencies: ["KeelCrypto"]),
        .target(name: "KeelChain", dependencies: ["KeelCrypto", "KeelVM"]),
        .target(name: "KeelConsensus", dependencies: ["KeelCrypto", "KeelChain"]),
        // Transition claims, the proof-system interface, its stub and STARK backends, block
        // witnesses and stateless re-execution: pure, like the rest of the core.
        .target(name: "KeelProof", dependencies: ["KeelCrypto", "KeelChain", "KeelStark"]),
        // The STARK of spec/STARK.md: field and extension, NTT, Merkle commitments, transcript,
        // FRI and a generic AIR prover and verifier. Pure, like the rest of the core.
        .target(name: "KeelStark", dependencies: ["KeelCrypto", "KeelVM"]),
        // SplitMix64: the one seeded generator of the simulator, the tests and the fuzzers.
        .target(name: "KeelRandom"),
        .target(name: "KeelSim", dependencies: ["KeelRandom", "KeelCrypto", "KeelChain", "KeelConsensus"]),
        // What the node and light nodes share without sharing code paths: the genesis file format
        // and the JSON answers of the node's API.
        .target(name: "KeelFormats", dependencies: ["KeelCrypto", "KeelVM", "KeelChain", "KeelProof"]),
        // The shell: files, sockets, storage, clocks. Only it (and `keel`) touch the outside world.
        .target(
            name: "KeelNode",
            dependencies: [
                "KeelCrypto", "KeelVM", "KeelChain", "KeelConsensus", "KeelProof", "KeelFormats", "KeelRandom", "CSQLite",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The OpenAPI document and the explorer page, compiled into the binary (no resource
            // bundle to ship beside it).
            resources: [.embedInCode("API/openapi.json"), .embedInCode("API/UI/explorer.html")]
        ),
        // The light node: follows a node over HTTP holding no state, checking headers, finality
        // and state roots (by a proof or by stateless re-execution).
        .target(
            name: "KeelLight",
            dependencies: [
                "KeelCrypto", "KeelChain", "KeelProof", "KeelFormats",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Test doubles and references shared by the tests, the fuzzers and the benchmarks.
        .target(name: "KeelTestSupport", dependencies: ["KeelRandom", "KeelVM", "KeelChain"]),
        .executableTarget(
            name: "keel",
            dependencies: [
                "KeelCrypto", "KeelVM", "KeelChain", "KeelConsensus", "KeelProof", "KeelStark", "KeelSim", "KeelNode", "KeelLight",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "KeelCryptoTests", dependencies: ["KeelCrypto", "KeelRandom"]),
        .testTarget(name: "KeelVMTests", dependencies: ["KeelVM", "KeelTestSupport"]),
        .testTarget(name: "KeelChainTests", dependencies: ["KeelChain", "KeelTestSupport"]),
        .testTarget(name: "KeelConsensusTests", dependencies: ["KeelConsensus", "KeelTestSupport"]),
        .testTarget(name: "KeelProofTests", dependencies: ["KeelProof", "KeelStark", "KeelTestSupport"]),
        .testTarget(name: "KeelStarkTests", dependencies: ["KeelStark", "KeelRandom", "KeelTestSupport"]),
        .testTarget(name: "KeelLightTests", dependencies: ["KeelLight", "KeelTestSupport"]),
        .testTarget(name: "KeelSimTests", dependencies: ["KeelSim", "KeelTestSupport"]),
        .testTarget(
            name: "KeelNodeTests",
            dependencies: [
                "KeelNode", "KeelFormats", "KeelTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // The reference vectors of ../shared/vectors (Ethereum phase0), kept apart as consensus
        // clients keep their spec tests.
        .testTarget(name: "KeelSpecTests", dependencies: ["KeelChain", "KeelTestSupport"]),
        // Runs the built `keel` binary as a user would; `swift test` builds it first.
        .testTarget(
            name: "keelTests", dependencies: ["KeelVM", "KeelChain", "KeelProof", "KeelSim", "KeelNode", "KeelLight", "KeelTestSupport", "keel"]),
    ]
)
