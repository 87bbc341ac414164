import KeelChain
import KeelCrypto
import KeelLight
import KeelTestSupport
import XCTest

/// `keel light account` believes a balance only if the node's Merkle proof shows exactly that
/// account under a state root the light node verified.
final class LightAccountClaimTests: XCTestCase {
    private func claim(_ address: Address, in state: inout ChainState) -> LightAccountClaim {
        let proof = state.accountProof(address)
        return LightAccountClaim(
            address: address, account: state.accounts[address], slot: state.slot, stateRoot: state.hashTreeRoot(), proof: proof)
    }

    func testHonestInclusionAndExclusionProofsHold() throws {
        var state = try ExecutionTestChain().chain.state
        let funded = Address(DevnetKeys.secretKey(validatorIndex: 0).publicKey)
        XCTAssertNotNil(state.accounts[funded])
        XCTAssertTrue(claim(funded, in: &state).proofHolds)
        let unknown = Address(SHA256.hash(Array("nobody".utf8)))
        let exclusion = claim(unknown, in: &state)
        XCTAssertNil(exclusion.account)
        XCTAssertTrue(exclusion.proofHolds)
    }

    func testTamperedAccountProofsAreRejected() throws {
        var state = try ExecutionTestChain().chain.state
        let funded = Address(DevnetKeys.secretKey(validatorIndex: 0).publicKey)
        let honest = claim(funded, in: &state)
        let account = try XCTUnwrap(honest.account)

        let richer = LightAccountClaim(
            address: funded, account: Account(balance: Stake(account.balance.rawValue + 1), nonce: account.nonce),
            slot: honest.slot, stateRoot: honest.stateRoot, proof: honest.proof)
        XCTAssertFalse(richer.proofHolds, "a changed balance")

        let hidden = LightAccountClaim(address: funded, account: nil, slot: honest.slot, stateRoot: honest.stateRoot, proof: honest.proof)
        XCTAssertFalse(hidden.proofHolds, "an existing account passed off as absent")

        var siblings = honest.proof.siblings
        siblings[siblings.count / 2] = SHA256.hash(Array("forged".utf8))
        let forgedPath = LightAccountClaim(
            address: funded, account: account, slot: honest.slot, stateRoot: honest.stateRoot,
            proof: MerkleProof(siblings: siblings, terminal: honest.proof.terminal))
        XCTAssertFalse(forgedPath.proofHolds, "an altered sibling")

        let otherAddress = Address(DevnetKeys.secretKey(validatorIndex: 1).publicKey)
        let moved = LightAccountClaim(
            address: otherAddress, account: account, slot: honest.slot, stateRoot: honest.stateRoot, proof: honest.proof)
        XCTAssertFalse(moved.proofHolds, "another account's proof")

        let otherRoot = LightAccountClaim(
            address: funded, account: account, slot: honest.slot, stateRoot: SHA256.hash([1]), proof: honest.proof)
        XCTAssertFalse(otherRoot.proofHolds, "another state root")
    }
}
