@testable import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// The incremental state root (`ChainState+StateRoot.swift`): it equals the root of a state built
/// afresh from the same contents after any sequence of writes, every field is part of it, and
/// account proofs verify against it.
final class ChainStateStateRootTests: XCTestCase {
    /// A state built from scratch with the same contents as `state`: every entry is new to its
    /// tree, so its root owes nothing to the incremental bookkeeping.
    private func rebuilt(_ state: ChainState) -> ChainState {
        var fresh = ChainState(
            preset: state.preset, genesisTimeMs: state.genesisTimeMs, genesisRoot: state.genesisRoot,
            validators: Array(state.validators), accounts: state.accounts.storage, programs: state.programs.storage,
            latestBlockHeader: state.latestBlockHeader)
        fresh.slot = state.slot
        fresh.blockRoots = state.blockRoots
        fresh.stateRoots = state.stateRoots
        fresh.randaoMixes = state.randaoMixes
        fresh.slashings = state.slashings
        fresh.previousEpochAttestations = state.previousEpochAttestations
        fresh.currentEpochAttestations = state.currentEpochAttestations
        fresh.justificationBits = state.justificationBits
        fresh.previousJustifiedCheckpoint = state.previousJustifiedCheckpoint
        fresh.currentJustifiedCheckpoint = state.currentJustifiedCheckpoint
        fresh.finalizedCheckpoint = state.finalizedCheckpoint
        return fresh
    }

    private func base() throws -> ChainState {
        let code = try RuleFixture.program(RuleFixture.counterSource)
        var state = try RuleFixture.genesis(programs: [Address(RuleFixture.root(1)): code, Address(RuleFixture.root(2)): code])
        _ = state.hashTreeRoot()
        return state
    }

    private func pending(_ generator: inout SplitMix64) -> PendingAttestation {
        PendingAttestation(
            validatorIndex: ValidatorIndex(generator.next() % 16),
            data: AttestationData(
                slot: Slot(generator.next() % 64), beaconBlockRoot: RuleFixture.root(generator.next()),
                source: Checkpoint(epoch: Epoch(generator.next() % 4), root: RuleFixture.root(generator.next())),
                target: Checkpoint(epoch: Epoch(generator.next() % 8), root: RuleFixture.root(generator.next()))),
            inclusionDelay: Slot(1 + generator.next() % 8), proposerIndex: ValidatorIndex(generator.next() % 16))
    }

    /// One random write to `state`, drawn from every kind of field and entry.
    private func mutate(_ state: inout ChainState, _ generator: inout SplitMix64, addresses: [Address]) {
        let value = generator.next()
        switch generator.next() % 14 {
        case 0:
            let index = Int(generator.next() % UInt64(state.validators.count))
            switch value % 5 {
            case 0: state.validators[index].balance = Stake(value >> 8)
            case 1: state.validators[index].effectiveStake = Stake(value >> 8)
            case 2: state.validators[index].slashed.toggle()
            case 3: state.validators[index].exitEpoch = Epoch(value >> 8)
            default: state.validators[index].randaoCommitment = RuleFixture.root(value)
            }
        case 1:
            let key = 200 + value % 50
            state.validators.append(Validator(
                publicKey: RuleFixture.secretKey(key).publicKey, withdrawalAddress: RuleFixture.address(key),
                balance: Stake(value >> 4), effectiveStake: 0, activationEligibilityEpoch: Constants.farFutureEpoch,
                activationEpoch: Constants.farFutureEpoch, randaoCommitment: RuleFixture.root(value)))
        case 2, 3:
            let address = addresses[Int(value % UInt64(addresses.count))]
            state.accounts[address] = Account(balance: Stake(value >> 20), nonce: value % 7)
        case 4:
            let address = addresses[Int(value % UInt64(addresses.count))]
            state.accounts[address] = nil
        case 5:
            let address = Address(RuleFixture.root(1 + value % 6))
            if state.programs[address] != nil, value % 3 == 0 {
                state.programs[address] = nil
            } else if state.programs[address] != nil {
                state.programs[address]!.storage = [UInt32(value % 1000)]
            } else {
                state.programs[address] = ProgramAccount(code: [UInt8(value % 256)], storage: [])
            }
        case 6: state.slot = Slot(value % 1_000)
        case 7: state.blockRoots[Int(value % 256)] = RuleFixture.root(value)
        case 8: state.stateRoots[Int(value % 256)] = RuleFixture.root(value)
        case 9: state.randaoMixes[Int(value % 64)] = RuleFixture.root(value)
        case 10: state.slashings[Int(value % 64)] = Stake(value)
        case 11:
            if value % 3 == 0, !state.currentEpochAttestations.isEmpty {
                state.currentEpochAttestations.removeLast()
            } else if value % 3 == 1 {
                state.previousEpochAttestations.append(pending(&generator))
            } else {
                state.currentEpochAttestations.append(pending(&generator))
            }
        case 12:
            state.justificationBits[Int(value % 4)].toggle()
            state.finalizedCheckpoint = Checkpoint(epoch: Epoch(value % 9), root: RuleFixture.root(value))
        default:
            state.latestBlockHeader.bodyRoot = RuleFixture.root(value)
            state.currentJustifiedCheckpoint.epoch = Epoch(value % 5)
        }
    }

    func testTheIncrementalRootEqualsAFreshRootAfterRandomWrites() throws {
        var generator = SplitMix64(seed: 0x5eed_4007)
        var state = try base()
        let addresses = (0..<UInt64(12)).map { RuleFixture.address($0) } + (0..<UInt64(6)).map { Address(RuleFixture.root(900 + $0)) }
        for round in 0..<40 {
            for _ in 0..<(1 + generator.next() % 8) { mutate(&state, &generator, addresses: addresses) }
            var fresh = rebuilt(state)
            XCTAssertEqual(state.hashTreeRoot(), fresh.hashTreeRoot(), "round \(round)")
        }
        XCTAssertGreaterThan(state.validators.count, 8, "the walk appended validators")
    }

    func testARootComputedOnceEqualsRootsComputedAlongTheWay() throws {
        var generator = SplitMix64(seed: 77)
        var stepwise = try base()
        var atOnce = stepwise
        let addresses = (0..<UInt64(8)).map { RuleFixture.address($0) }
        for _ in 0..<120 {
            let seed = generator.next()
            var first = SplitMix64(seed: seed)
            var second = SplitMix64(seed: seed)
            mutate(&stepwise, &first, addresses: addresses)
            mutate(&atOnce, &second, addresses: addresses)
            _ = stepwise.hashTreeRoot()
        }
        XCTAssertEqual(stepwise.hashTreeRoot(), atOnce.hashTreeRoot())
    }

    func testRemovingAnEntryRestoresThePreviousRoot() throws {
        var state = try base()
        let before = state.hashTreeRoot()
        let stranger = Address(RuleFixture.root(77))
        state.accounts[stranger] = Account(balance: 0)
        let withEmptyAccount = state.hashTreeRoot()
        XCTAssertNotEqual(withEmptyAccount, before, "an empty account is still an entry")
        state.accounts[stranger] = nil
        XCTAssertEqual(state.hashTreeRoot(), before)
        state.programs[stranger] = ProgramAccount(code: [], storage: [])
        XCTAssertNotEqual(state.hashTreeRoot(), before)
        state.programs[stranger] = nil
        XCTAssertEqual(state.hashTreeRoot(), before)
    }

    func testChangingAnySingleFieldChangesTheRoot() throws {
        let state = try base()
        let program = Address(RuleFixture.root(1))
        let account = RuleFixture.address(3)
        let sample = PendingAttestation(
            validatorIndex: 1, data: AttestationData(slot: 1, beaconBlockRoot: .zero, source: state.currentJustifiedCheckpoint,
                                                     target: Checkpoint(epoch: 0, root: .zero)),
            inclusionDelay: 1, proposerIndex: 2)
        var withAttestations = state
        withAttestations.previousEpochAttestations = [sample]
        withAttestations.currentEpochAttestations = [sample]
        let edits: [(String, ChainState, (inout ChainState) -> Void)] = [
            ("genesisTimeMs", state, { $0.genesisTimeMs += 1 }),
            ("genesisRoot", state, { $0.genesisRoot = RuleFixture.root(9) }),
            ("slot", state, { $0.slot = 1 }),
            ("latestBlockHeader.slot", state, { $0.latestBlockHeader.slot = 1 }),
            ("latestBlockHeader.proposerIndex", state, { $0.latestBlockHeader.proposerIndex = 1 }),
            ("latestBlockHeader.parentRoot", state, { $0.latestBlockHeader.parentRoot = RuleFixture.root(9) }),
            ("latestBlockHeader.stateRoot", state, { $0.latestBlockHeader.stateRoot = RuleFixture.root(9) }),
            ("latestBlockHeader.bodyRoot", state, { $0.latestBlockHeader.bodyRoot = RuleFixture.root(9) }),
            ("blockRoots", state, { $0.blockRoots[255] = RuleFixture.root(9) }),
            ("stateRoots", state, { $0.stateRoots[17] = RuleFixture.root(9) }),
            ("randaoMixes", state, { $0.randaoMixes[63] = RuleFixture.root(9) }),
            ("slashings", state, { $0.slashings[5] = 1 }),
            ("previousEpochAttestations", state, { $0.previousEpochAttestations.append(sample) }),
            ("currentEpochAttestations", state, { $0.currentEpochAttestations.append(sample) }),
            ("previous attestation delay", withAttestations, { $0.previousEpochAttestations[0].inclusionDelay = 2 }),
            ("previous attestation proposer", withAttestations, { $0.previousEpochAttestations[0].proposerIndex = 3 }),
            ("current attestation validator", withAttestations, { $0.currentEpochAttestations[0].validatorIndex = 3 }),
            ("current attestation head", withAttestations, { $0.currentEpochAttestations[0].data.beaconBlockRoot = RuleFixture.root(9) }),
            ("justificationBits[0]", state, { $0.justificationBits[0] = true }),
            ("justificationBits[3]", state, { $0.justificationBits[3] = true }),
            ("previousJustifiedCheckpoint.epoch", state, { $0.previousJustifiedCheckpoint.epoch = 1 }),
            ("currentJustifiedCheckpoint.root", state, { $0.currentJustifiedCheckpoint.root = RuleFixture.root(9) }),
            ("finalizedCheckpoint.epoch", state, { $0.finalizedCheckpoint.epoch = 1 }),
            ("finalizedCheckpoint.root", state, { $0.finalizedCheckpoint.root = RuleFixture.root(9) }),
            ("validator.publicKey", state, { $0.validators[2].publicKey = RuleFixture.secretKey(50).publicKey }),
            ("validator.withdrawalAddress", state, { $0.validators[2].withdrawalAddress = RuleFixture.address(50) }),
            ("validator.balance", state, { $0.validators[2].balance = Stake($0.validators[2].balance.rawValue + 1) }),
            ("validator.effectiveStake", state, { $0.validators[2].effectiveStake = 1 }),
            ("validator.slashed", state, { $0.validators[2].slashed = true }),
            ("validator.activationEligibilityEpoch", state, { $0.validators[2].activationEligibilityEpoch = 1 }),
            ("validator.activationEpoch", state, { $0.validators[2].activationEpoch = 1 }),
            ("validator.exitEpoch", state, { $0.validators[2].exitEpoch = 1 }),
            ("validator.withdrawableEpoch", state, { $0.validators[2].withdrawableEpoch = 1 }),
            ("validator.randaoCommitment", state, { $0.validators[2].randaoCommitment = RuleFixture.root(9) }),
            ("validators.append", state, { $0.validators.append($0.validators[0]) }),
            ("account.balance", state, { $0.accounts[account]!.balance = 1 }),
            ("account.nonce", state, { $0.accounts[account]!.nonce = 1 }),
            ("account added", state, { $0.accounts[Address(RuleFixture.root(9))] = Account(balance: 0) }),
            ("account removed", state, { $0.accounts[account] = nil }),
            ("program.code", state, { $0.programs[program]!.code.append(0) }),
            ("program.storage", state, { $0.programs[program]!.storage = [1] }),
            ("program added", state, { $0.programs[Address(RuleFixture.root(9))] = ProgramAccount(code: [], storage: []) }),
            ("program removed", state, { $0.programs[program] = nil }),
        ]
        for (name, original, edit) in edits {
            var before = original
            let root = before.hashTreeRoot()
            var edited = before
            edit(&edited)
            XCTAssertNotEqual(edited.hashTreeRoot(), root, name)
            XCTAssertEqual(edited.hashTreeRoot(), rebuilt(edited).hashTreeRootCopy(), name)
        }
    }

    func testAnEntryMovedBetweenKindsChangesTheRoot() throws {
        // The same 32 bytes as an account and as a program address are different leaves.
        var state = try base()
        let address = Address(RuleFixture.root(1))
        XCTAssertNotNil(state.programs[address])
        let before = state.hashTreeRoot()
        state.accounts[address] = Account(balance: 0)
        XCTAssertNotEqual(state.hashTreeRoot(), before)
        XCTAssertNotEqual(ChainState.StateKey.account(address), ChainState.StateKey.program(address))
        XCTAssertNotEqual(ChainState.StateKey.validator(0), ChainState.StateKey.validator(1))
    }

    func testAccountProofsVerifyAgainstTheRoot() throws {
        var state = try base()
        let present = RuleFixture.address(4)
        let absent = Address(RuleFixture.root(55))
        state.accounts[present]!.balance = 12_345
        let root = state.hashTreeRoot()
        let account = state.accounts[present]!
        let key = ChainState.StateKey.account(present)

        let inclusion = state.accountProof(present)
        XCTAssertTrue(inclusion.verify(key: key, valueHash: account.hashTreeRoot, root: root))
        XCTAssertFalse(inclusion.verify(key: key, valueHash: nil, root: root), "a present account is not absent")
        var tampered = account
        tampered.balance = Stake(account.balance.rawValue + 1)
        XCTAssertFalse(inclusion.verify(key: key, valueHash: tampered.hashTreeRoot, root: root), "a tampered balance")
        var otherNonce = account
        otherNonce.nonce += 1
        XCTAssertFalse(inclusion.verify(key: key, valueHash: otherNonce.hashTreeRoot, root: root))
        XCTAssertFalse(inclusion.verify(key: ChainState.StateKey.account(absent), valueHash: account.hashTreeRoot, root: root))

        let exclusion = state.accountProof(absent)
        let absentKey = ChainState.StateKey.account(absent)
        XCTAssertTrue(exclusion.verify(key: absentKey, valueHash: nil, root: root))
        XCTAssertFalse(exclusion.verify(key: absentKey, valueHash: Account(balance: 0).hashTreeRoot, root: root))

        // After a write, old proofs fail against the new root and new proofs verify.
        state.accounts[present]!.balance = 1
        let newRoot = state.hashTreeRoot()
        XCTAssertFalse(inclusion.verify(key: key, valueHash: account.hashTreeRoot, root: newRoot))
        XCTAssertTrue(state.accountProof(present).verify(key: key, valueHash: state.accounts[present]!.hashTreeRoot, root: newRoot))
        // The proof reflects writes not yet folded into a root.
        state.accounts[absent] = Account(balance: 9)
        let proof = state.accountProof(absent)
        XCTAssertTrue(proof.verify(key: absentKey, valueHash: Account(balance: 9).hashTreeRoot, root: state.hashTreeRoot()))
    }
}

extension ChainState {
    /// The root of a copy (for a state held in a `let`).
    fileprivate func hashTreeRootCopy() -> Root {
        var copy = self
        return copy.hashTreeRoot()
    }
}
