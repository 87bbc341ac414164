import Hummingbird
import KeelChain
import KeelCrypto

extension APIHandlers {
    /// `GET /programs/{address}`: the program at the head state with its inclusion proof, or
    /// `exists: false` with the exclusion proof (answered 200: the proof is the answer).
    func program(address text: String) async throws(APIError) -> Response {
        let address = try APIRequestParsing.address(text)
        var state = await view.headSnapshot().state
        let proof = state.programProof(address)
        let stateRoot = state.stateTreeSnapshot.root
        let program = state.programs[address]
        let key = ChainState.StateKey.program(address)
        precondition(proof.verify(key: key, valueHash: program?.hashTreeRoot, root: stateRoot), "a fresh proof verifies")
        return APIJSON.response(APIProgramJSON(
            address: address.hash.hex, exists: program != nil, codeHash: program.map { SHA256.hash($0.code).hex },
            codeBytes: program?.code.count, storage: program?.storage, slot: state.slot.rawValue, stateRoot: stateRoot.hex,
            key: key.hex, valueHash: program?.hashTreeRoot.hex, encoded: program.map { Hex.encode($0.encoded) },
            proof: Hex.encode(proof.encoded)))
    }
}
