import KeelChain

extension NodeCore {
    /// What became of an attestation: `early` ones are from the current slot or a later epoch
    /// and count later (they wait for time, not a block); `missing` ones name a block to fetch.
    enum AttestationAcceptance {
        case accepted
        case rejected(penalize: Bool)
        case early
        case missing(Root)
    }

    mutating func receiveAttestation(_ attestation: Attestation, from peer: PeerID) {
        switch accept(attestation, from: peer) {
        case .accepted:
            note(.attestationJudged(valid: true, from: peer))
        case let .rejected(penalize):
            note(.attestationJudged(valid: false, from: peer))
            if penalize { emit(.penalize(peer, .invalidAttestation)) }
        case .early:
            addWaiting(attestation, from: peer)
        case let .missing(root):
            addWaiting(attestation, from: peer)
            request([root], from: peer, at: store.currentSlot)
        }
    }

    /// Fork choice's checks, then the pool, the detector and relay, which only ever see the
    /// verified attestation.
    private mutating func accept(_ attestation: Attestation, from peer: PeerID?) -> AttestationAcceptance {
        do {
            let verified = try store.onAttestation(attestation, isFromBlock: false, verifySignature: config.signatures == .verify)
            attestationPool.insert(verified)
            if let slashing = detector.observe(verified) { emit(.event(.attesterSlashing(slashing))) }
            // Own attestations went out when they were made.
            if let peer { emit(.broadcast(.attestation(verified), except: peer)) }
            return .accepted
        } catch .invalidAttestation(.unknownHeadBlock(let root)) {
            return .missing(root)
        } catch .invalidAttestation(.unknownTargetRoot(let root)) {
            return .missing(root)
        } catch .invalidAttestation(.futureSlot) {
            return .early
        } catch .invalidAttestation(.futureTargetEpoch) {
            return .early
        } catch .invalidAttestation(.badSignature) {
            return .rejected(penalize: true)
        } catch .invalidAttestation(.unknownValidator) {
            return .rejected(penalize: true)
        } catch .invalidAttestation(.notInCommittee) {
            return .rejected(penalize: true)
        } catch {
            return .rejected(penalize: false)
        }
    }

    mutating func addWaiting(_ attestation: Attestation, from peer: PeerID?) {
        guard waitingAttestations.count < config.waitingAttestationCountMax else { return }
        waitingAttestations.append((attestation, peer))
    }

    /// Tries every waiting attestation again; a peer's is counted once, when its fate is known.
    mutating func retryWaitingAttestations() {
        let waiting = waitingAttestations
        waitingAttestations = []
        for (attestation, peer) in waiting {
            switch accept(attestation, from: peer) {
            case .missing, .early: addWaiting(attestation, from: peer)
            case .accepted: if let peer { note(.attestationJudged(valid: true, from: peer)) }
            case let .rejected(penalize):
                guard let peer else { continue }
                note(.attestationJudged(valid: false, from: peer))
                if penalize { emit(.penalize(peer, .invalidAttestation)) }
            }
        }
    }
}
