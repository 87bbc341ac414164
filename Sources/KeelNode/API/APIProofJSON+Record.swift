import KeelChain
import KeelCrypto
import KeelFormats
import KeelProof

/// The prover routes' answers, made from what a prover node stored for a block.
extension APIProofJSON {
    init(_ record: ProvenBlockRecord, guarantee: String) {
        precondition(record.blockRoot == record.claim.blockRoot, "a record is about its claim's block")
        self.init(
            blockRoot: record.blockRoot.hex, system: record.proof.system, guarantee: guarantee, claim: APIClaimJSON(record.claim),
            claimEncoded: Hex.encode(record.claim.encoded), proof: Hex.encode(record.proof.bytes),
            proofBytes: record.proof.bytes.count)
    }
}

extension APIWitnessJSON {
    init(_ record: ProvenBlockRecord) {
        self.init(
            blockRoot: record.blockRoot.hex, preStateRoot: record.claim.preStateRoot.hex, witness: Hex.encode(record.witness),
            witnessBytes: record.witness.count)
    }
}

extension APIRegistryJSON {
    init(_ record: ProvenBlockRecord) {
        self.init(
            blockRoot: record.blockRoot.hex, stateRoot: record.claim.postStateRoot.hex, registry: Hex.encode(record.registry),
            registryBytes: record.registry.count)
    }
}
