import Foundation
import KeelChain
import KeelCrypto
import KeelProof

/// Measures one block four ways, each the median of `runs`:
///
/// - full re-execution: the state transition on a copy of the full pre-state (signatures
///   checked, state root recomputed), as a full node imports a block;
/// - stateless re-execution: decoding the witness and ``StatelessReexecution/verify``, as a
///   light node with `--verify reexec` does;
/// - proof verification: decoding the proof and ``ProofSystem/verify``: the state-root check of
///   a light node with `--verify proof` (which also opens the post-state's registry proof to
///   learn the validators, a cost this column leaves out, as the re-execution columns leave
///   out the light node's signature and vote checks);
/// - proving: tracing the block (one more execution, recording what it touches), cutting the
///   witness and making the proof, as a `--prover` node does (for the STUB, one signature).
struct ReexecVsProofMeasurement {
    let blocks: ReexecVsProofBlocks
    let system: any ProofSystem
    let runs: Int
    /// Runs of the prove column (one for a real prover: a million-step proof takes a minute).
    var proveRuns: Int

    func measure(steps: UInt64) throws -> ReexecVsProofRow {
        let block = try blocks.block(steps: steps)
        let preState = blocks.preState
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        let proof = try system.prove(traced.claim, block: block, witness: traced.witness)
        let witnessBytes = traced.witness.encoded
        let proofBytes = proof.encoded
        let preset = preState.preset

        let full = try median {
            var state = preState
            try state.stateTransition(block)
        }
        let stateless = try median {
            let witness = try StateWitness(decoding: witnessBytes)
            _ = try StatelessReexecution.verify(block, preStateRoot: traced.claim.preStateRoot, witness: witness, preset: preset)
        }
        let verify = try median {
            try system.verify(try TransitionProof(decoding: proofBytes), of: traced.claim, block: block)
        }
        let prove = try median(runs: proveRuns) {
            let again = try BlockWitnessBuilder.trace(block, preState: preState)
            _ = try system.prove(again.claim, block: block, witness: again.witness)
        }
        return ReexecVsProofRow(
            steps: steps, vmSteps: traced.claim.vmSteps, fullReexecNs: full, statelessReexecNs: stateless,
            proofVerifyNs: verify, proveNs: prove, witnessBytes: witnessBytes.count, proofBytes: proofBytes.count,
            blockBytes: block.encoded.count, proverPeakBytes: Self.peakResidentBytes())
    }

    /// The process's peak resident set so far (`getrusage`, kilobytes on Linux).
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    /// The median wall time of `runs` runs of `body`, in nanoseconds.
    private func median(runs count: Int? = nil, _ body: () throws -> Void) throws -> UInt64 {
        let clock = ContinuousClock()
        var samples: [UInt64] = []
        for _ in 0..<(count ?? runs) {
            let start = clock.now
            try body()
            let elapsed = clock.now - start
            samples.append(UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000))
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}
