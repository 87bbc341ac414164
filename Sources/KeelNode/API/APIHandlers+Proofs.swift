import Hummingbird
import KeelChain
import KeelCrypto
import KeelProof
import NIOCore

extension APIHandlers {
    /// The message of every proof route on a node that is not a prover.
    static var notAProverMessage: String { "this node is not a prover (start it with --prover)" }

    /// The root a block id names: the head, the canonical block of a slot, or a root as given.
    ///
    /// - Throws: 400 for a malformed id; 404 for a slot with no canonical block.
    func blockRoot(id text: String) async throws(APIError) -> Root {
        switch try APIBlockID(parsing: text) {
        case .head:
            return await view.headSnapshot().headRoot
        case .root(let requested):
            return requested
        case .slot(let slot):
            guard let canonical = await view.canonicalBlockRoot(slot: slot) else {
                throw .notFound("no canonical block at slot \(slot)")
            }
            return canonical
        }
    }

    /// `GET /genesis`: the genesis file, byte for byte as `keel genesis` writes it and
    /// `keel node --genesis` reads it.
    func genesis() throws(APIError) -> Response {
        guard let file = view.genesisFile else { throw .notFound("this node does not serve its genesis file") }
        let json = file.encodedJSON()
        precondition(json.first == UInt8(ascii: "{"), "a genesis file is a JSON object")
        return Response(
            status: .ok, headers: [.contentType: APIJSON.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }

    func proof(id text: String) async throws(APIError) -> Response {
        let (system, record) = try await provenBlock(id: text)
        return APIJSON.response(APIProofJSON(record, guarantee: system.guarantee))
    }

    func witness(id text: String) async throws(APIError) -> Response {
        APIJSON.response(APIWitnessJSON(try await provenBlock(id: text).record))
    }

    func registry(id text: String) async throws(APIError) -> Response {
        APIJSON.response(APIRegistryJSON(try await provenBlock(id: text).record))
    }

    /// The prover's system and its record of the block `text` names.
    ///
    /// - Throws: 404 when the node is not a prover, the block is unknown or not proven yet;
    ///   400 for a malformed id; 500 when the store cannot be read.
    private func provenBlock(id text: String) async throws(APIError) -> (system: any ProofSystem, record: ProvenBlockRecord) {
        guard let system = view.proofSystem else { throw .notFound(Self.notAProverMessage) }
        let root = try await blockRoot(id: text)
        let record: ProvenBlockRecord?
        do { record = try await view.provenBlock(root: root) } catch {
            throw APIError(.internalServerError, "reading the proof of block \(root.hex) failed: \(error)")
        }
        guard let record else {
            guard let block = await view.block(root: root) else { throw .notFound("no block with root \(root.hex)") }
            guard block.message.slot > Slot(0) else {
                throw .notFound("block \(root.hex) is the genesis block: it has no transition to prove")
            }
            throw .notFound(
                "no proof of block \(root.hex) (slot \(block.message.slot)) yet: proving follows import, or the block was imported before the node was a prover")
        }
        precondition(record.blockRoot == root, "the view returned the record of another block")
        return (system, record)
    }
}
