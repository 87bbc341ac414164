import KeelChain
import KeelCrypto
import KeelProof

/// Fuzzes the decoders of Sources/KeelProof (`StateWitness`, `TransitionClaim`,
/// `TransitionProof`), stateless re-execution against a dishonest witness, and the stub proof
/// system's verifier.
///
/// Every input works against the same fixture, built once (`Fixture`): a 4-validator devnet
/// genesis with short history vectors and a few funded accounts, one honest signed block at
/// slot 1 carrying two transfers (one to a funded account, one to an absent one, so the witness
/// holds a present entry and proves an absence), its pre-state root, and its honest witness and
/// claim from `BlockWitnessBuilder.trace`.
///
/// Input layout: byte 0 selects the mode (modulo 3), the rest is the mode's input:
/// - 0, **decoded witness**: the rest is decoded as a `StateWitness`. If it decodes,
///   re-encoding gives exactly those bytes (the codec is canonical), and
///   `StatelessReexecution.verify` of the block against the true pre-state root throws or
///   returns exactly the honest claim, with a post-state whose root is the honest post-state
///   root: a witness that opens against the true root can never make the block verify to
///   another root (or another step count).
/// - 1, **mutated witness**: the honest witness's encoding is edited by the rest, read as up to
///   `editCountMax` 5-byte edits (`applyEdits`: XOR, overwrite, insert, delete, truncate, copy
///   32 bytes), then decoded and checked as in mode 0. This keeps the fuzzer near the one
///   witness that verifies, where a soundness gap would show.
/// - 2, **claim and proof**: the rest is decoded alone as a `TransitionClaim` and alone as a
///   `TransitionProof`, and as a claim followed by a proof; each that decodes re-encodes to the
///   same bytes. Every decoded proof goes to `StubSignedClaimProofSystem.verify` (for its claim,
///   or the honest claim), which must not crash, must reject unless the proof is the prover's
///   genuine signature over that claim (BIP-340 signing here is deterministic, and without the
///   key the fuzzer can make no other valid signature), must accept the genuine one, and must
///   reject an accepted proof under another chain's genesis root or another prover key.
///
/// Signatures of the block are not re-checked (`strategy: .skip`): the fixture checks them
/// once, and what is fuzzed is the witness. An input costs well under 10 ms.
/// Any violation traps, which libFuzzer reports as a crash with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let fixture = Fixture.shared
    switch bytes[0] % 3 {
    case 0: checkWitness(encoded: Array(bytes[1...]), fixture)
    case 1: checkWitness(encoded: applyEdits(bytes[1...], to: fixture.witnessEncoding), fixture)
    default: checkClaimAndProof(bytes[1...], fixture)
    }
    return 0
}

/// Bounds the work of a mode-1 input.
private let editCountMax = 32
private let editByteCount = 5

/// The block, its honest witness and claim, and the stub proof systems, built once.
struct Fixture: Sendable {
    static let shared = Fixture()

    let preset: Preset
    let block: SignedBlock
    let preStateRoot: Root
    let honestClaim: TransitionClaim
    let witnessEncoding: [UInt8]
    let proverSecretKey: SecretKey
    let genesisRoot: Root
    let verifier: StubSignedClaimProofSystem
    /// The same prover on another chain, and another prover on this chain: both must reject
    /// every proof `verifier` accepts.
    let otherChainVerifier: StubSignedClaimProofSystem
    let otherProverVerifier: StubSignedClaimProofSystem
    /// The prover's genuine proof of `honestClaim`.
    let honestProof: TransitionProof

    init() {
        var preset = Preset.devnet
        // Short history vectors keep the witness near a few kilobytes (as in KeelFuzzSeeds).
        preset.slotsPerHistoricalRoot = 16
        preset.epochsPerHistoricalVector = 4
        preset.epochsPerSlashingsVector = 4
        self.preset = preset
        let parts = try! Self.makeBlock(preset: preset)
        block = parts.block
        var state = parts.preState
        preStateRoot = state.hashTreeRoot()
        genesisRoot = state.genesisRoot

        // The block is honest with its signatures checked, once.
        let traced = try! BlockWitnessBuilder.trace(block, preState: state, strategy: .verifyIndividually)
        honestClaim = traced.claim
        precondition(honestClaim.preStateRoot == preStateRoot, "the trace starts from the pre-state")
        precondition(honestClaim.postStateRoot == block.message.stateRoot, "the block names its post-state root")
        witnessEncoding = traced.witness.encoded
        let outcome = try! StatelessReexecution.verify(
            block, preStateRoot: preStateRoot, witness: StateWitness(decoding: witnessEncoding), preset: preset,
            strategy: .verifyIndividually)
        precondition(outcome.claim == honestClaim, "the honest witness verifies to the honest claim")

        proverSecretKey = SecretKey(seed: SHA256.hash(Array("keel/fuzz/witness/prover".utf8)))
        verifier = StubSignedClaimProofSystem(proverKey: proverSecretKey.publicKey, genesisRoot: genesisRoot)
        otherChainVerifier = StubSignedClaimProofSystem(proverKey: proverSecretKey.publicKey, genesisRoot: SHA256.hash([7]))
        let otherProver = SecretKey(seed: SHA256.hash(Array("keel/fuzz/witness/other-prover".utf8)))
        otherProverVerifier = StubSignedClaimProofSystem(proverKey: otherProver.publicKey, genesisRoot: genesisRoot)
        let prover = StubSignedClaimProofSystem(proverSecretKey: proverSecretKey, genesisRoot: genesisRoot)
        honestProof = try! prover.prove(honestClaim, block: block, witness: traced.witness)
        precondition((try? verifier.verify(honestProof, of: honestClaim)) != nil, "the genuine proof verifies")
    }

    /// The devnet genesis and the signed block of slot 1 with two transfers, built as
    /// Sources/keel/Bench/ReexecVsProofBlocks.swift builds its blocks.
    static func makeBlock(preset: Preset) throws -> (preState: ChainState, block: SignedBlock) {
        let randaoChainLength: UInt32 = 4
        var config = DevnetGenesis.config(
            validatorCount: 4, preset: preset, genesisTimeMs: 0, randaoChainLength: randaoChainLength)
        let bystanders = (0..<3).map { Address(SHA256.hash(Array("keel/fuzz/witness/bystander/\($0)".utf8))) }
        for bystander in bystanders { config.accounts[bystander] = Stake(1_000) }
        let absent = Address(SHA256.hash(Array("keel/fuzz/witness/absent".utf8)))
        var state = try ChainState.genesis(config)
        _ = state.hashTreeRoot()

        let slot = Slot(1)
        var preview = state
        try preview.processSlots(slot)
        let proposer = try preview.getBeaconProposerIndex()
        let reveal = DevnetGenesis.randaoChain(validatorIndex: proposer.rawValue, length: randaoChainLength).reveal(number: 1)!
        let transfers = [(UInt64(0), bystanders[1]), (UInt64(1), absent)].map { sender, recipient in
            let key = DevnetKeys.secretKey(validatorIndex: sender)
            let transfer = Transaction(
                sender: Address(key.publicKey), nonce: 0, fee: Stake(1), kind: .transfer(recipient: recipient, amount: Stake(500)))
            return SignedTransaction(message: transfer, signature: key.sign(state.signingRoot(of: transfer)))
        }
        let proposal = try state.produceBlock(slot: slot, randaoReveal: reveal, operations: BlockOperations(transactions: transfers))
        let proposerKey = DevnetKeys.secretKey(validatorIndex: proposer.rawValue)
        let block = SignedBlock(message: proposal.block, signature: proposerKey.sign(state.signingRoot(of: proposal.block)))
        return (state, block)
    }
}

// MARK: Modes 0 and 1: witnesses

/// Decodes `encoded` as a witness and, if it decodes, checks the codec and re-execution with it.
private func checkWitness(encoded: [UInt8], _ fixture: Fixture) {
    let witness: StateWitness
    do {
        witness = try StateWitness(decoding: encoded)
    } catch {
        _ = error.description
        return
    }
    precondition(witness.encoded == encoded, "StateWitness: re-encoding changed the bytes")
    let outcome: StatelessReexecution.Outcome
    do {
        outcome = try StatelessReexecution.verify(
            fixture.block, preStateRoot: fixture.preStateRoot, witness: witness, preset: fixture.preset, strategy: .skip)
    } catch {
        _ = error.description
        return
    }
    precondition(outcome.claim.postStateRoot == fixture.honestClaim.postStateRoot, "a witness made the block verify to another root")
    precondition(outcome.claim == fixture.honestClaim, "a witness made the block verify to another claim")
    var postState = outcome.postState
    precondition(postState.hashTreeRoot() == fixture.honestClaim.postStateRoot, "the re-executed post-state has another root")
}

/// The honest encoding edited by `edits`, read as 5-byte edits: a kind byte, a 16-bit
/// position (modulo the current length) and a 16-bit argument, all little-endian.
private func applyEdits(_ edits: ArraySlice<UInt8>, to honest: [UInt8]) -> [UInt8] {
    var bytes = honest
    var start = edits.startIndex
    var count = 0
    while start + editByteCount <= edits.endIndex && count < editCountMax {
        let kind = edits[start]
        let positionRaw = Int(edits[start + 1]) | Int(edits[start + 2]) << 8
        let argument = Int(edits[start + 3]) | Int(edits[start + 4]) << 8
        start += editByteCount
        count += 1
        let value = UInt8(truncatingIfNeeded: argument)
        switch kind % 6 {
        case 0: if !bytes.isEmpty { bytes[positionRaw % bytes.count] ^= value }
        case 1: if !bytes.isEmpty { bytes[positionRaw % bytes.count] = value }
        case 2: bytes.insert(value, at: positionRaw % (bytes.count + 1))
        case 3: if !bytes.isEmpty { bytes.remove(at: positionRaw % bytes.count) }
        case 4: bytes.removeLast(bytes.count - positionRaw % (bytes.count + 1))
        default:
            // Copies 32 bytes (a hash, in the multiproof) from `argument` over `position`.
            guard bytes.count >= 32 else { break }
            let source = argument % (bytes.count - 31)
            let target = positionRaw % (bytes.count - 31)
            let chunk = Array(bytes[source ..< source + 32])
            bytes.replaceSubrange(target ..< target + 32, with: chunk)
        }
        precondition(bytes.count <= honest.count + editCountMax, "edits grow the encoding by at most one byte each")
    }
    return bytes
}

// MARK: Mode 2: claims and proofs

private func checkClaimAndProof(_ bytes: ArraySlice<UInt8>, _ fixture: Fixture) {
    if let claim = try? TransitionClaim(decoding: bytes) {
        precondition(claim.encoded.elementsEqual(bytes), "TransitionClaim: re-encoding changed the bytes")
        precondition(bytes.count == TransitionClaim.encodedByteCount, "TransitionClaim: decoded from another size")
    }
    if let proof = try? TransitionProof(decoding: bytes) {
        precondition(proof.encoded.elementsEqual(bytes), "TransitionProof: re-encoding changed the bytes")
        checkProof(proof, of: fixture.honestClaim, fixture)
    }
    var reader = ByteReader(bytes)
    guard let claim = try? TransitionClaim(from: &reader), let proof = try? TransitionProof(from: &reader),
          (try? reader.expectEnd(of: "claim and proof")) != nil
    else { return }
    precondition((claim.encoded + proof.encoded).elementsEqual(bytes), "claim and proof: re-encoding changed the bytes")
    checkProof(proof, of: claim, fixture)
}

/// The stub verifier accepts `proof` for `claim` exactly when it is the prover's genuine
/// signature over the claim, and never on another chain or under another key.
private func checkProof(_ proof: TransitionProof, of claim: TransitionClaim, _ fixture: Fixture) {
    let accepted: Bool
    do {
        try fixture.verifier.verify(proof, of: claim)
        accepted = true
    } catch {
        _ = error.description
        accepted = false
    }
    if claim == fixture.honestClaim && proof == fixture.honestProof {
        precondition(accepted, "the genuine proof of the honest claim was rejected")
    }
    guard accepted else { return }
    precondition(proof.system == StubSignedClaimProofSystem.systemID, "a proof of another system was accepted")
    let signingRoot = computeSigningRoot(claim.hashTreeRoot, domain: .proverClaim, genesisRoot: fixture.genesisRoot)
    precondition(proof.bytes == fixture.proverSecretKey.sign(signingRoot).bytes, "a proof that is not the prover's signature was accepted")
    precondition((try? fixture.otherChainVerifier.verify(proof, of: claim)) == nil, "a proof verified on another chain")
    precondition((try? fixture.otherProverVerifier.verify(proof, of: claim)) == nil, "a proof verified under another prover key")
}
