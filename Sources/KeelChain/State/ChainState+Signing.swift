/// The signing roots of what validators and accounts sign on this chain.
extension ChainState {
    public func signingRoot(of block: Block) -> Root {
        computeSigningRoot(block.hashTreeRoot, domain: .blockProposal, genesisRoot: genesisRoot)
    }

    public func signingRoot(of header: BlockHeader) -> Root {
        computeSigningRoot(header.hashTreeRoot, domain: .blockProposal, genesisRoot: genesisRoot)
    }

    public func signingRoot(of data: AttestationData) -> Root {
        computeSigningRoot(data.hashTreeRoot, domain: .attestation, genesisRoot: genesisRoot)
    }

    public func signingRoot(of transaction: Transaction) -> Root {
        let domain: DomainType = if case .exit = transaction.kind { .exit } else { .transaction }
        return computeSigningRoot(transaction.hashTreeRoot, domain: domain, genesisRoot: genesisRoot)
    }
}
