import KeelChain
import KeelCrypto

/// Structure-aware fuzzing of the state transition (Sources/KeelChain).
///
/// Every input starts from the same small devnet genesis (8 validators, one per slot's
/// committee, RANDAO chains of 64 reveals, built once) and is read as a sequence of at most
/// `actionCountMax` actions, each an opcode byte and its argument bytes (`Action`). Most
/// actions build blocks with `produceBlock` from operations made with the devnet keys and
/// the state's own view (current nonces, committee members, real checkpoints), so the fuzzer
/// gets past the first checks and through epochs to justification and finality; the argument
/// bytes pick amounts, indices and small mutations, and some actions flip bytes of a produced
/// block's encoding.
///
/// Signatures are not checked: blocks go through `stateTransition(_:strategy: .skip)` and the
/// operations carry a zero signature. That keeps an execution to microseconds per block
/// rather than a Schnorr verification per operation; the signature paths are the unit tests'
/// and the codec fuzzer's business. RANDAO reveals are hash-chain elements, not signatures,
/// and are always checked.
///
/// Asserted after every step (`Invariants.check`):
/// - a block built by `produceBlock` passes `stateTransition` and yields the state root it
///   names (producer and verifier agree);
/// - a rejected block (any `stateTransition` that throws) leaves the state it was applied to
///   unchanged: its root after is the root before (the attempt runs on a copy, so this checks
///   that copies share nothing mutable, e.g. the state tree cache);
/// - no balance (validator or account) exceeds the total supply, and computing the supply
///   (sum of all validator and account balances; programs hold none) never overflows;
///   balances are `UInt64`, so "below zero" would be an underflow trap in the code itself;
/// - total supply: across a step that crosses no epoch boundary it is exactly conserved when
///   the block carries no slashings (transfers, fees, deposits, exits only move stake), and
///   does not increase when it carries slashings (a slashing burns `effective / 32` and pays
///   back only the whistleblower's `effective / 512`); across epoch processing it may grow by
///   rewards only, by at most 5 base rewards per validator per epoch crossed (source, target,
///   head, inclusion delay, proposer share; phase0 `get_base_reward` with every effective
///   stake taken at its maximum, the total active balance of the state before the step for
///   one boundary, and the floor `effectiveStakeIncrement` when several are crossed);
/// - the finalized checkpoint never moves back (epoch never decreases; same epoch, same
///   root), and the current justified epoch is never below the finalized epoch;
/// - a slashed validator stays slashed, and the registry never shrinks.
/// Any violation traps, which libFuzzer reports as a crash with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(UnsafeBufferPointer(start: data, count: size))
    var harness = Harness(Genesis.shared)
    var count = 0
    while !input.isEmpty && count < actionCountMax {
        harness.run(input.byte() % 8, &input)
        count += 1
    }
    return 0
}

/// Bounds one execution's work (each block costs on the order of a millisecond).
private let actionCountMax = 64
private let validatorCount = 8
/// Keys and RANDAO chains prepared for the genesis validators and for this many depositors.
private let depositorCount = 4
private let randaoChainLength: UInt32 = 64

/// The input as a stream of bytes; past its end every read is zero.
struct FuzzInput {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isEmpty: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func word() -> UInt16 { UInt16(byte()) | UInt16(byte()) << 8 }
}

/// What every execution starts from, built once.
struct Genesis: @unchecked Sendable {
    static let shared = Genesis()

    let state: ChainState
    let headRoot: Root
    let secretKeys: [SecretKey]
    let addresses: [Address]
    let randaoChains: [HashChain]
    /// Which prepared key (and RANDAO chain) a public key is: deposits may register the
    /// prepared keys in any order, so registry index and key index differ.
    let keyIndex: [PublicKey: Int]
    let genesisSupply: UInt64

    init() {
        let config = DevnetGenesis.config(
            validatorCount: validatorCount, genesisTimeMs: 0, randaoChainLength: randaoChainLength)
        var state = try! ChainState.genesis(config)
        headRoot = state.genesisBlockRoot()
        _ = state.hashTreeRoot()
        self.state = state
        let all = 0..<UInt64(validatorCount + depositorCount)
        secretKeys = all.map { DevnetKeys.secretKey(validatorIndex: $0) }
        addresses = secretKeys.map { Address($0.publicKey) }
        keyIndex = Dictionary(uniqueKeysWithValues: secretKeys.enumerated().map { ($1.publicKey, $0) })
        randaoChains = all.map { DevnetGenesis.randaoChain(validatorIndex: $0, length: randaoChainLength) }
        genesisSupply = Invariants.supply(of: state)
    }
}

/// The zero signature every operation carries (signatures are skipped, see the file comment).
private let noSignature = Signature(bytes: [UInt8](repeating: 0, count: Signature.byteCount))!

/// The facts about a state the invariants compare across a step.
struct Snapshot {
    var supply: UInt64
    var slot: Slot
    var finalized: Checkpoint
    var slashed: [Bool]
    var totalActiveBalance: UInt64

    init(_ state: ChainState) {
        supply = Invariants.supply(of: state)
        slot = state.slot
        finalized = state.finalizedCheckpoint
        slashed = state.validators.map(\.slashed)
        totalActiveBalance = state.getTotalActiveBalance().rawValue
    }
}

enum Invariants {
    /// Sum of every validator and account balance; traps on overflow.
    static func supply(of state: ChainState) -> UInt64 {
        var total: UInt64 = 0
        for validator in state.validators {
            let (sum, overflow) = total.addingReportingOverflow(validator.balance.rawValue)
            precondition(!overflow, "total supply overflows UInt64")
            total = sum
        }
        for account in state.accounts.storage.values {
            let (sum, overflow) = total.addingReportingOverflow(account.balance.rawValue)
            precondition(!overflow, "total supply overflows UInt64")
            total = sum
        }
        return total
    }

    /// The most epoch processing may mint over `epochs` boundaries from a state like `before`.
    static func mintBound(_ before: Snapshot, _ state: ChainState, epochs: UInt64) -> UInt64 {
        guard epochs > 0 else { return 0 }
        let preset = state.preset
        let total = epochs == 1 ? before.totalActiveBalance : preset.effectiveStakeIncrement.rawValue
        let baseRewardMax = preset.maxEffectiveStake.rawValue * preset.baseRewardFactor
            / integerSquareRoot(total) / preset.baseRewardsPerEpoch
        return epochs * UInt64(state.validators.count) * (5 * baseRewardMax + 1)
    }

    static func check(_ before: Snapshot, _ state: ChainState, carriesSlashings: Bool) {
        let after = Snapshot(state)
        for validator in state.validators {
            precondition(validator.balance.rawValue <= after.supply, "a validator's balance exceeds the total supply")
        }
        for account in state.accounts.storage.values {
            precondition(account.balance.rawValue <= after.supply, "an account's balance exceeds the total supply")
        }
        let epochs = state.computeEpochAtSlot(after.slot).rawValue - state.computeEpochAtSlot(before.slot).rawValue
        if epochs == 0 {
            if carriesSlashings {
                precondition(after.supply <= before.supply, "a block's slashings minted \(after.supply - before.supply)")
            } else {
                precondition(after.supply == before.supply, "supply changed within an epoch: \(before.supply) -> \(after.supply)")
            }
        } else {
            let bound = mintBound(before, state, epochs: epochs)
            precondition(
                after.supply <= before.supply || after.supply - before.supply <= bound,
                "epoch processing minted \(after.supply - before.supply), more than the bound \(bound)")
        }
        precondition(after.finalized.epoch >= before.finalized.epoch, "finalized checkpoint moved back")
        if after.finalized.epoch == before.finalized.epoch {
            precondition(after.finalized.root == before.finalized.root, "finalized root changed within its epoch")
        }
        precondition(state.currentJustifiedCheckpoint.epoch >= after.finalized.epoch, "justified below finalized")
        precondition(after.slashed.count >= before.slashed.count, "the registry shrank")
        for (index, wasSlashed) in before.slashed.enumerated() where wasSlashed {
            precondition(after.slashed[index], "validator \(index) was unslashed")
        }
    }
}

struct Harness {
    let genesis: Genesis
    var state: ChainState
    var headRoot: Root
    var revealsUsed: [UInt32]
    var pool: [Attestation] = []

    init(_ genesis: Genesis) {
        self.genesis = genesis
        state = genesis.state
        headRoot = genesis.headRoot
        revealsUsed = Array(repeating: 0, count: genesis.randaoChains.count)
    }

    /// Opcodes: 0-2 a block of fuzzed operations, 3 attestations, 4 a block with one fuzzed
    /// byte, 5 empty slots, 6 a block of transfers only, 7 the honest path (a block with the
    /// pool, then the whole committee attests).
    mutating func run(_ opcode: UInt8, _ input: inout FuzzInput) {
        switch opcode {
        case 0, 1, 2:
            let gap = 1 + UInt64(input.byte() % 3)
            let operations = makeOperations(&input)
            if let block = produce(slot: Slot(state.slot.rawValue + gap), operations) {
                apply(block)
                attest(participation: input.byte())
            }
        case 3:
            attest(participation: input.byte(), corruption: input.byte())
        case 4:
            let operations = BlockOperations(attestations: pool)
            let offset = Int(input.word())
            let mask = input.byte() | 1
            if let block = produce(slot: Slot(state.slot.rawValue + 1), operations) {
                var bytes = block.encoded
                bytes[offset % bytes.count] ^= mask
                // A flipped high bit of the slot would have the transition grind through 2^40
                // empty slots; a node's fork choice drops such a future block before the state
                // transition sees it (`ForkChoiceStore.onBlock`), so the fuzzer does too.
                if let mutated = try? SignedBlock(decoding: bytes), mutated.message.slot.rawValue <= state.slot.rawValue + 64 {
                    apply(mutated, mayFail: true)
                }
            }
        case 5:
            let before = Snapshot(state)
            do {
                try state.processSlots(Slot(state.slot.rawValue + 1 + UInt64(input.byte() % 9)))
            } catch {
                preconditionFailure("processSlots forward failed: \(error)")
            }
            Invariants.check(before, state, carriesSlashings: false)
        case 6:
            var transactions: [SignedTransaction] = []
            for _ in 0..<(1 + input.byte() % 8) { transactions.append(transfer(&input)) }
            if let block = produce(slot: Slot(state.slot.rawValue + 1), BlockOperations(transactions: transactions)) {
                apply(block)
            }
        default:
            if let block = produce(slot: Slot(state.slot.rawValue + 1), BlockOperations(attestations: pool)) {
                apply(block)
                attest(participation: 0xFF)
            }
        }
    }

    // MARK: Blocks

    /// The block of `slot` built by `produceBlock`, signed with the zero signature; nil when
    /// the proposer's reveal is not known (a depositor outside the prepared keys) or when
    /// `produceBlock` refuses the slot.
    func produce(slot: Slot, _ operations: BlockOperations) -> SignedBlock? {
        var preview = state
        guard (try? preview.processSlots(slot)) != nil, let proposer = try? preview.getBeaconProposerIndex() else { return nil }
        // phase0 refuses a slashed proposer; the slot then stays empty.
        guard !preview.validators[Int(proposer.rawValue)].slashed,
              let key = genesis.keyIndex[preview.validators[Int(proposer.rawValue)].publicKey],
              let reveal = genesis.randaoChains[key].reveal(number: revealsUsed[key] + 1)
        else { return nil }
        let proposal: BlockProposal
        do {
            proposal = try state.produceBlock(slot: slot, randaoReveal: reveal, operations: operations)
        } catch {
            preconditionFailure("produceBlock failed on a valid slot and reveal: \(error)")
        }
        var post = proposal.postState
        precondition(post.hashTreeRoot() == proposal.block.stateRoot, "produceBlock's post-state is not the root it names")
        return SignedBlock(message: proposal.block, signature: noSignature)
    }

    /// Applies `signed` to a copy of the state; adopts the result if it is accepted. A block
    /// made by `produceBlock` must be accepted; a mutated one may be rejected, and then the
    /// state must be as it was.
    mutating func apply(_ signed: SignedBlock, mayFail: Bool = false) {
        let before = Snapshot(state)
        let rootBefore = state.hashTreeRoot()
        var attempt = state
        do {
            try attempt.stateTransition(signed, strategy: .skip)
        } catch {
            precondition(mayFail, "a produced block was rejected: \(error)")
            precondition(state.hashTreeRoot() == rootBefore, "a rejected block changed the state")
            return
        }
        precondition(state.hashTreeRoot() == rootBefore, "applying a block to a copy changed the original")
        let body = signed.message.body
        Invariants.check(before, attempt, carriesSlashings: !body.proposerSlashings.isEmpty || !body.attesterSlashings.isEmpty)
        state = attempt
        let proposer = state.validators[Int(signed.message.proposerIndex.rawValue)]
        if let key = genesis.keyIndex[proposer.publicKey], proposer.randaoCommitment == signed.message.body.randaoReveal {
            revealsUsed[key] += 1
        }
        headRoot = signed.message.hashTreeRoot
        let included = Set(body.attestations)
        pool.removeAll { included.contains($0) }
        if pool.count > 256 { pool.removeFirst(pool.count - 256) }
    }

    // MARK: Operations

    mutating func makeOperations(_ input: inout FuzzInput) -> BlockOperations {
        let flags = input.byte()
        var operations = BlockOperations()
        if flags & 1 != 0 { operations.attestations = pool }
        if flags & 2 != 0 {
            for _ in 0..<(1 + input.byte() % 4) { operations.transactions.append(transfer(&input)) }
        }
        if flags & 4 != 0 { operations.proposerSlashings.append(proposerSlashing(&input)) }
        if flags & 8 != 0 { operations.attesterSlashings.append(attesterSlashing(&input)) }
        if flags & 16 != 0 { operations.transactions.append(exit(&input)) }
        if flags & 32 != 0 { operations.transactions.append(deposit(&input)) }
        if flags & 64 != 0 { operations.transactions.append(deploy(&input)) }
        if flags & 128 != 0 { operations.attestations.append(contentsOf: stray(&input)) }
        return operations
    }

    private func nonce(of address: Address) -> UInt64 { state.accounts[address]?.nonce ?? 0 }

    /// A transfer between the prepared accounts (or to a fresh address); mostly valid.
    func transfer(_ input: inout FuzzInput) -> SignedTransaction {
        let sender = genesis.addresses[Int(input.byte()) % genesis.addresses.count]
        let choice = input.byte()
        let recipient = choice < 200
            ? genesis.addresses[Int(choice) % genesis.addresses.count]
            : Address(SHA256.hash([choice]))
        let shape = input.byte()
        let amount: UInt64 = switch shape % 4 {
        case 0: UInt64(input.word())
        case 1: UInt64(input.word()) * 1_000_000_000
        case 2: state.accounts[sender]?.balance.rawValue ?? 0 // everything, fee unpaid: rejected unless the fee is 0
        default: UInt64.max - UInt64(input.byte())
        }
        let fee = UInt64(input.byte() % 16)
        var nonce = nonce(of: sender)
        if shape & 0x30 == 0x30 { nonce &+= 1 } // a gap: rejected
        return SignedTransaction(
            message: Transaction(sender: sender, nonce: nonce, fee: Stake(fee), kind: .transfer(recipient: recipient, amount: Stake(amount))),
            signature: noSignature)
    }

    func exit(_ input: inout FuzzInput) -> SignedTransaction {
        let validator = Int(input.byte()) % max(1, state.validators.count)
        let sender = state.validators[validator].withdrawalAddress
        return SignedTransaction(
            message: Transaction(sender: sender, nonce: nonce(of: sender), fee: Stake(UInt64(input.byte() % 4)), kind: .exit(validator: ValidatorIndex(UInt64(validator)))),
            signature: noSignature)
    }

    /// A deposit for a genesis or prepared key, with that key's real RANDAO commitment.
    func deposit(_ input: inout FuzzInput) -> SignedTransaction {
        let key = Int(input.byte()) % genesis.secretKeys.count
        let sender = genesis.addresses[Int(input.byte()) % validatorCount]
        let amount = state.preset.minDepositAmount.rawValue * UInt64(input.byte() % 40)
        return SignedTransaction(
            message: Transaction(
                sender: sender, nonce: nonce(of: sender), fee: .zero,
                kind: .deposit(
                    validatorKey: genesis.secretKeys[key].publicKey, amount: Stake(amount),
                    randaoCommitment: genesis.randaoChains[key].commitment, proofOfPossession: noSignature)),
            signature: noSignature)
    }

    /// A deploy of a few fuzzed bytes (a header-sized prefix of `KEEL` and the rest fuzzed).
    func deploy(_ input: inout FuzzInput) -> SignedTransaction {
        let sender = genesis.addresses[Int(input.byte()) % validatorCount]
        var code = Array("KEEL".utf8)
        for _ in 0..<(input.byte() % 48) { code.append(input.byte()) }
        return SignedTransaction(
            message: Transaction(sender: sender, nonce: nonce(of: sender), fee: Stake(UInt64(input.byte())), kind: .deploy(code: code)),
            signature: noSignature)
    }

    /// Two different headers of one proposer at one slot: slashable if the proposer is.
    func proposerSlashing(_ input: inout FuzzInput) -> ProposerSlashing {
        let proposer = ValidatorIndex(UInt64(input.byte()) % UInt64(max(1, state.validators.count)))
        let slot = Slot(state.slot.rawValue.saturatingSubtract(UInt64(input.byte() % 16)))
        let tweak = input.byte()
        let header1 = BlockHeader(slot: slot, proposerIndex: proposer, parentRoot: headRoot, stateRoot: .zero, bodyRoot: .zero)
        var header2 = header1
        header2.bodyRoot = SHA256.hash([tweak])
        if tweak == 0 { header2 = header1 } // identical: not slashable
        if tweak == 1 { header2.slot = Slot(slot.rawValue + 1) } // different slots: not slashable
        return ProposerSlashing(
            signedHeader1: SignedBlockHeader(message: header1, signature: noSignature),
            signedHeader2: SignedBlockHeader(message: header2, signature: noSignature))
    }

    /// A double vote (same target epoch, different roots) or a surround vote by one validator.
    func attesterSlashing(_ input: inout FuzzInput) -> AttesterSlashing {
        let validator = ValidatorIndex(UInt64(input.byte()) % UInt64(max(1, state.validators.count)))
        let epoch = state.getCurrentEpoch().rawValue
        let shape = input.byte()
        let target = epoch.saturatingSubtract(UInt64(shape % 3))
        let source = state.currentJustifiedCheckpoint
        let data1 = AttestationData(
            slot: state.computeStartSlotAtEpoch(Epoch(target)), beaconBlockRoot: headRoot, source: source,
            target: Checkpoint(epoch: Epoch(target), root: headRoot))
        var data2 = data1
        switch shape >> 6 {
        case 0: data2.beaconBlockRoot = SHA256.hash([shape]) // double vote
        case 1: // surround: data2 spans data1
            data2.source = Checkpoint(epoch: Epoch(source.epoch.rawValue.saturatingSubtract(1)), root: .zero)
            data2.target = Checkpoint(epoch: Epoch(target + 1), root: headRoot)
        case 2: break // identical: not slashable
        default: data2.target = Checkpoint(epoch: Epoch(target + 1), root: headRoot) // neither
        }
        let order = shape & 0x20 != 0
        let first = Attestation(validatorIndex: validator, data: order ? data2 : data1, signature: noSignature)
        let second = Attestation(validatorIndex: validator, data: order ? data1 : data2, signature: noSignature)
        return AttesterSlashing(attestation1: first, attestation2: second)
    }

    /// Attestations with fuzzed fields: mostly rejected by `produceBlock`.
    func stray(_ input: inout FuzzInput) -> [Attestation] {
        let validator = ValidatorIndex(UInt64(input.byte()) % UInt64(validatorCount + 2))
        let slot = Slot(state.slot.rawValue.saturatingSubtract(UInt64(input.byte() % 12)))
        let epoch = state.computeEpochAtSlot(slot)
        let data = AttestationData(
            slot: slot, beaconBlockRoot: headRoot,
            source: input.byte() & 1 == 0 ? state.currentJustifiedCheckpoint : state.previousJustifiedCheckpoint,
            target: Checkpoint(epoch: epoch, root: input.byte() & 1 == 0 ? headRoot : .zero))
        return [Attestation(validatorIndex: validator, data: data, signature: noSignature)]
    }

    // MARK: Attestations

    /// The committee of the state's slot votes for the head (members whose bit is set in
    /// `participation`, by position), as `TestChain.attest` does; `corruption` bends the vote.
    mutating func attest(participation: UInt8, corruption: UInt8 = 0) {
        let slot = state.slot
        let epoch = state.computeEpochAtSlot(slot)
        let startSlot = state.computeStartSlotAtEpoch(epoch)
        var targetRoot = startSlot == slot ? headRoot : (try? state.getBlockRootAtSlot(startSlot)) ?? headRoot
        var source = state.currentJustifiedCheckpoint
        var head = headRoot
        switch corruption % 8 {
        case 1: targetRoot = head == targetRoot ? .zero : head // wrong target: counts for source only
        case 2: source = state.previousJustifiedCheckpoint
        case 3: head = .zero // wrong head
        default: break
        }
        let data = AttestationData(
            slot: slot, beaconBlockRoot: head, source: source, target: Checkpoint(epoch: epoch, root: targetRoot))
        for (position, index) in state.getBeaconCommittee(slot).enumerated() where participation & (1 << (position % 8)) != 0 {
            pool.append(Attestation(validatorIndex: index, data: data, signature: noSignature))
        }
    }
}

extension UInt64 {
    fileprivate func saturatingSubtract(_ other: UInt64) -> UInt64 { self >= other ? self - other : 0 }
}
