import KeelChain
import KeelCrypto
import KeelProof
import KeelStark
import KeelTestSupport
import KeelVM
import XCTest

/// `keel-stark-v1` for blocks (spec/STARK.md §9.7): a proof of a block with a VM call verifies
/// against its claim and block, and a proof that does not match them is rejected.
final class StarkProofSystemTests: XCTestCase {
    private func fixture() throws -> (block: SignedBlock, traced: TracedTransition, system: StarkProofSystem, proof: TransitionProof) {
        var chain = try ExecutionTestChain()
        try chain.advance(n: 30)
        try chain.advance(n: 40)
        let (block, preState) = chain.blocks[1]
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        let system = StarkProofSystem(preset: preState.preset)
        return (block, traced, system, try system.prove(traced.claim, block: block, witness: traced.witness))
    }

    func testProofOfABlockWithACallVerifies() throws {
        let (block, traced, system, proof) = try fixture()
        XCTAssertEqual(proof.system, "keel-stark-v1")
        let decoded = try TransitionProof(decoding: proof.encoded)
        XCTAssertNoThrow(try system.verify(decoded, of: traced.claim, block: block))
        XCTAssertGreaterThan(traced.claim.vmSteps, 100)
        XCTAssertThrowsError(try system.verify(decoded, of: traced.claim), "without the block there is nothing to check")
    }

    func testAnotherClaimOrBlockIsRejected() throws {
        let (block, traced, system, proof) = try fixture()
        let claim = traced.claim
        let others = [
            TransitionClaim(preStateRoot: claim.preStateRoot, blockRoot: claim.blockRoot, postStateRoot: claim.postStateRoot, vmSteps: claim.vmSteps + 1),
            TransitionClaim(preStateRoot: claim.preStateRoot, blockRoot: claim.blockRoot, postStateRoot: SHA256.hash([9]), vmSteps: claim.vmSteps),
            TransitionClaim(preStateRoot: SHA256.hash([8]), blockRoot: claim.blockRoot, postStateRoot: claim.postStateRoot, vmSteps: claim.vmSteps),
            TransitionClaim(preStateRoot: claim.preStateRoot, blockRoot: SHA256.hash([7]), postStateRoot: claim.postStateRoot, vmSteps: claim.vmSteps),
        ]
        for other in others {
            XCTAssertThrowsError(try system.verify(proof, of: other, block: block), "\(other)")
        }
    }

    /// The call's proof replaced by one of the same program with a forged output, or by a proof
    /// of another input, or dropped, or doubled: each is rejected.
    func testForgedCallProofsAreRejected() throws {
        let (block, traced, system, proof) = try fixture()
        var reader = ByteReader(proof.bytes)
        _ = try reader.readUInt8()
        let witness = try reader.readLengthPrefixedBytes("witness", limit: 1 << 24)
        XCTAssertEqual(try reader.readUInt32(), 1, "one call in the block")
        let call = try VmCallProof(decoding: try reader.readLengthPrefixedBytes("call", limit: 1 << 24))
        guard case .stark(let stark) = call.evidence else { return XCTFail("the call is proven") }
        var forgedResult = call.result
        forgedResult.output[0] = (forgedResult.output[0] + 1) % 2_130_706_433
        let program = try Assembler.assemble(try RepositoryPaths.programSource("fibonacci"))
        let otherInput = try VmCallProof.prove(program: program, storage: call.storage, input: [41], stepLimit: call.stepLimit)
        let forgeries: [(String, [VmCallProof])] = [
            ("forged output", [VmCallProof(programHash: call.programHash, storage: call.storage, input: call.input,
                                           stepLimit: call.stepLimit, result: forgedResult, evidence: .stark(stark))]),
            ("forged output re-executed", [VmCallProof(programHash: call.programHash, storage: call.storage, input: call.input,
                                                       stepLimit: call.stepLimit, result: forgedResult, evidence: .reexecute(reason: "x"))]),
            ("another input's proof", [otherInput]),
            ("no call proof", []),
            ("a second call proof", [call, call]),
        ]
        for (name, calls) in forgeries {
            var writer = ByteWriter()
            writer.write(StarkProofSystem.version)
            writer.writeLengthPrefixed(witness)
            writer.write(UInt32(calls.count))
            for forged in calls { writer.writeLengthPrefixed(forged.encoded()) }
            let forged = TransitionProof(system: proof.system, bytes: writer.finish())
            XCTAssertThrowsError(try system.verify(forged, of: traced.claim, block: block), name) { error in
                guard case .invalid = error as? ProofError else { return XCTFail("\(name): \(error)") }
            }
        }
        XCTAssertThrowsError(try system.verify(TransitionProof(system: proof.system, bytes: Array(proof.bytes.dropLast())), of: traced.claim, block: block)) {
            guard case .malformed = $0 as? ProofError else { return XCTFail("\($0)") }
        }
    }

    /// Genuine proofs replayed: another block's of this chain, and one of another chain's block
    /// at the same height, each presented with this block and its claim, are rejected.
    func testGenuineProofsOfOtherBlocksOrChainsAreRejected() throws {
        var chain = try ExecutionTestChain()
        try chain.advance(n: 30)
        try chain.advance(n: 40)
        var other = try ExecutionTestChain(validatorCount: 5)
        try other.advance(n: 30)
        try other.advance(n: 40)
        func provenBlock(_ entry: (block: SignedBlock, preState: ChainState)) throws -> (SignedBlock, TransitionClaim, TransitionProof) {
            let traced = try BlockWitnessBuilder.trace(entry.block, preState: entry.preState)
            let proof = try StarkProofSystem(preset: entry.preState.preset).prove(traced.claim, block: entry.block, witness: traced.witness)
            return (entry.block, traced.claim, proof)
        }
        let (block, claim, proof) = try provenBlock(chain.blocks[1])
        let (_, _, earlier) = try provenBlock(chain.blocks[0])
        let (_, _, foreign) = try provenBlock(other.blocks[1])
        let system = StarkProofSystem(preset: chain.blocks[1].preState.preset)
        XCTAssertNoThrow(try system.verify(proof, of: claim, block: block))
        for (name, replayed) in [("the chain's previous block", earlier), ("another chain's block", foreign)] {
            XCTAssertThrowsError(try system.verify(replayed, of: claim, block: block), name) { error in
                guard case .invalid = error as? ProofError else { return XCTFail("\(name): \(error)") }
            }
        }
    }
}
