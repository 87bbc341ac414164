import Foundation
import KeelChain
import KeelCrypto
import KeelProof
import KeelStark
import KeelVM

// Writes the committed seed corpora of the fuzz targets into Fuzz/corpus/<Target>/.
// Run by scripts/fuzz-seeds (an ordinary debug build, not a fuzzer build). Deterministic:
// running it again rewrites the same files.
//
// The wire seeds are encoded here by hand (tag byte, then the fields, spec of
// Sources/KeelNode/P2P/WireMessage+Codec.swift) so that this tool does not need KeelNode and
// its network stack; KeelWireFuzz itself checks them against the real codec.

let root = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : ".")
let corpus = root.appendingPathComponent("Fuzz/corpus")

func write(_ target: String, _ name: String, _ bytes: [UInt8]) {
    let directory = corpus.appendingPathComponent(target)
    try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try! Data(bytes).write(to: directory.appendingPathComponent(name))
}

func encoding(_ body: (inout ByteWriter) -> Void) -> [UInt8] {
    var writer = ByteWriter()
    body(&writer)
    return writer.finish()
}

// MARK: Objects from a tiny devnet

let keys = (0..<UInt64(4)).map { DevnetKeys.secretKey(validatorIndex: $0) }
let addresses = keys.map { Address($0.publicKey) }
var preset = Preset.devnet
// Short history vectors keep the ChainState seed near 2 KB instead of 20 KB.
preset.slotsPerHistoricalRoot = 16
preset.epochsPerHistoricalVector = 4
preset.epochsPerSlashingsVector = 4
let config = DevnetGenesis.config(validatorCount: 4, preset: preset, genesisTimeMs: 0, randaoChainLength: 8)
var genesis = try! ChainState.genesis(config)
let genesisRoot = genesis.genesisBlockRoot()
let chains = (0..<UInt64(4)).map { DevnetGenesis.randaoChain(validatorIndex: $0, length: 8) }

let transfer = Transaction(sender: addresses[0], nonce: 0, fee: Stake(1), kind: .transfer(recipient: addresses[1], amount: Stake(1_000)))
let signedTransfer = SignedTransaction(message: transfer, signature: keys[0].sign(genesis.signingRoot(of: transfer)))
let deploy = Transaction(sender: addresses[1], nonce: 0, fee: Stake(10), kind: .deploy(code: Array("KEEL".utf8) + [1, 4, 0, 0] + [UInt8](repeating: 0, count: 16)))
let call = Transaction(sender: addresses[2], nonce: 3, fee: Stake(100), kind: .call(program: addresses[3], input: [1, 2, 3], stepLimit: 50))
let depositTx = Transaction(
    sender: addresses[0], nonce: 1, fee: .zero,
    kind: .deposit(validatorKey: keys[3].publicKey, amount: Stake(32_000_000_000), randaoCommitment: chains[3].commitment,
                   proofOfPossession: keys[3].sign(genesisRoot)))
let exitTx = Transaction(sender: addresses[2], nonce: 0, fee: .zero, kind: .exit(validator: ValidatorIndex(2)))

let checkpoint = Checkpoint(epoch: Epoch(1), root: genesisRoot)
let data = AttestationData(slot: Slot(1), beaconBlockRoot: genesisRoot, source: Checkpoint(epoch: Epoch(0), root: .zero), target: checkpoint)
let attestation = Attestation(validatorIndex: ValidatorIndex(1), data: data, signature: keys[1].sign(genesis.signingRoot(of: data)))
var data2 = data
data2.beaconBlockRoot = SHA256.hash([1])
let attestation2 = Attestation(validatorIndex: ValidatorIndex(1), data: data2, signature: keys[1].sign(genesis.signingRoot(of: data2)))
let attesterSlashing = AttesterSlashing(attestation1: attestation, attestation2: attestation2)
let header1 = BlockHeader(slot: Slot(2), proposerIndex: ValidatorIndex(0), parentRoot: genesisRoot, stateRoot: .zero, bodyRoot: .zero)
var header2 = header1
header2.bodyRoot = SHA256.hash([2])
let signedHeader1 = SignedBlockHeader(message: header1, signature: keys[0].sign(genesis.signingRoot(of: header1)))
let signedHeader2 = SignedBlockHeader(message: header2, signature: keys[0].sign(genesis.signingRoot(of: header2)))
let proposerSlashing = ProposerSlashing(signedHeader1: signedHeader1, signedHeader2: signedHeader2)

var preview = genesis
try! preview.processSlots(Slot(1))
let proposer = Int(try! preview.getBeaconProposerIndex().rawValue)
let proposal = try! genesis.produceBlock(
    slot: Slot(1), randaoReveal: chains[proposer].reveal(number: 1)!, operations: BlockOperations(transactions: [signedTransfer]))
let block = proposal.block
let signedBlock = SignedBlock(message: block, signature: keys[proposer].sign(genesis.signingRoot(of: block)))
var fullBody = block.body
fullBody.attestations = [attestation]
fullBody.proposerSlashings = [proposerSlashing]
fullBody.attesterSlashings = [attesterSlashing]
fullBody.transactions = [signedTransfer, SignedTransaction(message: call, signature: keys[2].sign(genesis.signingRoot(of: call)))]
let emptyBlock = Block(slot: Slot(3), proposerIndex: ValidatorIndex(1), parentRoot: genesisRoot, stateRoot: .zero, body: BlockBody(randaoReveal: .zero))

// MARK: KeelCodecFuzz: selector byte (the order of `decoders` in KeelCodecFuzz.swift), then the encoding

let codecSeeds: [(String, UInt8, [UInt8])] = [
    ("block", 0, block.encoded),
    ("block-empty", 0, emptyBlock.encoded),
    ("signed-block", 1, signedBlock.encoded),
    ("body-full", 2, fullBody.encoded),
    ("attestation", 3, attestation.encoded),
    ("attestation-data", 4, data.encoded),
    ("checkpoint", 5, checkpoint.encoded),
    ("proposer-slashing", 6, proposerSlashing.encoded),
    ("attester-slashing", 7, attesterSlashing.encoded),
    ("transaction-transfer", 8, transfer.encoded),
    ("signed-transaction", 9, signedTransfer.encoded),
    ("kind-deploy", 10, deploy.kind.encoded),
    ("kind-call", 10, call.kind.encoded),
    ("kind-deposit", 10, depositTx.kind.encoded),
    ("kind-exit", 10, exitTx.kind.encoded),
    ("header", 11, header1.encoded),
    ("signed-header", 12, signedHeader1.encoded),
    ("validator", 13, genesis.validators[0].encoded),
    ("account", 14, Account(balance: Stake(5), nonce: 2).encoded),
    ("program-account", 15, ProgramAccount(code: deploy.kind.encoded, storage: [1, 2]).encoded),
    ("slot", 17, Slot(7).encoded),
    ("address", 21, addresses[0].encoded),
    ("public-key", 23, keys[0].publicKey.encoded),
    ("signature", 24, signedTransfer.signature.encoded),
    ("chain-state", 25, proposal.postState.encoded),
]
for (name, selector, bytes) in codecSeeds { write("KeelCodecFuzz", name, [selector] + bytes) }

// MARK: KeelWireFuzz: byte 0 even = one payload, odd = a framed stream

func frame(_ payload: [UInt8]) -> [UInt8] {
    encoding { writer in
        writer.write(UInt32(payload.count + 1))
        writer.write(UInt8(1)) // WireLimits.protocolVersion
        writer.write(payload)
    }
}

let hello = encoding { writer in
    writer.write(UInt8(0))
    writer.write(UInt8(1))
    writer.write(genesisRoot)
    writer.write(block.hashTreeRoot)
    writer.write(UInt64(1))
    checkpoint.encode(to: &writer)
    writer.write(UInt64(42))
    writer.write(UInt32(9000))
}
let wirePayloads: [(String, [UInt8])] = [
    ("hello", hello),
    ("goodbye", [1, 3]),
    ("ping", encoding { $0.write(UInt8(2)); $0.write(UInt64(7)) }),
    ("pong", encoding { $0.write(UInt8(3)); $0.write(UInt64(7)) }),
    ("block", [4] + signedBlock.encoded),
    ("attestation", [5] + attestation.encoded),
    ("proposer-slashing", [6] + proposerSlashing.encoded),
    ("attester-slashing", [7] + attesterSlashing.encoded),
    ("transaction", [8] + signedTransfer.encoded),
    ("range-request", encoding { $0.write(UInt8(9)); $0.write(UInt64(1)); $0.write(UInt64(0)); $0.write(UInt64(16)) }),
    ("root-request", encoding { $0.write(UInt8(10)); $0.write(UInt64(2)); $0.writeCount(2); $0.write(genesisRoot); $0.write(block.hashTreeRoot) }),
    ("blocks-response", encoding { $0.write(UInt8(11)); $0.write(UInt64(2)); $0.writeList([signedBlock]) }),
]
for (name, payload) in wirePayloads { write("KeelWireFuzz", "payload-" + name, [0] + payload) }
// Streams: piece size (byte 0 >> 1) + 1.
write("KeelWireFuzz", "stream-hello-ping", [0x01] + frame(hello) + frame(wirePayloads[2].1))
write("KeelWireFuzz", "stream-block-split", [0x0F] + frame(wirePayloads[4].1) + frame(wirePayloads[5].1))
write("KeelWireFuzz", "stream-all", [0xFF] + wirePayloads.flatMap { frame($0.1) })
write("KeelWireFuzz", "stream-partial", [0x03] + frame(wirePayloads[8].1) + Array(frame(wirePayloads[6].1).prefix(40)))

// MARK: KeelAsmFuzz: the genesis programs, disassemblies, and small valid and invalid texts

let programs = root.appendingPathComponent("Genesis/programs")
for name in try! FileManager.default.contentsOfDirectory(atPath: programs.path).sorted() where name.hasSuffix(".kasm") {
    let text = try! String(contentsOf: programs.appendingPathComponent(name), encoding: .utf8)
    write("KeelAsmFuzz", name, Array(text.utf8))
    let program = try! Assembler.assemble(text)
    write("KeelAsmFuzz", name.replacingOccurrences(of: ".kasm", with: ".disassembled.kasm"), Array(Disassembler.disassemble(program).utf8))
}
let snippets: [(String, String)] = [
    ("halt", "halt\n"),
    ("directives", ".memory 4\n.storage 2\n.inputs 1\n.outputs 1\n    halt\n"),
    ("memory-ops", ".memory 5\n    deref r0, [r1 + 4]\n    deref [r1 + 2], r0\n    deref r3, [r1]\n    halt\n"),
    ("labels", "start:\n    add r0, r1, 5\n    jump r0, start\nend:\n    jump 1, end, fp+4\n"),
    ("field-edges", "    add r0, 2130706432, -1\n    mul r1, fp+3, 0x10\n    halt\n"),
    ("error-operands", "add r0\n"),
    ("error-label-twice", "a:\na:\n    halt\n"),
    ("error-unknown-label", "    jump 1, nowhere\n"),
    ("error-directive", ".memory 99\n"),
    ("error-utf8", "    add r0, r1, é\n; ünïcödé\n\tmul\n"),
    ("error-unclosed", "    deref r0, [r1 + 4\n"),
]
for (name, text) in snippets { write("KeelAsmFuzz", name + ".kasm", Array(text.utf8)) }

// MARK: KeelStateFuzz: opcode sequences (see Harness.run)

let honest = [UInt8](repeating: 7, count: 40)
write("KeelStateFuzz", "honest-40", honest)
write("KeelStateFuzz", "honest-then-transfers", [UInt8](repeating: 7, count: 12) + [6, 3, 0, 1, 0, 0x10, 0x27, 5, 1, 2, 1, 0x01, 0x00, 3, 3, 7, 7])
// op 0: gap, flags, then each flagged operation's bytes.
write("KeelStateFuzz", "transfers", [0, 0, 0x03, 2, 0, 1, 0, 0x10, 0x27, 5, 1, 2, 2, 0, 3, 0, 0, 0, 0xFF, 7, 7, 0, 0, 0x02, 0, 2, 250, 1, 0x01, 0x00, 1])
write("KeelStateFuzz", "proposer-slashing", [7, 7, 7, 0, 0, 0x05, 3, 0, 9, 0xFF, 7, 7])
write("KeelStateFuzz", "attester-slashing-double", [7, 7, 7, 7, 0, 0, 0x09, 2, 0x00, 0xFF, 7, 7, 7])
write("KeelStateFuzz", "attester-slashing-surround", [UInt8](repeating: 7, count: 20) + [0, 0, 0x09, 2, 0x40, 0xFF] + [UInt8](repeating: 7, count: 10))
write("KeelStateFuzz", "exit-deposit-deploy", [7, 7, 0, 0, 0x70, 1, 2, 9, 2, 32, 1, 8, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 5, 7, 7, 5, 8, 7])
write("KeelStateFuzz", "mutated-blocks", [7, 7, 4, 0, 0, 1, 4, 40, 0, 0x80, 4, 200, 0, 4, 7, 4, 100, 0, 0x20, 7])
write("KeelStateFuzz", "skipped-slots", [7, 5, 8, 7, 7, 5, 3, 0, 1, 0x81, 3, 2, 4, 7, 3, 0x55, 1, 3, 0xFF, 2, 7, 7, 7])
write("KeelStateFuzz", "everything", [UInt8](repeating: 7, count: 16) + [0, 1, 0xFF, 1, 0, 1, 0, 0x10, 0x27, 5, 1, 9, 0xFF, 5, 1, 0x00, 0xFF, 1, 0, 1, 2, 32, 3, 0, 4, 1, 0, 1, 0x22] + [UInt8](repeating: 7, count: 16))
var mixed = SplitMix(seed: 1)
for index in 0..<6 {
    write("KeelStateFuzz", "random-\(index)", [UInt8](repeating: 7, count: 8 * index) + (0..<48).map { _ in mixed.byte() })
}

// MARK: KeelForkChoiceFuzz: event sequences (see the opcode switch in KeelForkChoiceFuzz.swift)

func events(_ indices: [Int], _ make: (Int) -> [UInt8]) -> [UInt8] {
    var result: [UInt8] = []
    for index in indices { result += make(index) }
    return result
}
let inOrder = events(Array(0..<40)) { _ in [7, 0] }
let forks = events(Array(40..<66)) { [1, UInt8($0)] }
let allBlocks = events(Array(0..<66)) { [1, UInt8($0)] }
write("KeelForkChoiceFuzz", "main-in-order", inOrder)
write("KeelForkChoiceFuzz", "main-then-forks", inOrder + events(Array(40..<66)) { [1, UInt8($0), 0, 1] })
write("KeelForkChoiceFuzz", "forks-first", [6, 47] + forks + inOrder)
write("KeelForkChoiceFuzz", "reverse", [6, 47] + events(Array((0..<66).reversed())) { [2, UInt8($0)] } + events(Array(0..<66)) { [3, UInt8($0)] })
write("KeelForkChoiceFuzz", "votes", [6, 47] + allBlocks + events(Array(0..<120)) { [4, UInt8($0 >> 3), UInt8(($0 * 37) & 0xFF)] })
write("KeelForkChoiceFuzz", "ticks-and-gossip", events(Array(0..<40)) { [0, 1, 1, UInt8($0), 12, 0, UInt8($0 * 5)] })
var forkRandom = SplitMix(seed: 2)
for index in 0..<6 {
    write("KeelForkChoiceFuzz", "random-\(index)", [UInt8](repeating: 7, count: 4 * index) + (0..<128).map { _ in forkRandom.byte() })
}

// MARK: KeelWitnessFuzz: mode byte (0 witness, 1 edits of the honest witness, 2 claim and proof)

// The block, witness and prover of KeelWitnessFuzz.swift's `Fixture`, rebuilt the same way:
// change one, change the other.
func witnessFuzzSeeds() {
    var preset = Preset.devnet
    preset.slotsPerHistoricalRoot = 16
    preset.epochsPerHistoricalVector = 4
    preset.epochsPerSlashingsVector = 4
    let randaoChainLength: UInt32 = 4
    var config = DevnetGenesis.config(validatorCount: 4, preset: preset, genesisTimeMs: 0, randaoChainLength: randaoChainLength)
    let bystanders = (0..<3).map { Address(SHA256.hash(Array("keel/fuzz/witness/bystander/\($0)".utf8))) }
    for bystander in bystanders { config.accounts[bystander] = Stake(1_000) }
    let absent = Address(SHA256.hash(Array("keel/fuzz/witness/absent".utf8)))
    var state = try! ChainState.genesis(config)
    _ = state.hashTreeRoot()
    var preview = state
    try! preview.processSlots(Slot(1))
    let proposer = try! preview.getBeaconProposerIndex()
    let reveal = DevnetGenesis.randaoChain(validatorIndex: proposer.rawValue, length: randaoChainLength).reveal(number: 1)!
    let transfers = [(UInt64(0), bystanders[1]), (UInt64(1), absent)].map { sender, recipient in
        let key = DevnetKeys.secretKey(validatorIndex: sender)
        let transfer = Transaction(
            sender: Address(key.publicKey), nonce: 0, fee: Stake(1), kind: .transfer(recipient: recipient, amount: Stake(500)))
        return SignedTransaction(message: transfer, signature: key.sign(state.signingRoot(of: transfer)))
    }
    let proposal = try! state.produceBlock(slot: Slot(1), randaoReveal: reveal, operations: BlockOperations(transactions: transfers))
    let proposerKey = DevnetKeys.secretKey(validatorIndex: proposer.rawValue)
    let block = SignedBlock(message: proposal.block, signature: proposerKey.sign(state.signingRoot(of: proposal.block)))
    let traced = try! BlockWitnessBuilder.trace(block, preState: state)
    let proverKey = SecretKey(seed: SHA256.hash(Array("keel/fuzz/witness/prover".utf8)))
    let prover = StubSignedClaimProofSystem(proverSecretKey: proverKey, genesisRoot: state.genesisRoot)
    let proof = try! prover.prove(traced.claim, block: block, witness: traced.witness)

    write("KeelWitnessFuzz", "witness-honest", [0] + traced.witness.encoded)
    write("KeelWitnessFuzz", "witness-registry", [0] + StateWitness.registry(of: state).encoded)
    write("KeelWitnessFuzz", "witness-of-post-state", [0] + StateWitness.cut(
        from: traced.postState, accounts: Array(bystanders.prefix(2)) + [absent], programs: []).encoded)
    // Edits: kind (0 xor, 1 set, 2 insert, 3 delete, 4 truncate, 5 copy 32 bytes), position, argument.
    let size = traced.witness.encoded.count
    func edit(_ kind: UInt8, _ position: Int, _ argument: Int) -> [UInt8] {
        [kind, UInt8(position & 0xFF), UInt8(position >> 8 & 0xFF), UInt8(argument & 0xFF), UInt8(argument >> 8 & 0xFF)]
    }
    write("KeelWitnessFuzz", "edits-none", [1])
    write("KeelWitnessFuzz", "edits-xor-entries", [1] + edit(0, 200, 1) + edit(0, 1_000, 0x80))
    write("KeelWitnessFuzz", "edits-xor-multiproof", [1] + edit(0, size - 40, 1))
    write("KeelWitnessFuzz", "edits-insert-delete", [1] + edit(2, size / 2, 7) + edit(3, size / 2 + 9, 0))
    write("KeelWitnessFuzz", "edits-truncate", [1] + edit(4, size - 65, 0))
    write("KeelWitnessFuzz", "edits-copy-hash", [1] + edit(5, size - 33, size - 98))
    var editRandom = SplitMix(seed: 3)
    for index in 0..<4 {
        write("KeelWitnessFuzz", "edits-random-\(index)", [1] + (0..<(5 * (index + 1))).map { _ in editRandom.byte() })
    }
    write("KeelWitnessFuzz", "claim", [2] + traced.claim.encoded)
    write("KeelWitnessFuzz", "proof", [2] + proof.encoded)
    write("KeelWitnessFuzz", "claim-and-proof", [2] + traced.claim.encoded + proof.encoded)
    write("KeelWitnessFuzz", "claim-and-proof-other-system",
          [2] + traced.claim.encoded + TransitionProof(system: "zk-none", bytes: proof.bytes).encoded)
}
witnessFuzzSeeds()

// MARK: KeelStarkFuzz: mode byte (0 raw proof bytes, 1 edits of the honest lookup proof, 2 edits
// of the honest Fibonacci proof); the fixture is KeelStarkFuzz.swift's, rebuilt the same way.

func starkFuzzSeeds() {
    let fibonacci = FibonacciAir.trace(logRows: 6)
    let fibonacciProof = try! StarkProver.prove(fibonacci.air, trace: fibonacci.trace).encoded()
    let lookupProof = try! StarkProver.prove(
        RangeLookupAir(), trace: RangeLookupAir.trace(values: (0..<UInt32(64)).map { ($0 * 11) % 64 })).encoded()
    write("KeelStarkFuzz", "raw-lookup-proof", [0] + lookupProof)
    write("KeelStarkFuzz", "raw-fibonacci-proof", [0] + fibonacciProof)
    write("KeelStarkFuzz", "edit-lookup-ood", [1, 80, 0, 1])
    write("KeelStarkFuzz", "edit-fibonacci-root", [2, 3, 0, 0x80])
    // The fuzzer's program (KeelStarkFuzz.swift's Fixture.vmProgram): Fibonacci without the halt.
    let vmProgram = try! Assembler.assemble(try! String(contentsOfFile: root.path + "/Genesis/programs/fibonacci.kasm", encoding: .utf8)
        .replacingOccurrences(of: "    halt\n", with: ""))
    let callProof = try! VmCallProof.prove(program: vmProgram, storage: [], input: [10], stepLimit: 1_000)
    write("KeelStarkFuzz", "call-proof-fibonacci", [3] + callProof.encoded())
}
starkFuzzSeeds()

print("seeds written under \(corpus.path)")

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func byte() -> UInt8 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt8(truncatingIfNeeded: z ^ (z >> 31))
    }
}
