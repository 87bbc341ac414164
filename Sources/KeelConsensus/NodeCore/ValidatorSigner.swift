import KeelChain
import KeelCrypto

/// What a node core needs to act for its validators: their keys, RANDAO chains and slashing
/// protection. `keel node` implements it over the SQLite slashing-protection database (recorded
/// durably before each signature); the simulator over in-memory histories.
public protocol ValidatorSigner {
    /// Whether this signer acts for `validator` at `slot` (the simulator's offline validators
    /// answer false while offline).
    func runs(_ validator: ValidatorIndex, at slot: Slot) -> Bool
    /// The number of validators run.
    var validatorCount: Int { get }
    /// The RANDAO reveal that opens `commitment`, or nil if the validator's chain holds none.
    mutating func randaoReveal(validator: ValidatorIndex, commitment: Hash32) -> Hash32?
    /// Signs `block` for its proposer: through slashing protection (recorded before signing)
    /// unless `bypassProtection`. Nil if refused or not run here.
    mutating func signBlock(_ block: Block, parentState: ChainState, bypassProtection: Bool) -> SignedBlock?
    /// Signs an attestation by `validator`, through slashing protection unless
    /// `bypassProtection`. Nil if refused or not run here.
    mutating func signAttestation(
        _ data: AttestationData, validator: ValidatorIndex, state: ChainState, bypassProtection: Bool
    ) -> Attestation?
    /// Signs a transaction from `validator`'s own account (no protection: not slashable).
    func signTransaction(_ transaction: Transaction, validator: ValidatorIndex, state: ChainState) -> SignedTransaction?
    /// The public key of a validator run here.
    func publicKey(_ validator: ValidatorIndex) -> PublicKey?
}
