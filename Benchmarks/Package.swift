// swift-tools-version:6.1
import PackageDescription

// Keel's benchmarks: a package of its own, depending on the root package by path, so that an
// ordinary `swift build` or `swift test` of Keel never compiles package-benchmark.
//
// - `VMRatio`: a plain executable that times the Swift `Interpreter` against `CKeelVM`, a C
//   interpreter of the same ISA, on the same programs and prints the ratio (`scripts/bench`).
// - `ChainBench`: a plain executable timing block import (with the all-cores signature check),
//   epoch processing and simulator speed (`scripts/bench`, results/chain.md).
// - `Benchmarks/<Name>/`: package-benchmark suites (`swift package benchmark`). Add a suite as
//   one more `executableTarget` below with the same dependencies and plugin.
let package = Package(
    name: "KeelBenchmarks",
    platforms: [.macOS(.v14)],
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
        .executableTarget(
            name: "ChainBench",
            dependencies: [
                .product(name: "KeelCrypto", package: "Keel"),
                .product(name: "KeelChain", package: "Keel"),
                .product(name: "KeelNode", package: "Keel"),
                .product(name: "KeelSim", package: "Keel"),
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
