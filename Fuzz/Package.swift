// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets. Built only by scripts/fuzz with
// `swift build --sanitize=fuzzer --sanitize=address`; each target's single file defines
// LLVMFuzzerTestOneInput and no main, which the fuzzer runtime provides.
let package = Package(
    name: "KeelFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Keel", path: "..")],
    targets: [
        .executableTarget(
            name: "KeelVMFuzz",
            dependencies: [
                .product(name: "KeelVM", package: "Keel"),
                .product(name: "KeelTestSupport", package: "Keel"),
            ],
            path: "KeelVMFuzz"
        )
    ]
)
