import KeelChain
import KeelCrypto
import KeelTestSupport

/// Chains driven by `TestChain`, built once per test process and shared by the tests that need
/// history (justified checkpoints, included attestations, finality): a chain costs seconds in
/// debug.
enum RuleChains {
    /// An 8-validator devnet run through the first slot of epoch 4, with validator 0 never
    /// attesting (each epoch still gathers at least 6 of 8 target votes in time, so every epoch
    /// justifies and finality follows), and a deposit of devnet key `depositKey` from validator
    /// 2's account in the block of slot 1.
    struct Partial {
        /// The validators that never attest.
        static let offline: Set<ValidatorIndex> = [0]
        /// The devnet key deposited in slot 1; it becomes validator 8.
        static let depositKey: UInt64 = 100
        /// The account that paid the deposit (validator 2's).
        static let depositor: UInt64 = 2
        /// The deposit transaction.
        var deposit: SignedTransaction
        /// The state after each block, by slot.
        var states: [Slot: ChainState]
        /// Every block applied, by slot.
        var blocks: [Slot: SignedBlock]

        /// The state after the block of `slot`.
        func state(_ slot: Slot) -> ChainState { states[slot]! }
        /// The state after the block of slot 24, the first of epoch 3.
        var startOfEpoch3: ChainState { state(24) }
    }

    /// A deposit of the full stake for devnet key `key`, from devnet account `sender`.
    static func deposit(key: UInt64, from sender: UInt64, amount: Stake? = nil, _ state: ChainState) -> SignedTransaction {
        let secretKey = RuleFixture.secretKey(key)
        let amount = amount ?? state.preset.maxEffectiveStake
        let commitment = DevnetGenesis.randaoChain(validatorIndex: key, length: RuleFixture.randaoChainLength).commitment
        let message = ChainState.depositMessageRoot(
            validatorKey: secretKey.publicKey, withdrawalAddress: RuleFixture.address(sender), amount: amount,
            randaoCommitment: commitment)
        let proof = secretKey.sign(computeSigningRoot(message, domain: .deposit, genesisRoot: state.genesisRoot))
        return RuleFixture.transaction(
            from: sender,
            .deposit(validatorKey: secretKey.publicKey, amount: amount, randaoCommitment: commitment, proofOfPossession: proof),
            fee: 100, state)
    }

    /// Built on first use. A failure to build is a broken `TestChain`, reported by the tests.
    static let partial: Result<Partial, any Error> = Result(catching: {
        var chain = try TestChain(validatorCount: 8, randaoChainLength: RuleFixture.randaoChainLength)
        let deposit = RuleChains.deposit(key: Partial.depositKey, from: Partial.depositor, chain.state)
        var blocks: [Slot: SignedBlock] = [:]
        var states: [Slot: ChainState] = [:]
        for slot in UInt64(1)...32 {
            let operations = BlockOperations(transactions: slot == 1 ? [deposit] : [])
            let block = try chain.advance(
                to: Slot(slot), operations: operations, participates: { !Partial.offline.contains($0) })
            blocks[Slot(slot)] = block
            states[Slot(slot)] = chain.state
        }
        return Partial(deposit: deposit, states: states, blocks: blocks)
    })
}
