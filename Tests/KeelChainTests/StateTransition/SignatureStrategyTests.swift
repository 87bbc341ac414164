import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `stateTransition` under each `SignatureStrategy`: `.collect` returns exactly the signatures
/// that `.verifyIndividually` checks, in processing order, and a single bad one is caught.
final class SignatureStrategyTests: XCTestCase {
    /// Validators 0...7; the block of slot 3 carries one operation of every signed kind.
    private struct Scenario {
        var state: ChainState
        var proposer: ValidatorIndex
        var proposerOffender: ValidatorIndex
        var attesterOffender: ValidatorIndex
        var attesters: [(ValidatorIndex, Slot)]
        var senders: [UInt64]
    }

    private static let slot: Slot = 3
    private static let depositKey: UInt64 = 100
    /// Where each signature sits in the `.collect` order.
    private enum Position: Int, CaseIterable {
        case block, proposerHeader1, proposerHeader2, attesterVote1, attesterVote2
        case attestation1, attestation2, transfer, deposit, proofOfPossession
    }

    private func scenario() throws -> Scenario {
        var state = try RuleFixture.genesis()
        try RuleFixture.advance(&state, through: 2)
        let proposer = try RuleFixture.proposer(state, at: Self.slot)
        let others = (0..<UInt64(8)).map(ValidatorIndex.init).filter { $0 != proposer }
        let attesters = [Slot(1), Slot(2)].map { slot in (state.getBeaconCommittee(slot)[0], slot) }
        let senders = others.map(\.rawValue).suffix(2)
        return Scenario(
            state: state, proposer: proposer, proposerOffender: others[0], attesterOffender: others[1],
            attesters: attesters, senders: Array(senders))
    }

    /// The block of the scenario, with the signature at `tampered` replaced by a signature of the
    /// same key over something else.
    private func block(_ scenario: Scenario, tampered: Position? = nil) throws -> SignedBlock {
        let state = scenario.state
        func bad(_ position: Position, _ signer: UInt64, _ signature: Signature) -> Signature {
            tampered == position ? RuleFixture.secretKey(signer).sign(RuleFixture.root(77)) : signature
        }
        let offender = scenario.proposerOffender
        var header1 = RuleFixture.header(slot: 1, proposer: offender, tag: 1, state)
        var header2 = RuleFixture.header(slot: 1, proposer: offender, tag: 2, state)
        header1.signature = bad(.proposerHeader1, offender.rawValue, header1.signature)
        header2.signature = bad(.proposerHeader2, offender.rawValue, header2.signature)

        let voter = scenario.attesterOffender
        let vote = AttestationData(
            slot: 0, beaconBlockRoot: RuleFixture.root(10), source: state.currentJustifiedCheckpoint,
            target: Checkpoint(epoch: 0, root: RuleFixture.root(11)))
        var otherVote = vote
        otherVote.beaconBlockRoot = RuleFixture.root(12)
        var vote1 = RuleFixture.attestation(voter, vote, state)
        var vote2 = RuleFixture.attestation(voter, otherVote, state)
        vote1.signature = bad(.attesterVote1, voter.rawValue, vote1.signature)
        vote2.signature = bad(.attesterVote2, voter.rawValue, vote2.signature)

        var attestations: [Attestation] = []
        for (position, (attester, slot)) in zip([Position.attestation1, .attestation2], scenario.attesters) {
            let data = AttestationData(
                slot: slot, beaconBlockRoot: RuleFixture.root(slot.rawValue), source: state.currentJustifiedCheckpoint,
                target: Checkpoint(epoch: 0, root: RuleFixture.root(20)))
            var attestation = RuleFixture.attestation(attester, data, state)
            attestation.signature = bad(position, attester.rawValue, attestation.signature)
            attestations.append(attestation)
        }

        var transfer = RuleFixture.transaction(
            from: scenario.senders[0], .transfer(recipient: RuleFixture.address(50), amount: Stake(5_000)), state)
        transfer.signature = bad(.transfer, scenario.senders[0], transfer.signature)
        let depositor = scenario.senders[1]
        let key = RuleFixture.secretKey(Self.depositKey)
        let commitment = DevnetGenesis.randaoChain(validatorIndex: Self.depositKey, length: 8).commitment
        let amount = state.preset.maxEffectiveStake
        let message = ChainState.depositMessageRoot(
            validatorKey: key.publicKey, withdrawalAddress: RuleFixture.address(depositor),
            amount: tampered == .proofOfPossession ? Stake(amount.rawValue + 1) : amount, randaoCommitment: commitment)
        let proof = key.sign(computeSigningRoot(message, domain: .deposit, genesisRoot: state.genesisRoot))
        var deposit = RuleFixture.transaction(
            from: depositor,
            .deposit(validatorKey: key.publicKey, amount: amount, randaoCommitment: commitment, proofOfPossession: proof), state)
        deposit.signature = bad(.deposit, depositor, deposit.signature)

        var signed = try RuleFixture.makeBlock(
            on: state, slot: Self.slot,
            proposerSlashings: [ProposerSlashing(signedHeader1: header1, signedHeader2: header2)],
            attesterSlashings: [AttesterSlashing(attestation1: vote1, attestation2: vote2)],
            attestations: attestations, transactions: [transfer, deposit])
        signed.signature = bad(.block, scenario.proposer.rawValue, signed.signature)
        return signed
    }

    /// The signature sets of `signed`, built from the block's contents in processing order.
    private func expectedSets(_ signed: SignedBlock, _ state: ChainState) -> [SignatureSet] {
        let body = signed.message.body
        func key(_ index: ValidatorIndex) -> PublicKey { state.validators[Int(index.rawValue)].publicKey }
        var sets = [SignatureSet(
            publicKey: key(signed.message.proposerIndex), signingRoot: state.signingRoot(of: signed.message),
            signature: signed.signature)]
        for slashing in body.proposerSlashings {
            for header in [slashing.signedHeader1, slashing.signedHeader2] {
                sets.append(SignatureSet(
                    publicKey: key(header.message.proposerIndex), signingRoot: state.signingRoot(of: header.message),
                    signature: header.signature))
            }
        }
        for slashing in body.attesterSlashings {
            for attestation in [slashing.attestation1, slashing.attestation2] {
                sets.append(SignatureSet(
                    publicKey: key(attestation.validatorIndex), signingRoot: state.signingRoot(of: attestation.data),
                    signature: attestation.signature))
            }
        }
        for attestation in body.attestations {
            sets.append(SignatureSet(
                publicKey: key(attestation.validatorIndex), signingRoot: state.signingRoot(of: attestation.data),
                signature: attestation.signature))
        }
        for transaction in body.transactions {
            sets.append(SignatureSet(
                publicKey: PublicKey(bytes: transaction.message.sender.hash.bytes)!,
                signingRoot: state.signingRoot(of: transaction.message), signature: transaction.signature))
            if case let .deposit(validatorKey, amount, commitment, proof) = transaction.message.kind {
                let message = ChainState.depositMessageRoot(
                    validatorKey: validatorKey, withdrawalAddress: transaction.message.sender, amount: amount,
                    randaoCommitment: commitment)
                sets.append(SignatureSet(
                    publicKey: validatorKey,
                    signingRoot: computeSigningRoot(message, domain: .deposit, genesisRoot: state.genesisRoot),
                    signature: proof))
            }
        }
        return sets
    }

    func testCollectReturnsExactlyTheSetsThatVerifyIndividuallyChecks() throws {
        let scenario = try scenario()
        let signed = try block(scenario)
        var collected = scenario.state
        let sets = try collected.stateTransition(signed, strategy: .collect)
        let expected = expectedSets(signed, scenario.state)
        XCTAssertEqual(expected.count, Position.allCases.count, "1 block + 2 + 2 slashing + 2 attestations + 2 transactions + 1 proof")
        XCTAssertEqual(sets, expected)
        XCTAssertTrue(sets.allSatisfy(\.isValid))

        var verified = scenario.state
        let verifiedSets = try verified.stateTransition(signed, strategy: .verifyIndividually)
        XCTAssertEqual(verifiedSets, [])
        XCTAssertEqual(verified.hashTreeRoot(), collected.hashTreeRoot(), "the strategy does not change the result")
        var skipped = scenario.state
        let skippedSets = try skipped.stateTransition(signed, strategy: .skip)
        XCTAssertEqual(skippedSets, [])
        XCTAssertEqual(skipped.hashTreeRoot(), collected.hashTreeRoot())
        XCTAssertTrue(verified.validators[Int(scenario.proposerOffender.rawValue)].slashed)
        XCTAssertTrue(verified.validators[Int(scenario.attesterOffender.rawValue)].slashed)
        XCTAssertEqual(verified.validators.count, 9, "the deposit registered a validator")
    }

    func testEachTamperedSignatureFailsVerificationAndIsTheOneBadCollectedSet() throws {
        let scenario = try scenario()
        let expectedErrors: [Position: BlockProcessingError] = [
            .block: .blockSignatureInvalid,
            .proposerHeader1: .proposerSlashing(index: 0, reason: .badSignature(header: 1)),
            .proposerHeader2: .proposerSlashing(index: 0, reason: .badSignature(header: 2)),
            .attesterVote1: .attesterSlashing(index: 0, reason: .badSignature(attestation: 1)),
            .attesterVote2: .attesterSlashing(index: 0, reason: .badSignature(attestation: 2)),
            .attestation1: .attestation(index: 0, reason: .badSignature),
            .attestation2: .attestation(index: 1, reason: .badSignature),
            .transfer: .transaction(index: 0, reason: .badSignature),
            .deposit: .transaction(index: 1, reason: .badSignature),
            .proofOfPossession: .transaction(index: 1, reason: .badProofOfPossession),
        ]
        for position in Position.allCases {
            let signed = try block(scenario, tampered: position)
            XCTAssertEqual(RuleFixture.rejection(signed, on: scenario.state), expectedErrors[position], "\(position)")
            var collected = scenario.state
            let sets = try collected.stateTransition(signed, strategy: .collect)
            XCTAssertEqual(sets.count, Position.allCases.count, "\(position)")
            XCTAssertEqual(sets.indices.filter { !sets[$0].isValid }, [position.rawValue], "\(position)")
        }
    }
}
