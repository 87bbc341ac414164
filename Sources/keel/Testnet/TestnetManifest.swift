import Foundation
import KeelNode

/// What `keel testnet up` decided, saved as `testnet.json` so that `status`, `stop`, `kill`,
/// `restart` and `logs` (often run from another terminal) act on the same nodes.
struct TestnetManifest: Codable, Equatable {
    /// The format version; a manifest of another version is refused.
    static let currentVersion = 1

    /// One node: its validators, ports and role.
    struct Node: Codable, Equatable {
        var index: Int
        /// The validator indices it runs (possibly none).
        var validators: [UInt64]
        var p2pPort: Int
        var apiPort: Int
        /// Runs with slashing protection off, double-proposing and double-voting.
        var byzantine: Bool
        /// The nodes it dials (the ones before it: one connection per pair).
        var peers: [Int]
        /// Runs with `--prover`: proves every block and serves proofs for light nodes.
        var prover: Bool = false
        /// The prover's proof system (absent: the stub).
        var proofSystem: ProofSystemName = .stub

        enum CodingKeys: String, CodingKey {
            case index, validators, byzantine, peers, prover
            case proofSystem = "proof_system"
            case p2pPort = "p2p_port"
            case apiPort = "api_port"
        }

        init(
            index: Int, validators: [UInt64], p2pPort: Int, apiPort: Int, byzantine: Bool, peers: [Int], prover: Bool,
            proofSystem: ProofSystemName = .stub
        ) {
            self.proofSystem = proofSystem
            self.index = index
            self.validators = validators
            self.p2pPort = p2pPort
            self.apiPort = apiPort
            self.byzantine = byzantine
            self.peers = peers
            self.prover = prover
        }

        /// Decodes a node; a manifest written before provers has no `prover` field (false).
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            index = try container.decode(Int.self, forKey: .index)
            validators = try container.decode([UInt64].self, forKey: .validators)
            p2pPort = try container.decode(Int.self, forKey: .p2pPort)
            apiPort = try container.decode(Int.self, forKey: .apiPort)
            byzantine = try container.decode(Bool.self, forKey: .byzantine)
            peers = try container.decode([Int].self, forKey: .peers)
            prover = try container.decodeIfPresent(Bool.self, forKey: .prover) ?? false
            proofSystem = try container.decodeIfPresent(ProofSystemName.self, forKey: .proofSystem) ?? .stub
        }
    }

    var version: Int
    var genesisRoot: String
    var genesisTimeMs: UInt64
    var slotMs: UInt64
    var slotsPerEpoch: UInt64
    var validatorCount: Int
    var host: String
    var nodes: [Node]

    enum CodingKeys: String, CodingKey {
        case version, host, nodes
        case genesisRoot = "genesis_root"
        case genesisTimeMs = "genesis_time_ms"
        case slotMs = "slot_ms"
        case slotsPerEpoch = "slots_per_epoch"
        case validatorCount = "validator_count"
    }

    /// Validators split into `nodeCount` contiguous runs, the first nodes taking one more when
    /// the split is uneven (10 over 4: 3, 3, 2, 2).
    static func split(validatorCount: Int, nodeCount: Int) -> [[UInt64]] {
        precondition(validatorCount >= 0 && nodeCount >= 1, "validators split over at least one node")
        let base = validatorCount / nodeCount
        let extra = validatorCount % nodeCount
        var next: UInt64 = 0
        return (0..<nodeCount).map { node in
            let count = base + (node < extra ? 1 : 0)
            defer { next += UInt64(count) }
            return Array(next..<next + UInt64(count))
        }
    }

    /// The node that runs with `--prover`, if any.
    var proverNode: Node? { nodes.first { $0.prover } }

    /// The testnet's slot clock (the one its nodes run on).
    var clock: SlotClock { SlotClock(genesisTimeMs: genesisTimeMs, slotMs: slotMs) }

    /// Loads the manifest of `layout`, or explains why it cannot.
    static func load(_ layout: TestnetLayout) throws -> TestnetManifest {
        guard FileManager.default.fileExists(atPath: layout.manifest.path) else {
            throw UsageError("no testnet in \(layout.directory.path) (start one with 'keel testnet up --dir \(layout.directory.path)')")
        }
        let manifest: TestnetManifest
        do {
            manifest = try JSONDecoder().decode(TestnetManifest.self, from: Data(contentsOf: layout.manifest))
        } catch {
            throw UsageError("\(layout.manifest.path): not a testnet manifest (\(error))")
        }
        guard manifest.version == currentVersion else {
            throw UsageError("\(layout.manifest.path): manifest version \(manifest.version), this keel reads \(currentVersion)")
        }
        return manifest
    }

    /// Writes the manifest atomically.
    func write(_ layout: TestnetLayout) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: layout.manifest, options: .atomic)
    }

    /// The node of index `node`, or a usage error naming the valid range.
    func node(_ node: Int) throws -> Node {
        guard let found = nodes.first(where: { $0.index == node }) else {
            throw UsageError("no node \(node) in this testnet (nodes 0...\(nodes.count - 1))")
        }
        return found
    }
}
