import KeelChain
import KeelCrypto
import KeelTestSupport
import KeelVM
import XCTest

/// Fixtures for the state-transition rule tests: devnet genesis states, hand-built blocks (so a
/// test can break exactly one rule), signed transactions and attestations.
///
/// Unlike `TestChain`, whose `produceBlock` silently drops invalid operations, `RuleFixture`
/// puts into a block exactly what the test asks for, so an invalid operation reaches the
/// verifying state transition and its error can be checked.
enum RuleFixture {
    /// The RANDAO hash-chain length of the fixture's devnets (short: reveals are searched).
    static let randaoChainLength: UInt32 = 64
    /// What every devnet account starts with (`DevnetGenesis.config`'s default).
    static let accountBalance = Stake(1_000_000_000_000)

    /// The devnet secret key of validator (or devnet key) `index`.
    static func secretKey(_ index: UInt64) -> SecretKey { DevnetKeys.secretKey(validatorIndex: index) }

    /// The devnet account of validator `index`, funded at genesis.
    static func address(_ index: UInt64) -> Address { Address(secretKey(index).publicKey) }

    /// A devnet genesis config of `validatorCount` validators.
    static func config(
        validatorCount: Int = 8, preset: Preset = .devnet, programs: [Address: [UInt8]] = [:]
    ) -> GenesisConfig {
        DevnetGenesis.config(
            validatorCount: validatorCount, preset: preset, genesisTimeMs: 0, randaoChainLength: randaoChainLength,
            programs: programs)
    }

    /// The genesis state of `config(...)`.
    static func genesis(
        validatorCount: Int = 8, preset: Preset = .devnet, programs: [Address: [UInt8]] = [:]
    ) throws -> ChainState {
        try ChainState.genesis(config(validatorCount: validatorCount, preset: preset, programs: programs))
    }

    /// The next RANDAO reveal of devnet key `keyIndex` registered as validator `index`: the
    /// preimage of its current commitment in its devnet hash chain.
    static func nextReveal(_ state: ChainState, _ index: ValidatorIndex, keyIndex: UInt64? = nil) -> Root {
        let chain = DevnetGenesis.randaoChain(validatorIndex: keyIndex ?? index.rawValue, length: randaoChainLength)
        let commitment = state.validators[Int(index.rawValue)].randaoCommitment
        if commitment == chain.commitment { return chain.reveal(number: 1)! }
        for number in 1..<randaoChainLength where chain.reveal(number: number) == commitment {
            return chain.reveal(number: number + 1)!
        }
        preconditionFailure("validator \(index)'s commitment is not on its devnet chain")
    }

    /// The proposer of `slot` on top of `state`.
    static func proposer(_ state: ChainState, at slot: Slot) throws -> ValidatorIndex {
        var advanced = state
        if advanced.slot < slot { try advanced.processSlots(slot) }
        return try advanced.getBeaconProposerIndex()
    }

    /// A signed block of `slot` on top of `state` with the right proposer, parent root and
    /// RANDAO reveal and the given operations; when the block applies, its state root is the
    /// post-state's root, otherwise zero.
    static func makeBlock(
        on state: ChainState, slot: Slot, proposerSlashings: [ProposerSlashing] = [],
        attesterSlashings: [AttesterSlashing] = [], attestations: [Attestation] = [],
        transactions: [SignedTransaction] = []
    ) throws -> SignedBlock {
        var post = state
        try post.processSlots(slot)
        let proposer = try post.getBeaconProposerIndex()
        var block = Block(
            slot: slot, proposerIndex: proposer, parentRoot: post.latestBlockHeader.hashTreeRoot, stateRoot: .zero,
            body: BlockBody(
                randaoReveal: nextReveal(post, proposer), proposerSlashings: proposerSlashings,
                attesterSlashings: attesterSlashings, attestations: attestations, transactions: transactions))
        var verifier = SignatureVerifier(.skip)
        if (try? post.processBlock(block, verifier: &verifier)) != nil { block.stateRoot = post.hashTreeRoot() }
        return sign(block, state)
    }

    /// `block` signed by the devnet key of `signer` (default: its proposer).
    static func sign(_ block: Block, _ state: ChainState, signer: UInt64? = nil) -> SignedBlock {
        let key = secretKey(signer ?? block.proposerIndex.rawValue)
        return SignedBlock(message: block, signature: key.sign(state.signingRoot(of: block)))
    }

    /// Applies `block` with the full verifying state transition; fails the test if it is rejected.
    static func apply(_ block: SignedBlock, to state: inout ChainState, file: StaticString = #filePath, line: UInt = #line) {
        do { try state.stateTransition(block) } catch { XCTFail("block rejected: \(error)", file: file, line: line) }
    }

    /// Builds and applies an empty block at every slot up to and including `slot`.
    static func advance(_ state: inout ChainState, through slot: Slot) throws {
        while state.slot < slot {
            let block = try makeBlock(on: state, slot: Slot(state.slot.rawValue + 1))
            try state.stateTransition(block)
        }
    }

    /// The error `block` is rejected with by the verifying state transition (nil if accepted).
    static func rejection(_ block: SignedBlock, on state: ChainState) -> BlockProcessingError? {
        var copy = state
        do {
            try copy.stateTransition(block)
            return nil
        } catch {
            return error
        }
    }

    /// `transaction` signed by the devnet key `signer`.
    static func sign(_ transaction: Transaction, by signer: UInt64, _ state: ChainState) -> SignedTransaction {
        SignedTransaction(message: transaction, signature: secretKey(signer).sign(state.signingRoot(of: transaction)))
    }

    /// A transaction from devnet account `sender` with the account's current nonce, signed.
    static func transaction(
        from sender: UInt64, _ kind: TransactionKind, fee: Stake = Stake(1_000), nonce: UInt64? = nil,
        _ state: ChainState
    ) -> SignedTransaction {
        let address = address(sender)
        let transaction = Transaction(
            sender: address, nonce: nonce ?? state.accounts[address]?.nonce ?? 0, fee: fee, kind: kind)
        return sign(transaction, by: sender, state)
    }

    /// An attestation by `validator` of `data`, signed by `signer` (default: the validator).
    static func attestation(
        _ validator: ValidatorIndex, _ data: AttestationData, _ state: ChainState, signer: UInt64? = nil
    ) -> Attestation {
        let key = secretKey(signer ?? validator.rawValue)
        return Attestation(validatorIndex: validator, data: data, signature: key.sign(state.signingRoot(of: data)))
    }

    /// A signed header of `slot` by `proposer` whose body root is derived from `tag`.
    static func header(
        slot: Slot, proposer: ValidatorIndex, tag: UInt64, _ state: ChainState, signer: UInt64? = nil
    ) -> SignedBlockHeader {
        let header = BlockHeader(
            slot: slot, proposerIndex: proposer, parentRoot: .zero, stateRoot: .zero, bodyRoot: root(tag))
        let key = secretKey(signer ?? proposer.rawValue)
        return SignedBlockHeader(message: header, signature: key.sign(state.signingRoot(of: header)))
    }

    /// A deterministic root: SHA-256 of a tag.
    static func root(_ tag: UInt64) -> Root {
        SHA256.hash(Array("keel/rules/root".utf8) + withUnsafeBytes(of: tag.littleEndian, Array.init))
    }

    /// The sum of every validator balance and every account balance.
    static func totalSupply(_ state: ChainState) -> UInt64 {
        let staked = state.validators.reduce(UInt64(0)) { $0 + $1.balance.rawValue }
        let liquid = state.accounts.sortedKeys.reduce(UInt64(0)) { $0 + state.accounts[$1]!.balance.rawValue }
        return staked + liquid
    }

    /// A copy's root, without touching `state` (whose root needs `mutating`).
    static func root(of state: ChainState) -> Root {
        var copy = state
        return copy.hashTreeRoot()
    }

    /// Assembles `.kasm` source and returns the `.kvm` bytes.
    static func program(_ source: String) throws -> [UInt8] {
        try Assembler.assemble(source).encoded()
    }

    /// A counter: storage cell 0 is incremented by the one input cell.
    static let counterSource = """
        .memory 4
        .storage 1
        .inputs 1
            add r0, r0, r1
            halt
        """

    /// Writes storage, then reads far outside its 16 cells: faults with memory_out_of_bounds.
    static let faultingSource = """
        .memory 4
        .storage 1
        .inputs 1
            add r0, r0, r1
            deref r2, [r3 + 100]
            halt
        """

    /// Writes storage, then loops forever: faults with step_limit.
    static let loopingSource = """
        .memory 4
        .storage 1
        .inputs 1
        loop:
            add r0, r0, r1
            jump 1, loop
        """
}

/// phase0 `integer_squareroot`, written independently of the implementation under test.
func referenceIntegerSquareRoot(_ n: UInt64) -> UInt64 {
    var x = UInt64(Double(n).squareRoot())
    while x * x > n { x -= 1 }
    while (x + 1) * (x + 1) <= n { x += 1 }
    return x
}
