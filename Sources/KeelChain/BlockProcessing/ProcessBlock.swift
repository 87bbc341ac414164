extension ChainState {
    /// phase0 `process_block`: header, RANDAO, operations.
    ///
    /// - Returns: What each transaction did, in order (for receipts).
    @discardableResult
    public mutating func processBlock(_ block: Block, verifier: inout SignatureVerifier) throws(BlockProcessingError) -> [TransactionEffect] {
        let proposerIndex: ValidatorIndex
        do { proposerIndex = try getBeaconProposerIndex() } catch { throw .state(error) }
        do { try processBlockHeader(block, proposerIndex: proposerIndex) } catch { throw .header(error) }
        do { try processRandao(block.body, proposerIndex: proposerIndex) } catch { throw .randao(error) }
        return try processOperations(block.body, proposerIndex: proposerIndex, verifier: &verifier)
    }
}
