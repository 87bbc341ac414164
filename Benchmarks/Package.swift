// swift-tools-version:6.1
import PackageDescription

// Keel's benchmarks: a package of its own, depending on the root package by path, so that an
// ordinary `swift build` or `swift test` of Keel never compiles package-benchmark.
//
// - `VMRatio`: a plain executable that times the Swift `Interpreter` against `CKeelVM`, a C
//   interpreter of the same ISA, on the same programs and prints the ratio (`scripts/bench`).
// - `ChainBench`: a plain executable timing block import (with the all-cores signature check),
//   epoch processing and simulator speed (`scripts/bench`, results/chain.md).
// - `LimitsBench`: Schnorr and SHA-256 through KeelCrypto against their limits (libsecp256k1
//   called directly, `openssl speed`), a two-thread upper bound of the machine, and the summary
//   table of the whole suite with every ratio (results/summary.md).
// - `Benchmarks/<Name>/`: package-benchmark suites (`swift package benchmark`). Add a suite as
//   one more `executableTarget` below with the same dependencies and plugin.
let package = Package(
    name: "KeelBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Keel", path: ".."),
        // MallocInterposer instead of the default trait: the default pulls in jemalloc, which is
        // not on these machines (see ../shared/TOOLCHAIN.md).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The C yardstick. SwiftPM builds C targets with -O2 in release (checked with
        // `swift build -c release -v`), so no extra flags are needed.
        .target(name: "CKeelVM"),
        // What the VM benchmarks share: the C interpreter's Swift face and the sized workloads.
        .target(
            name: "VMWorkloads",
            dependencies: [
                "CKeelVM",
                .product(name: "KeelVM", package: "Keel"),
                .product(name: "KeelTestSupport", package: "Keel"),
            ]
        ),
        .executableTarget(
            name: "VMRatio",
            dependencies: [
                "VMWorkloads",
                .product(name: "KeelVM", package: "Keel"),
                .product(name: "KeelTestSupport", package: "Keel"),
            ]
        ),
        // Clocks, medians, pinning and the machine description shared by the plain executables.
        .target(name: "BenchSupport"),
        .executableTarget(
            name: "ChainBench",
            dependencies: [
                "BenchSupport",
                .product(name: "KeelCrypto", package: "Keel"),
                .product(name: "KeelChain", package: "Keel"),
                .product(name: "KeelNode", package: "Keel"),
                .product(name: "KeelSim", package: "Keel"),
            ]
        ),
        // The crypto limits (KeelCrypto against libsecp256k1 called directly and against
        // `openssl speed`), the two-thread upper bound of the machine, and the summary table of
        // the whole suite. It imports CSecp256k1 and COpenSSL, the root package's system-library
        // modules, which reach it through the KeelCrypto product.
        .executableTarget(
            name: "LimitsBench",
            dependencies: [
                "BenchSupport",
                .product(name: "KeelCrypto", package: "Keel"),
                .product(name: "KeelChain", package: "Keel"),
                .product(name: "KeelNode", package: "Keel"),
            ]
        ),
        .executableTarget(
            name: "VMBenchmarks",
            dependencies: [
                "VMWorkloads",
                .product(name: "KeelVM", package: "Keel"),
                .product(name: "KeelTestSupport", package: "Keel"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/VMBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
