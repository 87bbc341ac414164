import KeelChain
import KeelCrypto

/// The RANDAO hash chains of the validators a signer runs, and the search for the reveal that
/// opens a validator's current commitment.
public struct RandaoReveals: Sendable {
    private let chains: [ValidatorIndex: HashChain]
    /// The reveal number last used by each validator: where the next search starts.
    private var hints: [ValidatorIndex: UInt32] = [:]

    /// Creates the reveals of these chains.
    public init(chains: [ValidatorIndex: HashChain]) {
        self.chains = chains
    }

    /// The reveal that opens `commitment` (the validator's commitment in the state the block
    /// builds on), or nil if its chain holds none. Usually the next reveal after the last one
    /// used; after a fork or a restart, the whole chain is searched.
    public mutating func reveal(validator: ValidatorIndex, commitment: Hash32) -> Hash32? {
        guard let chain = chains[validator] else { return nil }
        let hint = hints[validator] ?? 0
        let first = min(hint + 1, chain.length)
        for number in Array(first...chain.length) + Array((1..<first).reversed()) {
            guard let reveal = chain.reveal(number: number) else { continue }
            if HashChain.verify(reveal: reveal, against: commitment) {
                hints[validator] = number
                return reveal
            }
        }
        return nil
    }
}
