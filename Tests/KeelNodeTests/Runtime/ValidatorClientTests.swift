import Foundation
import KeelChain
import KeelConsensus
import KeelCrypto
import XCTest

@testable import KeelNode

/// `ValidatorClient`: every signature passes slashing protection first, unless the core's
/// byzantine mode asks to bypass it.
final class RuntimeValidatorClientTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-validator-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func makeClient() throws -> (ValidatorClient, ChainState) {
        let config = DevnetGenesis.config(validatorCount: 4, preset: .devnet, genesisTimeMs: 0, randaoChainLength: 16)
        let state = try ChainState.genesis(config)
        let protection = try SlashingProtectionDatabase.open(
            path: directory.appendingPathComponent("protection.sqlite").path, genesisRoot: config.genesisRoot)
        let client = ValidatorClient(
            indices: (0..<4).map { ValidatorIndex(UInt64($0)) }, randaoChainLength: 16, protection: protection)
        return (client, state)
    }

    /// Two blocks of slot 1 by its proposer that differ: the first is signed, the second is not.
    private func twoBlocks(_ client: inout ValidatorClient, state: ChainState) throws -> (Block, Block) {
        var advanced = state
        try advanced.processSlots(Slot(1))
        let proposer = try advanced.getBeaconProposerIndex()
        let reveal = try XCTUnwrap(
            client.randaoReveal(validator: proposer, commitment: advanced.validators[Int(proposer.rawValue)].randaoCommitment))
        let first = try state.produceBlock(slot: Slot(1), randaoReveal: reveal, operations: BlockOperations()).block
        var second = first
        second.stateRoot = SHA256.hash(first.stateRoot)
        XCTAssertNotEqual(first, second)
        return (first, second)
    }

    private static func genesisVote(_ state: ChainState) -> AttestationData {
        var copy = state
        let root = copy.genesisBlockRoot()
        return AttestationData(
            slot: Slot(0), beaconBlockRoot: root, source: state.currentJustifiedCheckpoint,
            target: Checkpoint(epoch: Epoch(0), root: root))
    }

    func testProtectionRefusesASecondBlockForTheSameSlot() throws {
        var (client, state) = try makeClient()
        let (first, second) = try twoBlocks(&client, state: state)
        let signed = try XCTUnwrap(client.signBlock(first, parentState: state, bypassProtection: false))
        XCTAssertEqual(signed.message, first)
        XCTAssertNil(client.signBlock(second, parentState: state, bypassProtection: false), "a double proposal is refused")
        XCTAssertNotNil(client.signBlock(first, parentState: state, bypassProtection: false), "re-signing the same block is allowed")
    }

    func testProtectionRefusesADoubleVote() throws {
        let (client, state) = try makeClient()
        let validator = ValidatorIndex(1)
        let data = Self.genesisVote(state)
        XCTAssertNotNil(client.signAttestation(data, validator: validator, state: state, bypassProtection: false))
        var conflicting = data
        conflicting.source.root = SHA256.hash(data.source.root)
        XCTAssertNil(client.signAttestation(conflicting, validator: validator, state: state, bypassProtection: false), "a double vote is refused")
    }

    func testBypassingProtectionSignsBoth() throws {
        var (client, state) = try makeClient()
        let (first, second) = try twoBlocks(&client, state: state)
        XCTAssertNotNil(client.signBlock(first, parentState: state, bypassProtection: true))
        XCTAssertNotNil(client.signBlock(second, parentState: state, bypassProtection: true))
    }

    func testNoSignatureForAValidatorNotRunHere() throws {
        let (client, state) = try makeClient()
        let data = Self.genesisVote(state)
        XCTAssertNil(client.signAttestation(data, validator: ValidatorIndex(9), state: state, bypassProtection: false))
    }
}
