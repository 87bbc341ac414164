import KeelChain

extension NodeCore {
    /// Checks a transaction from the API against the head state and pools it; gossips it on
    /// if it is new.
    ///
    /// - Returns: The verified transaction (its `root` is the signed transaction's root, the
    ///   one blocks list) and the actions to carry out.
    /// - Throws: `TransactionSubmissionError`: the check that failed, a full pool, or syncing.
    public mutating func submitTransaction(
        _ transaction: SignedTransaction
    ) throws(TransactionSubmissionError) -> (transaction: VerifiedTransaction, actions: [NodeAction]) {
        precondition(pending.isEmpty, "events are handled one at a time")
        guard !isSyncing else { throw .syncing }
        let verified: VerifiedTransaction
        do { verified = try VerifiedTransaction.verify(transaction, state: headState, signatures: config.signatures) } catch {
            throw .rejected(error)
        }
        switch transactionPool.insert(verified) {
        case .full: throw .poolFull
        case .duplicate: return (verified, [])
        case .added:
            return (verified, [.broadcast(.transaction(verified), except: nil), .event(.transactionPooled(root: verified.root))])
        }
    }

    mutating func receiveTransaction(_ transaction: SignedTransaction, from peer: PeerID) {
        do {
            let verified = try VerifiedTransaction.verify(transaction, state: headState, signatures: config.signatures)
            if transactionPool.insert(verified) == .added {
                emit(.broadcast(.transaction(verified), except: peer))
                emit(.event(.transactionPooled(root: verified.root)))
            }
        } catch {
            note(.operationRejected(kind: "transaction", reason: error.description, from: peer))
            switch error {
            // A race with a block, a sender that spent its balance, or a state that differs from
            // the peer's: honest peers send these.
            case .staleNonce, .nonceTooFarAhead, .insufficientBalance, .wouldFail: return
            case .unknownSender, .badSignature, .badProofOfPossession, .invalid: emit(.penalize(peer, .invalidOperation))
            }
        }
    }

    mutating func receiveProposerSlashing(_ slashing: ProposerSlashing, from peer: PeerID) {
        do {
            let verified = try VerifiedProposerSlashing.verify(slashing, state: headState, signatures: config.signatures)
            store.onProposerSlashing(verified)
            if detector.observe(verified) {
                emit(.broadcast(.proposerSlashing(verified), except: peer))
                emit(.event(.proposerSlashing(slashing)))
            }
        } catch {
            note(.operationRejected(kind: "proposer slashing", reason: "\(error)", from: peer))
            // Evidence against a validator already slashed is stale, not forged.
            if case .notSlashable = error { return }
            emit(.penalize(peer, .invalidOperation))
        }
    }

    mutating func receiveAttesterSlashing(_ slashing: AttesterSlashing, from peer: PeerID) {
        do {
            let verified = try VerifiedAttesterSlashing.verify(slashing, state: headState, signatures: config.signatures)
            store.onAttesterSlashing(verified)
            if detector.observe(verified) {
                emit(.broadcast(.attesterSlashing(verified), except: peer))
                emit(.event(.attesterSlashing(slashing)))
            }
        } catch {
            note(.operationRejected(kind: "attester slashing", reason: "\(error)", from: peer))
            if case .notSlashable = error { return }
            emit(.penalize(peer, .invalidOperation))
        }
    }
}
