// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets. Built only by scripts/fuzz with
// `swift build --sanitize=fuzzer --sanitize=address`; each target's single file defines
// LLVMFuzzerTestOneInput and no main, which the fuzzer runtime provides.
//
// KeelFuzzSeeds is the exception: an ordinary executable (never built with the fuzzer
// sanitizer) that writes the seed corpora of Fuzz/corpus/ (`scripts/fuzz-seeds`).
let package = Package(
    name: "KeelFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Keel", path: "..")],
    targets: [
        .executableTarget(
            name: "KeelVMFuzz",
            dependencies: [
                .product(name: "KeelVM", package: "Keel"),
                .product(name: "KeelTestSupport", package: "Keel"),
            ],
            path: "KeelVMFuzz"
        ),
        .executableTarget(
            name: "KeelAsmFuzz",
            dependencies: [.product(name: "KeelVM", package: "Keel")],
            path: "KeelAsmFuzz"
        ),
        .executableTarget(
            name: "KeelCodecFuzz",
            dependencies: [
                .product(name: "KeelCrypto", package: "Keel"),
                .product(name: "KeelChain", package: "Keel"),
            ],
            path: "KeelCodecFuzz"
        ),
        // P2P messages live in KeelNode (NIO), kept apart so the consensus codec target builds
        // without the network stack.
        .executableTarget(
            name: "KeelWireFuzz",
            dependencies: [
                .product(name: "KeelChain", package: "Keel"),
                .product(name: "KeelNode", package: "Keel"),
            ],
            path: "KeelWireFuzz"
        ),
        .executableTarget(
            name: "KeelStateFuzz",
            dependencies: [
                .product(name: "KeelCrypto", package: "Keel"),
                .product(name: "KeelChain", package: "Keel"),
            ],
            path: "KeelStateFuzz"
        ),
        .executableTarget(
            name: "KeelForkChoiceFuzz",
            dependencies: [
                .product(name: "KeelCrypto", package: "Keel"),
                .product(name: "KeelChain", package: "Keel"),
                .product(name: "KeelConsensus", package: "Keel"),
            ],
            path: "KeelForkChoiceFuzz"
        ),
        .executableTarget(
            name: "KeelWitnessFuzz",
            dependencies: [
                .product(name: "KeelCrypto", package: "Keel"),
                .product(name: "KeelChain", package: "Keel"),
                .product(name: "KeelProof", package: "Keel"),
            ],
            path: "KeelWitnessFuzz"
        ),
        .executableTarget(
            name: "KeelStarkFuzz",
            dependencies: [.product(name: "KeelStark", package: "Keel"), .product(name: "KeelVM", package: "Keel")],
            path: "KeelStarkFuzz"
        ),
        .executableTarget(
            name: "KeelFuzzSeeds",
            dependencies: [
                .product(name: "KeelCrypto", package: "Keel"),
                .product(name: "KeelVM", package: "Keel"),
                .product(name: "KeelChain", package: "Keel"),
                .product(name: "KeelProof", package: "Keel"),
                .product(name: "KeelStark", package: "Keel"),
            ],
            path: "KeelFuzzSeeds"
        ),
    ]
)
