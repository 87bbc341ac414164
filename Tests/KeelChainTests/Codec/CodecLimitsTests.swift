import XCTest

@testable import KeelChain

final class CodecLimitsTests: XCTestCase {
    /// The codec must accept every block and program the devnet preset allows.
    func testLimitsAreAtLeastTheDevnetPreset() {
        let preset = Preset.devnet
        XCTAssertGreaterThanOrEqual(CodecLimits.maxProposerSlashings, preset.maxProposerSlashings)
        XCTAssertGreaterThanOrEqual(CodecLimits.maxAttesterSlashings, preset.maxAttesterSlashings)
        XCTAssertGreaterThanOrEqual(CodecLimits.maxAttestations, preset.maxAttestations)
        XCTAssertGreaterThanOrEqual(CodecLimits.maxTransactions, preset.maxTransactions)
        XCTAssertGreaterThanOrEqual(CodecLimits.maxProgramBytes, preset.maxProgramBytes)
        XCTAssertGreaterThanOrEqual(CodecLimits.maxCallInputCells, preset.maxCallInputCells)
        XCTAssertGreaterThanOrEqual(CodecLimits.maxProgramStorageCells, preset.maxProgramStorageCells)
    }

    /// Every limit fits the `UInt32` count that carries it, with room for the check `count > limit`.
    func testLimitsFitTheU32Count() {
        let limits = [
            CodecLimits.maxProposerSlashings, CodecLimits.maxAttesterSlashings, CodecLimits.maxAttestations,
            CodecLimits.maxTransactions, CodecLimits.maxProgramBytes, CodecLimits.maxCallInputCells,
            CodecLimits.maxProgramStorageCells,
        ]
        for limit in limits {
            XCTAssertGreaterThan(limit, 0)
            XCTAssertLessThan(limit, UInt64(UInt32.max))
        }
    }

    /// The fixed sizes the decoders use to reject impossible counts early equal real encodings,
    /// and the minimum sizes are reached (so no valid list is rejected as truncated).
    func testEncodedSizeConstantsMatchEncodings() {
        var generator = CodecGenerator(seed: 17)
        XCTAssertEqual(generator.checkpoint().encoded.count, Checkpoint.encodedByteCount)
        XCTAssertEqual(generator.attestationData().encoded.count, AttestationData.encodedByteCount)
        XCTAssertEqual(generator.attestation().encoded.count, Attestation.encodedByteCount)
        XCTAssertEqual(generator.pendingAttestation().encoded.count, PendingAttestation.encodedByteCount)
        XCTAssertEqual(generator.blockHeader().encoded.count, BlockHeader.encodedByteCount)
        XCTAssertEqual(generator.signedBlockHeader().encoded.count, SignedBlockHeader.encodedByteCount)
        XCTAssertEqual(generator.proposerSlashing().encoded.count, ProposerSlashing.encodedByteCount)
        XCTAssertEqual(generator.attesterSlashing().encoded.count, AttesterSlashing.encodedByteCount)
        XCTAssertEqual(generator.validator().encoded.count, Validator.encodedByteCount)
        XCTAssertEqual(generator.account().encoded.count, Account.encodedByteCount)
        var smallest = Int.max
        for _ in 0..<500 {
            let size = generator.signedTransaction().encoded.count
            XCTAssertGreaterThanOrEqual(size, SignedTransaction.encodedByteCountMin)
            smallest = min(smallest, size)
        }
        let emptyDeploy = SignedTransaction(
            message: Transaction(sender: generator.address(), nonce: 0, fee: .zero, kind: .deploy(code: [])),
            signature: generator.signature())
        XCTAssertEqual(emptyDeploy.encoded.count, SignedTransaction.encodedByteCountMin)
        XCTAssertGreaterThanOrEqual(smallest, SignedTransaction.encodedByteCountMin)
    }
}
