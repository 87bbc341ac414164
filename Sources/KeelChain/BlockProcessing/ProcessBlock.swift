extension ChainState {
    /// phase0 `process_block`: header, RANDAO, operations.
    public mutating func processBlock(_ block: Block, verifier: inout SignatureVerifier) throws(BlockProcessingError) {
        let proposerIndex: ValidatorIndex
        do { proposerIndex = try getBeaconProposerIndex() } catch { throw .state(error) }
        do { try processBlockHeader(block, proposerIndex: proposerIndex) } catch { throw .header(error) }
        do { try processRandao(block.body, proposerIndex: proposerIndex) } catch { throw .randao(error) }
        try processOperations(block.body, proposerIndex: proposerIndex, verifier: &verifier)
    }
}
