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
        transaction.signingRoot(genesisRoot: genesisRoot)
    }
}

extension Transaction {
    /// What the sender signs on the chain of `genesisRoot`: an exit under its own domain, every
    /// other kind under the transaction domain. Wallets (`keel tx`) sign this without a state.
    public func signingRoot(genesisRoot: Root) -> Root {
        let domain: DomainType = if case .exit = kind { .exit } else { .transaction }
        return computeSigningRoot(hashTreeRoot, domain: domain, genesisRoot: genesisRoot)
    }
}
