import KeelChain
import KeelConsensus
import KeelCrypto
import XCTest

/// `VerifiedProposerSlashing` and `VerifiedAttesterSlashing`: evidence is checked as a block
/// would include it, signatures first.
final class VerifiedSlashingTests: XCTestCase {
    private var devnet: Devnet!

    override func setUpWithError() throws {
        devnet = try Devnet(validatorCount: 4)
    }

    private static let garbage = Signature(bytes: [UInt8](repeating: 1, count: 64))!

    private func headers(proposer: ValidatorIndex) -> (BlockHeader, BlockHeader) {
        let first = BlockHeader(slot: Slot(1), proposerIndex: proposer, parentRoot: devnet.genesisBlockRoot, stateRoot: .zero, bodyRoot: .zero)
        var second = first
        second.stateRoot = SHA256.hash(Root.zero)
        return (first, second)
    }

    private func signedHeader(_ header: BlockHeader) -> SignedBlockHeader {
        SignedBlockHeader(
            message: header,
            signature: devnet.secretKeys[Int(header.proposerIndex.rawValue)].sign(devnet.genesis.signingRoot(of: header)))
    }

    func testGenuineDoubleProposalVerifies() throws {
        let (first, second) = headers(proposer: ValidatorIndex(2))
        let slashing = ProposerSlashing(signedHeader1: signedHeader(first), signedHeader2: signedHeader(second))
        XCTAssertEqual(try VerifiedProposerSlashing.verify(slashing, state: devnet.genesis).slashing, slashing)
    }

    func testForgedDoubleProposalIsRefused() {
        let (first, second) = headers(proposer: ValidatorIndex(2))
        let forged = ProposerSlashing(
            signedHeader1: SignedBlockHeader(message: first, signature: Self.garbage),
            signedHeader2: SignedBlockHeader(message: second, signature: Self.garbage))
        XCTAssertThrowsError(try VerifiedProposerSlashing.verify(forged, state: devnet.genesis)) { error in
            XCTAssertEqual(error as? ProposerSlashingInvalid, .badSignature(header: 1))
        }
        let halfForged = ProposerSlashing(signedHeader1: signedHeader(first), signedHeader2: SignedBlockHeader(message: second, signature: Self.garbage))
        XCTAssertThrowsError(try VerifiedProposerSlashing.verify(halfForged, state: devnet.genesis)) { error in
            XCTAssertEqual(error as? ProposerSlashingInvalid, .badSignature(header: 2))
        }
    }

    private func doubleVote(by validator: ValidatorIndex) -> (AttestationData, AttestationData) {
        let data = devnet.attestationData(headRoot: devnet.genesisBlockRoot, view: devnet.genesis, slot: Slot(0))
        var conflicting = data
        conflicting.source.root = SHA256.hash(data.source.root)
        return (data, conflicting)
    }

    func testGenuineDoubleVoteVerifiesAndAForgedOneIsRefused() throws {
        let validator = ValidatorIndex(1)
        let (data, conflicting) = doubleVote(by: validator)
        let genuine = AttesterSlashing(attestation1: devnet.sign(data, by: validator), attestation2: devnet.sign(conflicting, by: validator))
        XCTAssertEqual(try VerifiedAttesterSlashing.verify(genuine, state: devnet.genesis).slashing, genuine)
        let forged = AttesterSlashing(
            attestation1: devnet.sign(data, by: validator),
            attestation2: Attestation(validatorIndex: validator, data: conflicting, signature: Self.garbage))
        XCTAssertThrowsError(try VerifiedAttesterSlashing.verify(forged, state: devnet.genesis)) { error in
            XCTAssertEqual(error as? AttesterSlashingInvalid, .badSignature(attestation: 2))
        }
    }
}
