@testable import KeelChain
import KeelCrypto
import KeelProof
import KeelTestSupport
import XCTest

final class StatelessReexecutionTests: XCTestCase {
    /// Blocks across an epoch boundary (transfers to fresh accounts, program calls, attestations,
    /// epoch processing) re-execute from their witness alone to the roots the full state computes.
    func testHonestBlocksReexecuteFromTheirWitnessAlone() throws {
        var fixture = try ExecutionTestChain()
        for _ in 0..<10 { try fixture.advance() }
        for (block, preState) in fixture.blocks {
            let traced = try BlockWitnessBuilder.trace(block, preState: preState)
            XCTAssertEqual(traced.claim.postStateRoot, block.message.stateRoot)
            XCTAssertGreaterThan(traced.claim.vmSteps, 250, "the Fibonacci call of n = 50 ran")
            let decoded = try StateWitness(decoding: traced.witness.encoded)
            XCTAssertEqual(decoded.encoded, traced.witness.encoded)
            // Only what the block touches: no bystander account, every touched one that exists.
            let touched = Set(block.message.body.transactions.flatMap { transaction -> [Address] in
                guard case .transfer(let recipient, _) = transaction.message.kind else { return [transaction.message.sender] }
                return [transaction.message.sender, recipient]
            })
            let expected = touched.filter { preState.accounts[$0] != nil }
            XCTAssertTrue(Set(decoded.entries.accounts.sortedKeys).isSuperset(of: expected))
            XCTAssertLessThanOrEqual(decoded.entries.accounts.count, expected.count + 2, "the sender, the recipient, the proposer's beneficiary")
            let outcome = try StatelessReexecution.verify(
                block, preStateRoot: traced.claim.preStateRoot, witness: decoded, preset: preState.preset)
            XCTAssertEqual(outcome.claim, traced.claim)
        }
    }

    /// A deposit appends a validator: the witness must reach the new validator's key, and one
    /// cut for the old registry only does not verify.
    func testADepositBlockNeedsTheNewValidatorsKeyInItsWitness() throws {
        var fixture = try ExecutionTestChain()
        let preState = fixture.chain.state
        let newKey = SecretKey(seed: SHA256.hash(Array("keel/tests/new-validator".utf8)))
        let sender = Address(fixture.chain.secretKeys[0].publicKey)
        let amount = preState.preset.maxEffectiveStake
        let commitment = SHA256.hash(Array("keel/tests/new-validator/randao".utf8))
        let message = ChainState.depositMessageRoot(
            validatorKey: newKey.publicKey, withdrawalAddress: sender, amount: amount, randaoCommitment: commitment)
        let proofOfPossession = newKey.sign(computeSigningRoot(message, domain: .deposit, genesisRoot: preState.genesisRoot))
        let deposit = fixture.chain.transaction(
            from: 0, .deposit(validatorKey: newKey.publicKey, amount: amount, randaoCommitment: commitment, proofOfPossession: proofOfPossession))
        let block = try fixture.chain.advance(to: Slot(1), operations: BlockOperations(transactions: [deposit]))

        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        XCTAssertEqual(traced.postState.validators.count, preState.validators.count + 1)
        XCTAssertNoThrow(try StatelessReexecution.verify(
            block, preStateRoot: traced.claim.preStateRoot, witness: StateWitness(decoding: traced.witness.encoded),
            preset: preState.preset))

        let oldRegistryOnly = StateWitness.cut(
            from: preState, accounts: traced.witness.entries.accounts.sortedKeys, programs: [], validatorCount: 0)
        XCTAssertThrowsError(try StatelessReexecution.verify(
            block, preStateRoot: traced.claim.preStateRoot, witness: oldRegistryOnly, preset: preState.preset)
        ) { error in
            guard case .witnessIncomplete(let key)? = error as? StatelessVerificationError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, ChainState.StateKey.validator(ValidatorIndex(UInt64(preState.validators.count))))
        }
    }

    func testWrongPostStateRootIsRejected() throws {
        var fixture = try ExecutionTestChain()
        try fixture.advance()
        let (block, preState) = fixture.blocks[0]
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        let forged = fixture.withStateRoot(SHA256.hash([1]), block, preState: preState)
        XCTAssertThrowsError(try StatelessReexecution.verify(
            forged, preStateRoot: traced.claim.preStateRoot, witness: traced.witness, preset: preState.preset)
        ) { error in
            guard case .postStateRootMismatch(let claimed, let computed)? = error as? StatelessVerificationError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(claimed, SHA256.hash([1]))
            XCTAssertEqual(computed, block.message.stateRoot)
        }
    }

    /// The sender's account is read and written; a witness that reaches its leaf but leaves out
    /// the entry must not let the block run as if the account did not exist.
    func testWitnessLeavingOutAnEntryIsRejected() throws {
        var fixture = try ExecutionTestChain()
        try fixture.advance()
        let (block, preState) = fixture.blocks[0]
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        let sender = block.message.body.transactions[0].message.sender
        let entries = traced.witness.entries.restricted(
            toAccounts: traced.witness.entries.accounts.sortedKeys.filter { $0 != sender },
            programs: traced.witness.entries.programs.sortedKeys)
        let witness = StateWitness(entries: entries, multiproof: traced.witness.multiproof)
        XCTAssertThrowsError(try StatelessReexecution.verify(
            block, preStateRoot: traced.claim.preStateRoot, witness: witness, preset: preState.preset)
        ) { error in
            guard case .witnessOmitsEntry(let key)? = error as? StatelessVerificationError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, ChainState.StateKey.account(sender))
        }
    }

    /// A multiproof cut for the fields alone does not reach the validators and accounts the block
    /// needs.
    func testWitnessMissingNodesIsRejected() throws {
        var fixture = try ExecutionTestChain()
        try fixture.advance()
        let (block, preState) = fixture.blocks[0]
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        let narrow = StateWitness.cut(from: preState, accounts: [], programs: [])
        let witness = StateWitness(entries: traced.witness.entries, multiproof: narrow.multiproof)
        XCTAssertLessThan(narrow.multiproof.nodeCount, traced.witness.multiproof.nodeCount)
        XCTAssertThrowsError(try StatelessReexecution.verify(
            block, preStateRoot: traced.claim.preStateRoot, witness: witness, preset: preState.preset)
        ) { error in
            switch error as? StatelessVerificationError {
            case .witness(.entries(.notCovered))?, .witnessIncomplete?: break
            default: XCTFail("\(error)")
            }
        }
    }

    func testAlteredEntryIsRejected() throws {
        var fixture = try ExecutionTestChain()
        try fixture.advance()
        let (block, preState) = fixture.blocks[0]
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        // Re-encode the entries with one account's balance raised: the witness claims more money.
        var bytes = traced.witness.encoded
        let sender = block.message.body.transactions[0].message.sender
        let account = try XCTUnwrap(preState.accounts[sender])
        let original = sender.hash.bytes + Account(balance: account.balance, nonce: account.nonce).encoded
        let richer = sender.hash.bytes + Account(balance: Stake(account.balance.rawValue + 1), nonce: account.nonce).encoded
        let range = try XCTUnwrap(bytes.firstRange(of: original))
        bytes.replaceSubrange(range, with: richer)
        let witness = try StateWitness(decoding: bytes)
        XCTAssertThrowsError(try StatelessReexecution.verify(
            block, preStateRoot: traced.claim.preStateRoot, witness: witness, preset: preState.preset)
        ) { error in
            guard case .witness(.entries(.entryMismatch(let key)))? = error as? StatelessVerificationError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(key, ChainState.StateKey.account(sender))
        }
    }

    /// A witness built in memory (never encoded) whose entries carry no "touched" marks must be
    /// checked entry by entry all the same.
    func testAlteredEntryOfAnInMemoryWitnessIsRejected() throws {
        var fixture = try ExecutionTestChain()
        try fixture.advance()
        let (block, preState) = fixture.blocks[0]
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        var entries = traced.witness.entries
        entries.validators[1].effectiveStake = Stake(entries.validators[1].effectiveStake.rawValue + 1)
        _ = entries.hashTreeRoot()  // forgets what was written
        let witness = StateWitness(entries: entries, multiproof: traced.witness.multiproof)
        XCTAssertThrowsError(try StatelessReexecution.verify(
            block, preStateRoot: traced.claim.preStateRoot, witness: witness, preset: preState.preset)
        ) { error in
            guard case .witness(.entries(.entryMismatch(let key)))? = error as? StatelessVerificationError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(key, ChainState.StateKey.validator(1))
        }
    }

    func testAlteredMultiproofNodeIsRejected() throws {
        var fixture = try ExecutionTestChain()
        try fixture.advance()
        let (block, preState) = fixture.blocks[0]
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        var proof = traced.witness.multiproof.encoded
        // The last node is a leaf or a pruned branch; its last byte is part of a hash.
        proof[proof.count - 1] ^= 0x01
        let witness = StateWitness(entries: traced.witness.entries, multiproof: try MerkleWitness(decoding: proof))
        XCTAssertThrowsError(try StatelessReexecution.verify(
            block, preStateRoot: traced.claim.preStateRoot, witness: witness, preset: preState.preset)
        ) { error in
            guard case .witness(.multiproof(.rootMismatch))? = error as? StatelessVerificationError else {
                return XCTFail("\(error)")
            }
        }
    }

    func testWitnessForAnotherPresetIsRejected() throws {
        var fixture = try ExecutionTestChain()
        try fixture.advance()
        let (block, preState) = fixture.blocks[0]
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        var preset = preState.preset
        preset.maxStepsPerCall += 1
        XCTAssertThrowsError(try StatelessReexecution.verify(
            block, preStateRoot: traced.claim.preStateRoot, witness: traced.witness, preset: preset)
        ) { error in
            guard case .witness(.presetMismatch)? = error as? StatelessVerificationError else { return XCTFail("\(error)") }
        }
    }

    /// A registry proof opens against the post-state root and carries every validator and the
    /// finality checkpoints; a tampered validator does not open.
    func testRegistryProofOpensAndRejectsTampering() throws {
        var fixture = try ExecutionTestChain()
        try fixture.advance()
        var post = fixture.chain.state
        let root = post.hashTreeRoot()
        let registry = StateWitness.registry(of: post)
        let opened = try StateWitness(decoding: registry.encoded).open(root: root, preset: post.preset)
        XCTAssertEqual(opened.validators.elements, post.validators.elements)
        XCTAssertEqual(opened.finalizedCheckpoint, post.finalizedCheckpoint)
        XCTAssertEqual(opened.accounts.count, 0)

        var bytes = registry.encoded
        let key = post.validators[1].publicKey.bytes
        let range = try XCTUnwrap(bytes.firstRange(of: key))
        let other = post.validators[2].publicKey.bytes
        bytes.replaceSubrange(range, with: other)
        XCTAssertThrowsError(try StateWitness(decoding: bytes).open(root: root, preset: post.preset)) { error in
            guard case .entries(.entryMismatch(let mismatched))? = error as? StateWitnessError else { return XCTFail("\(error)") }
            XCTAssertEqual(mismatched, ChainState.StateKey.validator(1))
        }
    }
}
