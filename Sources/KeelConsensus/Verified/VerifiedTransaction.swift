import KeelChain
import KeelCrypto

/// A transaction checked against a state of the chain: its sender exists, the signature is the
/// sender's under the transaction's domain and this chain's genesis, a deposit's proof of
/// possession is the new key's, the nonce is not spent and within ``nonceWindowMax`` of the
/// account's next one, and the balance covers the fee (plus a transfer's or deposit's amount).
/// A transaction whose nonce is the account's next one is also tried on the state, so that one
/// no block could include now (a call of an unknown program or with the wrong number of inputs,
/// a fee below its step cost, an invalid program, an exit the state refuses) is refused at the
/// door instead of waiting in the pool forever. A call is checked up to running its program,
/// never run: running it would let anyone make every node run programs for nothing.
///
/// Only ``verify(_:state:signatures:)`` makes one, so the transaction pool, gossip relay and the
/// block producer never see an unchecked transaction.
public struct VerifiedTransaction: Hashable, Sendable {
    /// The checked transaction.
    public let signed: SignedTransaction
    /// The signed transaction's root: what the pool keys it by.
    public let root: Root

    /// How far past the account's next nonce a transaction may be pooled.
    public static let nonceWindowMax: UInt64 = 64

    private init(checked signed: SignedTransaction) {
        self.signed = signed
        self.root = signed.hashTreeRoot
    }

    /// The sender.
    public var sender: Address { signed.message.sender }
    /// The nonce.
    public var nonce: UInt64 { signed.message.nonce }

    /// Checks `signed` against `state` (the node's head state).
    ///
    /// - Parameters:
    ///   - signed: A transaction from the API or a peer.
    ///   - state: The state whose accounts and genesis root it is checked against.
    ///   - signatures: `.skip` only in the simulator's scale runs.
    /// - Returns: The verified transaction.
    /// - Throws: `TransactionRejection`, naming the first check that failed.
    public static func verify(
        _ signed: SignedTransaction, state: ChainState, signatures: SignatureMode = .verify
    ) throws(TransactionRejection) -> VerifiedTransaction {
        let transaction = signed.message
        guard let account = state.accounts[transaction.sender], let senderKey = PublicKey(bytes: transaction.sender.hash.bytes)
        else { throw .unknownSender(transaction.sender) }
        if signatures == .verify {
            let set = SignatureSet(
                publicKey: senderKey, signingRoot: state.signingRoot(of: transaction), signature: signed.signature)
            guard set.isValid else { throw .badSignature }
        }
        guard transaction.nonce >= account.nonce else { throw .staleNonce(got: transaction.nonce, expected: account.nonce) }
        guard transaction.nonce - account.nonce < nonceWindowMax else {
            throw .nonceTooFarAhead(got: transaction.nonce, expected: account.nonce, windowMax: nonceWindowMax)
        }
        let needed = try neededBalance(transaction)
        guard account.balance >= needed else { throw .insufficientBalance(needed: needed, available: account.balance) }
        if case let .deposit(key, amount, commitment, proof) = transaction.kind, signatures == .verify,
            !state.validators.contains(where: { $0.publicKey == key })
        {
            let message = ChainState.depositMessageRoot(
                validatorKey: key, withdrawalAddress: transaction.sender, amount: amount, randaoCommitment: commitment)
            let signingRoot = computeSigningRoot(message, domain: .deposit, genesisRoot: state.genesisRoot)
            guard key.isValidSignature(proof, for: signingRoot) else { throw .badProofOfPossession }
        }
        if transaction.nonce == account.nonce { try dryRun(signed, on: state) }
        let verified = VerifiedTransaction(checked: signed)
        precondition(verified.nonce >= account.nonce, "a verified nonce is not spent")
        return verified
    }

    /// Tries `signed` on `state` (its signatures are checked already): a call up to running its
    /// program, any other kind applied to a copy. Throws ``TransactionRejection/wouldFail(_:)``
    /// with what block processing would. A later nonce is not tried: the transactions before it,
    /// still pooled, may be what it needs (a deploy before a call of the program).
    private static func dryRun(_ signed: SignedTransaction, on state: ChainState) throws(TransactionRejection) {
        guard !state.validators.isEmpty else { return }
        do {
            if case .call = signed.message.kind {
                try state.checkCallBeforeRunning(signed)
            } else {
                var copy = state
                var verifier = SignatureVerifier(.skip)
                try copy.processTransaction(signed, proposerIndex: ValidatorIndex(0), verifier: &verifier)
            }
        } catch {
            throw .wouldFail(error)
        }
    }

    /// The fee plus what the kind moves out of the account at once.
    private static func neededBalance(_ transaction: Transaction) throws(TransactionRejection) -> Stake {
        let amount: Stake
        switch transaction.kind {
        case let .transfer(_, value): amount = value
        case let .deposit(_, value, _, _): amount = value
        case .deploy, .call, .exit: amount = .zero
        }
        do { return try transaction.fee.safeAdd(amount) } catch { throw .invalid(.arithmetic(error)) }
    }
}
