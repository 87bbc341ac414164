import KeelChain
import KeelCrypto
import KeelVM

/// The blocks of the re-execution vs proof benchmark: one per step count, each on the same
/// devnet genesis (validators, bystander accounts, the Fibonacci program), carrying one call
/// whose VM work is the step count.
///
/// Fibonacci runs 5 instructions per loop iteration plus a few fixed ones, so a call of
/// `n = (steps - 10) / 5` executes just under `steps`; the row records the exact count.
struct ReexecVsProofBlocks {
    static let fibonacciAddress = Address(SHA256.hash(Array("keel/bench/fibonacci".utf8)))
    static let randaoChainLength: UInt32 = 4

    /// The state every block applies to, its tree up to date.
    let preState: ChainState

    init(validators: Int, bystanderAccounts: Int, fibonacciSource: String) throws {
        let code = try Assembler.assemble(fibonacciSource).encoded()
        var config = DevnetGenesis.config(
            validatorCount: validators, genesisTimeMs: 0, randaoChainLength: Self.randaoChainLength,
            programs: [Self.fibonacciAddress: code])
        for index in 0..<bystanderAccounts {
            config.accounts[Address(SHA256.hash(Array("keel/bench/bystander/\(index)".utf8)))] = Stake(1_000)
        }
        var state = try ChainState.genesis(config)
        _ = state.hashTreeRoot()
        preState = state
    }

    /// The signed block of slot 1 whose one transaction calls Fibonacci for about `steps` steps.
    func block(steps: UInt64) throws -> SignedBlock {
        let slot = Slot(1)
        var preview = preState
        try preview.processSlots(slot)
        let proposer = try preview.getBeaconProposerIndex()
        let reveal = DevnetGenesis.randaoChain(validatorIndex: proposer.rawValue, length: Self.randaoChainLength).reveal(number: 1)!
        let senderKey = DevnetKeys.secretKey(validatorIndex: 0)
        let n = UInt32(clamping: steps > 10 ? (steps - 10) / 5 : 0)
        let call = Transaction(
            sender: Address(senderKey.publicKey), nonce: 0, fee: Stake(preState.preset.feePerStep.rawValue * steps),
            kind: .call(program: Self.fibonacciAddress, input: [n], stepLimit: steps))
        let signedCall = SignedTransaction(message: call, signature: senderKey.sign(preState.signingRoot(of: call)))
        let proposal = try preState.produceBlock(
            slot: slot, randaoReveal: reveal, operations: BlockOperations(transactions: [signedCall]))
        let proposerKey = DevnetKeys.secretKey(validatorIndex: proposer.rawValue)
        return SignedBlock(message: proposal.block, signature: proposerKey.sign(preState.signingRoot(of: proposal.block)))
    }
}
