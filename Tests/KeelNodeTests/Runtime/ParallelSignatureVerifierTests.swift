import KeelChain
import KeelCrypto
import XCTest

@testable import KeelNode

/// `verifyAll` gives the conjunction of the sets' checks whatever the chunking.
final class ParallelSignatureVerifierTests: XCTestCase {
    private func sets(count: Int) -> [SignatureSet] {
        (0..<count).map { index in
            let key = DevnetKeys.secretKey(validatorIndex: UInt64(index))
            let root = SHA256.hash(Array("verifier-test/\(index)".utf8))
            return SignatureSet(publicKey: key.publicKey, signingRoot: root, signature: key.sign(root))
        }
    }

    func testAllValidSetsPassUnderEveryChunking() {
        let valid = sets(count: 37)
        for chunkCount in [1, 2, 3, 16, ParallelSignatureVerifier.defaultChunkCount, 37, 100] {
            XCTAssertTrue(ParallelSignatureVerifier.verifyAll(valid, chunkCount: chunkCount), "chunks: \(chunkCount)")
        }
        XCTAssertTrue(ParallelSignatureVerifier.verifyAll(valid))
        XCTAssertTrue(ParallelSignatureVerifier.verifyAll([]))
    }

    func testOneBadSetFailsWhereverItSits() {
        let valid = sets(count: 37)
        XCTAssertGreaterThan(ParallelSignatureVerifier.defaultChunkCount, ProcessInfoCores.activeProcessorCount)
        for position in [0, 18, 36] {
            var bad = valid
            bad[position].signingRoot = SHA256.hash(Array("another message".utf8))
            for chunkCount in [1, 2, 16, ParallelSignatureVerifier.defaultChunkCount] {
                XCTAssertFalse(ParallelSignatureVerifier.verifyAll(bad, chunkCount: chunkCount), "bad at \(position), chunks \(chunkCount)")
            }
            XCTAssertFalse(ParallelSignatureVerifier.verifyAll(bad))
        }
        XCTAssertFalse(ParallelSignatureVerifier.verifyAll(Array(valid.prefix(1)) + [{ var s = valid[1]; s.publicKey = valid[2].publicKey; return s }()]))
    }
}
