import KeelChain
import KeelCrypto
import KeelLight
import KeelProof
import KeelTestSupport

/// A chain advanced with a prover beside it, and what a prover node would serve for each block.
struct LightChainFixture {
    var execution: ExecutionTestChain
    var served: [(data: LightBlockData, claim: TransitionClaim)] = []
    let prover: BlockProver
    let verifierSystem: StubSignedClaimProofSystem
    let genesis: ChainState

    init() throws {
        execution = try ExecutionTestChain()
        genesis = execution.chain.state
        prover = BlockProver(system: StubSignedClaimProofSystem(
            proverSecretKey: DevnetKeys.proverSecretKey, genesisRoot: genesis.genesisRoot))
        verifierSystem = StubSignedClaimProofSystem(proverKey: DevnetKeys.proverSecretKey.publicKey, genesisRoot: genesis.genesisRoot)
    }

    mutating func advance(slots: Int, participates: @escaping (ValidatorIndex) -> Bool = { _ in true }) throws {
        for _ in 0..<slots {
            try execution.advance(participates: participates)
            let (block, preState) = execution.blocks.last!
            let proven = try prover.prove(block, preState: preState)
            served.append((
                LightBlockData(block: block, proof: (proven.proof, proven.claim.vmSteps), witness: proven.witness, registry: proven.registry),
                proven.claim))
        }
    }

    /// A light chain anchored at genesis.
    func lightChain() -> LightChain {
        LightChain(genesis: genesis)
    }

    var verifiers: [StateRootVerifier] { [.proof(verifierSystem), .reexec] }
}
