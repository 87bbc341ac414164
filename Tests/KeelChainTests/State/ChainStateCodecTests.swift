import KeelChain
import KeelCrypto
import KeelTestSupport
import KeelVM
import XCTest

/// `ChainState+Codec.swift`: the whole state round-trips, and a decoded state has the same
/// Merkle root as the original (its tree is rebuilt from the fields).
final class ChainStateCodecTests: XCTestCase {
    /// A state after four epochs of a 16-validator chain with transfers, a deploy and a call,
    /// so that every list and both maps hold entries.
    nonisolated(unsafe) private static let chain: TestChain = {
        var chain = try! TestChain(validatorCount: 16, randaoChainLength: 64)
        let key = chain.secretKeys[0]
        let sender = Address(key.publicKey)
        let code = try! Assembler.assemble(".storage 2\n.outputs 1\nadd r0, r0, r1\nadd r2, r0, 0\n").encoded()
        let program = Address.program(deployer: sender, nonce: 1)
        let kinds: [(Slot, TransactionKind)] = [
            (3, .transfer(recipient: Address(SHA256.hash(Array("fresh".utf8))), amount: Stake(5_000))),
            (5, .deploy(code: code)),
            (9, .call(program: program, input: [], stepLimit: 100)),
        ]
        var nonce: UInt64 = 0
        while chain.state.slot.rawValue < 4 * chain.state.preset.slotsPerEpoch {
            let slot = Slot(chain.state.slot.rawValue + 1)
            var operations = BlockOperations()
            for (at, kind) in kinds where at == slot {
                let transaction = Transaction(sender: sender, nonce: nonce, fee: Stake(100_000), kind: kind)
                operations.transactions.append(
                    SignedTransaction(message: transaction, signature: key.sign(chain.state.signingRoot(of: transaction))))
                nonce += 1
            }
            try! chain.advance(to: slot, operations: operations)
        }
        return chain
    }()

    func testRoundTripKeepsEveryFieldAndTheRoot() throws {
        var state = Self.chain.state
        XCTAssertGreaterThan(state.programs.count, 0, "the deploy happened")
        XCTAssertGreaterThan(state.accounts.count, 16, "the transfer created an account")
        XCTAssertGreaterThan(state.finalizedCheckpoint.epoch.rawValue + state.currentJustifiedCheckpoint.epoch.rawValue, 0)
        let bytes = state.encoded
        var decoded = try ChainState(decoding: bytes)
        XCTAssertEqual(decoded.preset, state.preset)
        XCTAssertEqual(decoded.slot, state.slot)
        XCTAssertEqual(decoded.validators, state.validators)
        XCTAssertEqual(decoded.accounts, state.accounts)
        XCTAssertEqual(decoded.programs, state.programs)
        XCTAssertEqual(decoded.currentEpochAttestations, state.currentEpochAttestations)
        XCTAssertEqual(decoded.previousEpochAttestations, state.previousEpochAttestations)
        XCTAssertEqual(decoded.justificationBits, state.justificationBits)
        XCTAssertEqual(decoded.finalizedCheckpoint, state.finalizedCheckpoint)
        XCTAssertEqual(decoded.hashTreeRoot(), state.hashTreeRoot())
        XCTAssertEqual(decoded.encoded, bytes, "encode(decode(b)) == b")
    }

    /// A decoded state accepts the next block, and reaches the state root that block commits to.
    func testDecodedStateKeepsTransitioning() throws {
        var chain = Self.chain
        var decoded = try ChainState(decoding: chain.state.encoded)
        let block = try chain.advance(to: Slot(chain.state.slot.rawValue + 1))
        try decoded.stateTransition(block)
        XCTAssertEqual(decoded.hashTreeRoot(), block.message.stateRoot)
    }

    func testRejectsTruncatedTrailingAndNonCanonicalBytes() throws {
        let bytes = Self.chain.state.encoded
        XCTAssertThrowsError(try ChainState(decoding: Array(bytes.dropLast())))
        XCTAssertThrowsError(try ChainState(decoding: bytes + [0]))
        var badFormat = bytes
        badFormat[0] = 99
        XCTAssertThrowsError(try ChainState(decoding: badFormat)) { error in
            XCTAssertTrue("\(error)".contains("format"), "\(error)")
        }
        // The preset's slotsPerHistoricalRoot (field 6, after the format byte and the field count)
        // no longer matches the blockRoots vector.
        var wrongPreset = bytes
        wrongPreset[1 + 4 + 6 * 8] &+= 1
        XCTAssertThrowsError(try ChainState(decoding: wrongPreset)) { error in
            XCTAssertTrue("\(error)".contains("ChainState.blockRoots"), "\(error)")
        }
        for length in [0, 1, 100, 1_000] {
            XCTAssertThrowsError(try ChainState(decoding: Array(bytes.prefix(length))))
        }
    }
}
