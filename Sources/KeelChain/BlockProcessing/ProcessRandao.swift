import KeelCrypto

extension ChainState {
    /// phase0 `process_randao`, with hash-chain reveals in place of BLS signatures: the reveal
    /// must be the preimage of the proposer's last commitment, so it is unique per proposal and
    /// a proposer can only withhold it, never grind it. The mix absorbs the reveal.
    public mutating func processRandao(_ body: BlockBody, proposerIndex: ValidatorIndex) throws(RandaoInvalid) {
        let position = Int(proposerIndex.rawValue)
        guard HashChain.verify(reveal: body.randaoReveal, against: validators[position].randaoCommitment) else {
            throw .revealDoesNotMatchCommitment(proposerIndex)
        }
        validators[position].randaoCommitment = body.randaoReveal
        let epoch = getCurrentEpoch()
        let mixIndex = Int(epoch.rawValue % preset.epochsPerHistoricalVector)
        randaoMixes[mixIndex] = SHA256.hash(getRandaoMix(epoch), body.randaoReveal)
    }
}
