import ArgumentParser
import Foundation
import KeelChain
import KeelCrypto
import KeelLight
import KeelNode
import KeelProof

extension Keel {
    /// `keel light`: a light node that follows a node over its HTTP API holding no state.
    struct Light: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "light",
            abstract: "Follow a node without holding state: check headers, finality votes and state roots.",
            discussion: """
                For each new block: the proposer's signature; every attestation's signature, \
                counted so that a checkpoint is believed justified or finalized only when the \
                votes carry at least 2/3 of active stake; and the post-state root, checked by \
                a proof (--verify proof) or by re-executing the block from its witness alone \
                (--verify reexec). Prints per block the slot, the roots, the verifier and the \
                time its checks took. The proof backend is a STUB: a stub proof is \
                the prover's signature over the claim and proves nothing about execution.
                """,
            subcommands: [Follow.self, AccountCommand.self],
            defaultSubcommand: Follow.self)
    }
}

/// Options shared by `keel light` and `keel light account`.
struct LightOptions: ParsableArguments {
    @Option(help: "The node's API, e.g. http://127.0.0.1:5052 (a prover node: see 'keel node --prover').")
    var node: String

    @Option(help: "How to check state roots: proof (check the prover's proof) or reexec (re-execute from the witness).")
    var verify: VerifyMethod = .proof

    @Option(help: "Where to start: genesis, finalized (the node's finalized block, trusted), or a block root to trust.")
    var from: String = "genesis"

    @Option(help: "The genesis file to trust (default: fetched from the node, which is then trusted for it).")
    var genesis: String?

    @Option(help: "Seconds to wait for each answer from the node.")
    var requestTimeout: Int = 10

    @Option(help: "With --verify proof: the proof system the prover node uses, stub (trusts the prover key) or stark (keel-stark-v1: checks a STARK of every VM call).")
    var proofSystem: ProofSystemName = .stub

    @Flag(help: "With --verify reexec: check the node's receipts of each block against the ones re-executing it gives.")
    var checkReceipts = false

    enum VerifyMethod: String, ExpressibleByArgument, CaseIterable {
        case proof, reexec
    }

    func validate() throws {
        guard (1...600).contains(requestTimeout) else { throw ValidationError("--request-timeout must be 1...600") }
        guard from == "genesis" || from == "finalized" || Root(hex: from) != nil else {
            throw ValidationError("--from must be genesis, finalized or a 32-byte hex block root")
        }
        do { _ = try NodeURL(node) } catch { throw ValidationError("--node: \(error)") }
        if proofSystem != .stub, verify != .proof {
            throw ValidationError("--proof-system goes with --verify proof")
        }
        if checkReceipts, verify != .reexec {
            throw ValidationError("--check-receipts needs --verify reexec: the stub proof says nothing about what transactions did")
        }
    }

    /// Connects, loads genesis, picks the verifier and the anchor: a follower ready to catch up.
    func makeFollower(say: (String) -> Void) async throws -> LightFollower {
        let client = LightHTTPClient(baseURL: try NodeURL(node), timeout: .seconds(requestTimeout))
        let source = LightNodeSource(client: client)
        let file: GenesisFile
        if let genesis {
            do { file = try GenesisFile.load(path: genesis) } catch { throw UsageError("\(error)") }
        } else {
            file = try await source.genesisFile()
            say("genesis fetched from the node and trusted (pin it with --genesis FILE)")
        }
        let config = file.config
        let verifier: StateRootVerifier
        switch verify {
        case .reexec:
            verifier = .reexec
        case .proof:
            let system: any ProofSystem
            switch proofSystem {
            case .stub:
                guard let proverKey = config.proverKey else { throw LightFollowError.noProverKey }
                system = StubSignedClaimProofSystem(proverKey: proverKey, genesisRoot: config.genesisRoot)
            case .stark:
                system = StarkProofSystem(preset: config.preset)
            }
            say("proof system: \(system.systemID) — \(system.guarantee)")
            verifier = .proof(system)
        }
        let anchor: Root?
        switch from {
        case "genesis":
            anchor = nil
        case "finalized":
            anchor = try await source.finalizedRoot()
            say("starting from the node's finalized block \(anchor!.hex), trusted")
        default:
            anchor = Root(hex: from)!
        }
        // Before the first finality the node reports a zero root; the genesis block has no
        // registry proof (nothing proved it): both mean genesis, which the file gives whole.
        let chain: LightChain
        if let anchor, anchor != .zero, try await source.block(anchor).message.slot != Slot(0) {
            chain = try await LightFollower.checkpointChain(anchor, genesis: config, source: source)
        } else {
            chain = try LightFollower.genesisChain(file)
        }
        say("genesis root \(config.genesisRoot.hex); verifying with \(verifier.name) from \(from)")
        var follower = LightFollower(source: source, verifier: verifier, chain: chain)
        follower.checksReceipts = checkReceipts
        if checkReceipts { say("checking every block's receipts against re-execution") }
        return follower
    }
}

extension Keel.Light {
    /// `keel light [follow]`: verify the chain up to the node's head, then keep following.
    struct Follow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "follow", abstract: "Follow the node's chain, verifying every block (the default).")

        @OptionGroup var options: LightOptions

        @Option(help: "Exit 0 once a block at this slot or later is verified.")
        var untilSlot: UInt64?

        @Option(help: "Exit 0 once this epoch is finalized (by the checked votes).")
        var untilFinalized: UInt64?

        @Option(help: "Give up (exit 1) after this many seconds in all.")
        var timeout: Int?

        @Option(help: "Milliseconds between polls of the node's head.")
        var pollMs: Int = 500

        func validate() throws {
            guard (10...60_000).contains(pollMs) else { throw ValidationError("--poll-ms must be 10...60000") }
            if let timeout, timeout < 1 { throw ValidationError("--timeout must be at least 1") }
        }

        func run() throws {
            let options = options, untilSlot = untilSlot, untilFinalized = untilFinalized, pollMs = pollMs
            let deadline = timeout.map { ContinuousClock.now + .seconds($0) }
            let reached: Bool = try blockingAwait {
                var follower = try await options.makeFollower(say: LightOutput.say)
                while true {
                    do {
                        try await follower.catchUp(report: LightOutput.block)
                    } catch LightFollowError.http(let error) {
                        // A node restarting, or a proof not made yet, is not a reason to stop
                        // following; a block that fails its checks is.
                        LightOutput.say("retrying after: \(error)")
                    }
                    let latest = follower.chain.blocks[follower.chain.latest]!
                    if let untilSlot, latest.slot.rawValue >= untilSlot { return true }
                    if let untilFinalized, latest.finalized.epoch.rawValue >= untilFinalized { return true }
                    if let deadline, ContinuousClock.now >= deadline { return false }
                    try await Task.sleep(for: .milliseconds(pollMs))
                }
            }
            if !reached {
                LightOutput.say("timed out")
                throw ExitCode(1)
            }
        }
    }

    /// `keel light account ADDRESS`: a balance, proven against a state root the light node
    /// verified.
    struct AccountCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "account",
            abstract: "Print an account's balance, checked by its Merkle proof against a verified state root.")

        @Argument(help: "The account address (32-byte hex).")
        var address: String

        @OptionGroup var options: LightOptions

        func validate() throws {
            guard Hash32(hex: address) != nil else { throw ValidationError("ADDRESS must be 32-byte hex") }
        }

        func run() throws {
            let options = options, address = Address(Hash32(hex: address)!)
            try blockingAwait {
                var follower = try await options.makeFollower(say: LightOutput.say)
                let verified = try await follower.catchUp { _, _ in }
                LightOutput.say("verified \(verified) blocks up to slot \(follower.chain.blocks[follower.chain.latest]!.slot)")
                let (claim, block) = try await follower.account(address)
                let balance = claim.account.map { String($0.balance.rawValue) } ?? "0 (no account)"
                print("address     \(address.hash.hex)")
                print("balance     \(balance)")
                print("nonce       \(claim.account?.nonce ?? 0)")
                print("state root  \(claim.stateRoot.hex) (verified: block at slot \(block.slot), \(options.verify.rawValue))")
                print("proof       \(claim.account == nil ? "exclusion" : "inclusion") proof checked against it")
            }
        }
    }
}

/// What `keel light` prints: one line per verified block, one per finality change.
enum LightOutput {
    @Sendable static func say(_ line: String) {
        FileHandle.standardError.write(Data("keel light: \(line)\n".utf8))
    }

    @Sendable static func block(_ report: LightBlockReport, _ duration: Duration) {
        let slot = String(report.slot.rawValue).leftPadded(to: 6)
        let verifier = report.verifier.padding(toLength: 6, withPad: " ", startingAt: 0)
        var lines = "slot \(slot)  block \(report.root.hex.prefix(16))  state_root \(report.stateRoot.hex)  "
            + "\(verifier) \(format(duration))  vm_steps \(report.vmSteps)\n"
        if let justified = report.newlyJustified {
            lines += "  justified epoch \(justified.epoch) (\(justified.root.hex.prefix(16))): votes carry >= 2/3 of active stake\n"
        }
        if let finalized = report.newlyFinalized {
            lines += "  finalized epoch \(finalized.epoch) (\(finalized.root.hex.prefix(16))): votes carry >= 2/3 of active stake\n"
        }
        // Unbuffered, so that a watcher sees each block as it is verified.
        FileHandle.standardOutput.write(Data(lines.utf8))
    }

    static func format(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%9.3f ms", ms)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
