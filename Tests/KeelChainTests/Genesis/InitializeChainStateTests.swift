import KeelChain
import KeelCrypto
import KeelTestSupport
import KeelVM
import XCTest

/// `ChainState.genesis` and `GenesisConfig.genesisRoot`: what the first state holds, which
/// configs are refused, and that every config field is bound into the genesis root.
final class InitializeChainStateTests: XCTestCase {
    private static let unit: UInt64 = 1_000_000_000

    func testGenesisValidatorsAreActiveWithTheirStake() throws {
        let programAddress = Address(RuleFixture.root(1))
        let code = try RuleFixture.program(".storage 3\n.inputs 1\nhalt")
        let config = RuleFixture.config(programs: [programAddress: code])
        var state = try ChainState.genesis(config)
        XCTAssertEqual(state.slot, 0)
        XCTAssertEqual(state.genesisRoot, config.genesisRoot)
        XCTAssertEqual(state.validators.count, 8)
        for (index, validator) in state.validators.enumerated() {
            XCTAssertEqual(validator.publicKey, config.validators[index].publicKey)
            XCTAssertEqual(validator.withdrawalAddress, RuleFixture.address(UInt64(index)))
            XCTAssertEqual(validator.balance, state.preset.maxEffectiveStake)
            XCTAssertEqual(validator.effectiveStake, state.preset.maxEffectiveStake)
            XCTAssertEqual(validator.activationEligibilityEpoch, 0)
            XCTAssertEqual(validator.activationEpoch, 0)
            XCTAssertEqual(validator.exitEpoch, Constants.farFutureEpoch)
            XCTAssertEqual(validator.withdrawableEpoch, Constants.farFutureEpoch)
            XCTAssertFalse(validator.slashed)
            XCTAssertEqual(validator.randaoCommitment, config.validators[index].randaoCommitment)
        }
        XCTAssertEqual(state.getActiveValidatorIndices(0), (0..<UInt64(8)).map(ValidatorIndex.init))
        XCTAssertEqual(state.accounts.count, 8)
        XCTAssertEqual(state.accounts[RuleFixture.address(5)], Account(balance: RuleFixture.accountBalance, nonce: 0))
        XCTAssertEqual(state.programs[programAddress], ProgramAccount(code: code, storage: [0, 0, 0]))
        XCTAssertEqual(state.latestBlockHeader.bodyRoot, BlockBody(randaoReveal: .zero).hashTreeRoot)
        XCTAssertEqual(state.latestBlockHeader.stateRoot, .zero)
        XCTAssertEqual(state.finalizedCheckpoint, Checkpoint(epoch: 0, root: .zero))
        XCTAssertTrue(state.randaoMixes.allSatisfy { $0 == config.genesisRoot })
        XCTAssertTrue(state.slashings.allSatisfy { $0 == .zero })
        // The genesis block root commits to the genesis state root.
        var header = state.latestBlockHeader
        header.stateRoot = state.hashTreeRoot()
        XCTAssertEqual(state.genesisBlockRoot(), header.hashTreeRoot)
    }

    func testStakeBelowTheMaximumIsNotActiveAndEffectiveStakeRoundsDown() throws {
        var config = RuleFixture.config()
        config.validators[1].stake = Stake(31 * Self.unit + Self.unit / 2)
        config.validators[2].stake = Stake(40 * Self.unit)
        let state = try ChainState.genesis(config)
        XCTAssertEqual(state.validators[1].effectiveStake.rawValue, 31 * Self.unit)
        XCTAssertEqual(state.validators[1].balance.rawValue, 31 * Self.unit + Self.unit / 2)
        XCTAssertEqual(state.validators[1].activationEpoch, Constants.farFutureEpoch)
        XCTAssertEqual(state.validators[1].activationEligibilityEpoch, Constants.farFutureEpoch)
        XCTAssertEqual(state.validators[2].effectiveStake.rawValue, 32 * Self.unit, "capped")
        XCTAssertEqual(state.validators[2].balance.rawValue, 40 * Self.unit)
        XCTAssertEqual(state.validators[2].activationEpoch, 0)
        XCTAssertFalse(state.getActiveValidatorIndices(0).contains(1))
    }

    func testDuplicateValidatorKeysAreRejected() {
        var config = RuleFixture.config()
        config.validators.append(config.validators[3])
        config.validators[8].withdrawalAddress = RuleFixture.address(60)
        XCTAssertThrowsError(try ChainState.genesis(config)) { error in
            XCTAssertEqual(error as? GenesisError, .duplicateValidatorKey(config.validators[3].publicKey))
        }
    }

    func testAnInvalidProgramIsRejected() throws {
        let address = Address(RuleFixture.root(1))
        var code = try RuleFixture.program(RuleFixture.counterSource)
        code.removeLast()
        let reason: String
        do {
            _ = try Program(decoding: code)
            return XCTFail("the VM accepts a truncated program")
        } catch {
            reason = error.description
        }
        XCTAssertThrowsError(try ChainState.genesis(RuleFixture.config(programs: [address: code]))) { error in
            XCTAssertEqual(error as? GenesisError, .invalidProgram(address, reason))
        }
    }

    func testAConfigWithoutAFullStakeValidatorIsRejected() {
        var config = RuleFixture.config(validatorCount: 2)
        for index in config.validators.indices { config.validators[index].stake = Stake(31 * Self.unit) }
        XCTAssertThrowsError(try ChainState.genesis(config)) { error in
            XCTAssertEqual(error as? GenesisError, .noActiveValidators)
        }
        config.validators = []
        XCTAssertThrowsError(try ChainState.genesis(config)) { error in
            XCTAssertEqual(error as? GenesisError, .noActiveValidators)
        }
    }

    func testTheSameConfigGivesTheSameStateRoot() throws {
        var first = try ChainState.genesis(RuleFixture.config())
        var second = try ChainState.genesis(RuleFixture.config())
        XCTAssertEqual(first.hashTreeRoot(), second.hashTreeRoot())
        XCTAssertEqual(first.genesisBlockRoot(), second.genesisBlockRoot())
    }

    // MARK: Genesis root

    /// `Preset.fields` is the one list of preset fields: every stored property, in declaration
    /// order, under its snake_case name, each key path writing exactly the field it names.
    func testPresetFieldsListEveryStoredFieldOnceUnderItsName() {
        let stored = Mirror(reflecting: Preset.devnet).children.compactMap(\.label)
        XCTAssertEqual(Preset.fields.map(\.name), stored.map(Self.snakeCase), "a new preset field must be added to Preset.fields")
        for (field, label) in zip(Preset.fields, stored) {
            var preset = Preset.devnet
            preset[keyPath: field.keyPath] &+= 1
            let changed = zip(Mirror(reflecting: preset).children, Mirror(reflecting: Preset.devnet).children)
                .filter { "\($0.value)" != "\($1.value)" }.compactMap(\.0.label)
            XCTAssertEqual(changed, [label], field.name)
        }
    }

    private static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            result += character.isUppercase ? "_" + character.lowercased() : String(character)
        }
    }

    func testTheGenesisRootChangesWithEveryConfigField() throws {
        let code = try RuleFixture.program(RuleFixture.counterSource)
        let base = RuleFixture.config(validatorCount: 4, programs: [Address(RuleFixture.root(1)): code])
        var edits: [(String, (inout GenesisConfig) -> Void)] = [
            ("genesisTimeMs", { $0.genesisTimeMs += 1 }),
            ("validator added", { $0.validators.append($0.validators[0]) }),
            ("validator removed", { $0.validators.removeLast() }),
            ("validators reordered", { $0.validators.swapAt(0, 1) }),
            ("validator.publicKey", { $0.validators[1].publicKey = RuleFixture.secretKey(50).publicKey }),
            ("validator.withdrawalAddress", { $0.validators[1].withdrawalAddress = RuleFixture.address(50) }),
            ("validator.stake", { $0.validators[1].stake = Stake($0.validators[1].stake.rawValue + 1) }),
            ("validator.randaoCommitment", { $0.validators[1].randaoCommitment = RuleFixture.root(9) }),
            ("account added", { $0.accounts[RuleFixture.address(50)] = 0 }),
            ("account removed", { $0.accounts[RuleFixture.address(2)] = nil }),
            ("account balance", { $0.accounts[RuleFixture.address(2)] = 1 }),
            ("account moved", {
                $0.accounts[RuleFixture.address(50)] = $0.accounts[RuleFixture.address(2)]
                $0.accounts[RuleFixture.address(2)] = nil
            }),
            ("program added", { $0.programs[Address(RuleFixture.root(2))] = code }),
            ("program removed", { $0.programs = [:] }),
            ("program code", { $0.programs[Address(RuleFixture.root(1))]!.append(0) }),
            ("program moved", {
                $0.programs[Address(RuleFixture.root(2))] = code
                $0.programs[Address(RuleFixture.root(1))] = nil
            }),
        ]
        for field in Preset.fields {
            edits.append(("preset.\(field.name)", { $0.preset[keyPath: field.keyPath] += 1 }))
        }
        var roots: [Root: String] = [base.genesisRoot: "base"]
        for (name, edit) in edits {
            var config = base
            edit(&config)
            let root = config.genesisRoot
            XCTAssertNil(roots[root], "\(name) gives the same root as \(roots[root] ?? "")")
            roots[root] = name
        }
        XCTAssertEqual(base.genesisRoot, RuleFixture.config(validatorCount: 4, programs: [Address(RuleFixture.root(1)): code]).genesisRoot)
    }

    func testSignaturesAreBoundToTheGenesisRoot() throws {
        // The same block signed for another chain does not verify here.
        var other = RuleFixture.config()
        other.preset.proposerRewardQuotient += 1
        let otherChain = try ChainState.genesis(other)
        let state = try RuleFixture.genesis()
        XCTAssertNotEqual(otherChain.genesisRoot, state.genesisRoot)
        let block = try RuleFixture.makeBlock(on: state, slot: 1).message
        XCTAssertEqual(RuleFixture.rejection(RuleFixture.sign(block, otherChain), on: state), .blockSignatureInvalid)
    }
}
