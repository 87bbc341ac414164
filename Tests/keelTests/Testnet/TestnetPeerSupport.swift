import Foundation
import KeelChain
import KeelNode

/// The parts of `testnet.json` the multi-process tests read.
struct TestnetManifestFile: Decodable {
    struct Node: Decodable {
        var index: Int
        var validators: [UInt64]
        var p2p_port: Int
        var api_port: Int
    }

    var genesis_root: String
    var genesis_time_ms: UInt64
    var slot_ms: UInt64
    var slots_per_epoch: UInt64
    var validator_count: Int
    var host: String
    var nodes: [Node]

    static func load(_ directory: URL) throws -> TestnetManifestFile {
        try JSONDecoder().decode(TestnetManifestFile.self, from: Data(contentsOf: directory.appendingPathComponent("testnet.json")))
    }

    func slot(atMs nowMs: UInt64) -> UInt64 {
        nowMs < genesis_time_ms ? 0 : (nowMs - genesis_time_ms) / slot_ms
    }
}

/// Runs blocking work (process spawning, polling with `Thread.sleep`) off the cooperative pool,
/// so that an in-process peer's event consumer keeps running on this 2-core machine.
func offPool<T>(_ work: @escaping () throws -> T) async throws -> T {
    let box = UnsafeTransfer(work)
    return try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try box.value() }) }
    }
}

func offPoolQuietly(_ work: @escaping () -> Void) async {
    let box = UnsafeTransfer(work)
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            box.value()
            continuation.resume()
        }
    }
}

/// An in-process peer that serves no blocks.
struct EmptyBlockProvider: BlockProvider {
    func blocksByRange(startSlot: Slot, count: UInt64) async -> [SignedBlock] { [] }
    func blocksByRoot(_ roots: [Root]) async -> [SignedBlock] { [] }
}

/// Carries a non-Sendable value (the harness, a closure over it) to the thread that runs it
/// while the test waits.
struct UnsafeTransfer<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
