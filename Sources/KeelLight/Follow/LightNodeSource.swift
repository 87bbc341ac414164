import Foundation
import KeelChain
import KeelCrypto
import KeelFormats
import KeelProof

/// A node's API as the light node reads it: each call fetches one thing and decodes it, and
/// none of them is trusted until ``LightChain`` has checked it.
public struct LightNodeSource: Sendable {
    public let client: LightHTTPClient
    /// How long to wait for a proof or witness the prover has not made yet (it proves after
    /// import, so the head's may lag by a moment).
    public var proofWait: Duration = .seconds(10)

    public init(client: LightHTTPClient) {
        self.client = client
    }

    public func genesisFile() async throws(LightFollowError) -> GenesisFile {
        let response = try await fetch("/genesis")
        do { return try GenesisFile.decode(json: Data(response.body)) } catch {
            throw .undecodable("/genesis", "\(error)")
        }
    }

    public func headRoot() async throws(LightFollowError) -> Root {
        try root(try await json("/chain/head", as: APIHeadJSON.self).root, "/chain/head")
    }

    public func finalizedRoot() async throws(LightFollowError) -> Root {
        try root(try await json("/chain/finality", as: APIFinalityJSON.self).finalized.root, "/chain/finality")
    }

    /// The block with `root`, checked to hash to it.
    public func block(_ root: Root) async throws(LightFollowError) -> SignedBlock {
        let path = "/blocks/\(root.hex)"
        let bytes = try hex(try await json(path, as: LightBlockJSON.self).encoded, path)
        let block: SignedBlock
        do { block = try SignedBlock(decoding: bytes) } catch { throw .undecodable(path, "\(error)") }
        guard block.message.hashTreeRoot == root else { throw .undecodable(path, "the block does not hash to \(root.hex)") }
        return block
    }

    public func proof(_ root: Root) async throws(LightFollowError) -> (proof: TransitionProof, vmSteps: UInt64) {
        let path = "/blocks/\(root.hex)/proof"
        let body = try await jsonWaitingForProver(path, as: APIProofJSON.self)
        return (TransitionProof(system: body.system, bytes: try hex(body.proof, path)), body.claim.vmSteps)
    }

    public func witness(_ root: Root) async throws(LightFollowError) -> StateWitness {
        let path = "/blocks/\(root.hex)/witness"
        return try stateWitness(try await jsonWaitingForProver(path, as: APIWitnessJSON.self).witness, path)
    }

    public func registry(_ root: Root) async throws(LightFollowError) -> StateWitness {
        let path = "/blocks/\(root.hex)/registry"
        return try stateWitness(try await jsonWaitingForProver(path, as: APIRegistryJSON.self).registry, path)
    }

    /// The node's receipts of block `root`, not yet checked.
    public func receipts(_ root: Root) async throws(LightFollowError) -> [APIReceiptJSON] {
        try await json("/blocks/\(root.hex)/receipts", as: APIBlockReceiptsJSON.self).receipts
    }

    /// What the node says of an account, not yet checked.
    public func account(_ address: Address) async throws(LightFollowError) -> LightAccountClaim {
        let path = "/accounts/\(address.hash.hex)"
        let body = try await json(path, as: APIAccountJSON.self)
        guard let balance = UInt64(body.balance) else { throw .undecodable(path, "balance '\(body.balance)' is not a number") }
        let proofBytes = try hex(body.proof, path)
        let proof: MerkleProof
        do { proof = try MerkleProof(decoding: proofBytes) } catch { throw .undecodable(path, "\(error)") }
        return LightAccountClaim(
            address: address, account: body.exists ? Account(balance: Stake(balance), nonce: body.nonce) : nil,
            slot: Slot(body.slot), stateRoot: try root(body.stateRoot, path), proof: proof)
    }

    // MARK: Plumbing

    private func fetch(_ path: String) async throws(LightFollowError) -> HTTPResponse {
        let response: HTTPResponse
        do { response = try await client.get(path) } catch { throw .http(error) }
        guard response.isSuccess else {
            throw .http(.status(response.status, path: path, message: LightHTTPClient.errorMessage(response)))
        }
        return response
    }

    private func json<T: Decodable>(_ path: String, as type: T.Type) async throws(LightFollowError) -> T {
        do { return try await client.getJSON(path, as: type) } catch { throw .http(error) }
    }

    /// Like `json`, but a 404 is retried until ``proofWait`` has passed: the prover proves each
    /// block after importing it.
    private func jsonWaitingForProver<T: Decodable>(_ path: String, as type: T.Type) async throws(LightFollowError) -> T {
        let deadline = ContinuousClock.now + proofWait
        while true {
            do {
                return try await json(path, as: type)
            } catch {
                guard case .http(.status(404, _, let message)) = error else { throw error }
                if message.contains("not a prover") || ContinuousClock.now >= deadline { throw error }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func stateWitness(_ text: String, _ path: String) throws(LightFollowError) -> StateWitness {
        do { return try StateWitness(decoding: try hex(text, path)) } catch let error as LightFollowError { throw error } catch {
            throw .undecodable(path, "\(error)")
        }
    }

    private func hex(_ text: String, _ path: String) throws(LightFollowError) -> [UInt8] {
        guard let bytes = Hex.decode(text) else { throw .undecodable(path, "not hex") }
        return bytes
    }

    private func root(_ text: String, _ path: String) throws(LightFollowError) -> Root {
        guard let root = Root(hex: text) else { throw .undecodable(path, "'\(text)' is not a 32-byte hex root") }
        return root
    }
}

/// An account as a node reports it, with the proof still to check.
public struct LightAccountClaim: Sendable {
    public let address: Address
    public let account: Account?
    public let slot: Slot
    public let stateRoot: Root
    public let proof: MerkleProof

    public init(address: Address, account: Account?, slot: Slot, stateRoot: Root, proof: MerkleProof) {
        self.address = address
        self.account = account
        self.slot = slot
        self.stateRoot = stateRoot
        self.proof = proof
    }

    /// Whether the proof shows exactly this account (or its absence) under `stateRoot`.
    public var proofHolds: Bool {
        proof.verify(key: ChainState.StateKey.account(address), valueHash: account?.hashTreeRoot, root: stateRoot)
    }
}
