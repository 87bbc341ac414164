import Foundation
import KeelChain
import KeelCrypto
@testable import KeelNode
import KeelTestSupport
import XCTest

/// `GenesisFile.devnet` and the committed `Genesis/devnet.json`.
final class DevnetGenesisFileTests: XCTestCase {
    /// The arguments `Genesis/devnet.json` is generated with:
    /// `keel genesis --validators 4 --genesis-time-ms 0 -o Genesis/devnet.json`.
    private func regeneratedDevnet() throws -> GenesisFile {
        GenesisFile.devnet(
            validatorCount: 4, stake: Stake(32 * Preset.devnet.stakeUnit), slotMs: 1000, preset: .devnet, genesisTimeMs: 0,
            randaoChainLength: 65_536, programs: try GenesisFixtures.repositoryPrograms())
    }

    /// The committed file cannot go stale: regenerating it gives the same bytes. If this fails
    /// after an intended change, regenerate with the command above and commit the result.
    func testCommittedDevnetFileIsRegeneratedByteForByte() throws {
        let committed = try Data(contentsOf: URL(fileURLWithPath: GenesisFixtures.committedDevnetPath))
        XCTAssertEqual(
            String(decoding: try regeneratedDevnet().encodedJSON(), as: UTF8.self), String(decoding: committed, as: UTF8.self),
            "Genesis/devnet.json is stale: run `keel genesis --validators 4 --genesis-time-ms 0 -o Genesis/devnet.json`")
    }

    func testCommittedDevnetFileStartsTheChainItsRootNames() throws {
        let file = try GenesisFile.load(path: GenesisFixtures.committedDevnetPath)
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: GenesisFixtures.committedDevnetPath)))
                as? [String: Any])
        let statedRoot = try XCTUnwrap(object["genesis_root"] as? String)
        let programs = Dictionary(uniqueKeysWithValues: try GenesisFixtures.repositoryPrograms().map { ($0.address, $0.code) })
        let expected = DevnetGenesis.config(
            validatorCount: 4, preset: .devnet, genesisTimeMs: 0, randaoChainLength: 65_536, programs: programs)
        XCTAssertEqual(file.config, expected)
        XCTAssertEqual(statedRoot, expected.genesisRoot.hex)
        let state = try ChainState.genesis(file.config)
        XCTAssertEqual(state.genesisRoot.hex, statedRoot)
        XCTAssertEqual(state.genesisTimeMs, 0)
        XCTAssertEqual(state.validators.count, 4)
        XCTAssertEqual(state.programs.count, 5)
        for program in file.programs {
            XCTAssertEqual(state.programs[program.address]?.code, program.code, program.name)
        }
        XCTAssertEqual(file.slotMs, 1000)
        XCTAssertEqual(file.preset.slotsPerEpoch, 8)
        XCTAssertEqual(file.randaoChainLength, 65_536)
    }

    /// The concurrent commitments are exactly `DevnetGenesis.config`'s, for counts that split
    /// into several chunks and a ragged last chunk.
    func testDevnetMatchesDevnetGenesisConfig() throws {
        let programs = try GenesisFixtures.repositoryPrograms()
        var preset = Preset.devnet
        preset.slotsPerEpoch = 4
        for count in [1, 5, 37] {
            let file = GenesisFile.devnet(
                validatorCount: count, stake: Stake(40_000_000_000), slotMs: 250, preset: preset,
                genesisTimeMs: 123, randaoChainLength: 9, programs: programs)
            let expected = DevnetGenesis.config(
                validatorCount: count, preset: preset, genesisTimeMs: 123, stake: Stake(40_000_000_000),
                randaoChainLength: 9, programs: Dictionary(uniqueKeysWithValues: programs.map { ($0.address, $0.code) }))
            XCTAssertEqual(file.config, expected, "\(count) validators")
            XCTAssertEqual(file.programs, programs)
            XCTAssertEqual(file.slotMs, 250)
            try file.validate()
        }
    }

    func testProgressIsReportedInOrderUpToTheTotal() {
        final class Reports: @unchecked Sendable {
            let lock = NSLock()
            var values: [Int] = []
        }
        let reports = Reports()
        _ = GenesisFile.devnet(
            validatorCount: 300, stake: Preset.devnet.maxEffectiveStake, slotMs: 1000, preset: .devnet, genesisTimeMs: 0,
            randaoChainLength: 2, programs: []
        ) { done, total in
            XCTAssertEqual(total, 300)
            reports.lock.lock()
            reports.values.append(done)
            reports.lock.unlock()
        }
        XCTAssertEqual(reports.values.last, 300)
        XCTAssertEqual(reports.values, reports.values.sorted())
        XCTAssertGreaterThan(reports.values.count, 1)
    }
}
