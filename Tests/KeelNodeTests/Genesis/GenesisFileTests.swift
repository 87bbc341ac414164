import Foundation
import KeelChain
import KeelCrypto
@testable import KeelFormats
@testable import KeelNode
import KeelTestSupport
import KeelVM
import XCTest

/// `GenesisFile`: JSON that round-trips to `GenesisConfig` exactly.
final class GenesisFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-genesis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func testFileToConfigToFileRoundTrip() throws {
        let file = try GenesisFixtures.smallDevnet()
        try file.validate()
        let rebuilt = GenesisFile(
            config: file.config, slotMs: file.slotMs, randaoChainLength: file.randaoChainLength,
            programNames: file.programNames)
        XCTAssertEqual(rebuilt, file)
        XCTAssertEqual(rebuilt.encodedJSON(), file.encodedJSON())
        XCTAssertEqual(try GenesisFile.decode(json: file.encodedJSON()), file)
    }

    func testWriteThenLoadGivesTheSameFileAndConfig() throws {
        let file = try GenesisFixtures.smallDevnet()
        let destination = path("genesis.json")
        try Data("stale".utf8).write(to: URL(fileURLWithPath: destination))
        try file.write(path: destination)
        let loaded = try GenesisFile.load(path: destination)
        XCTAssertEqual(loaded, file)
        XCTAssertEqual(loaded.config, file.config)
        XCTAssertEqual(loaded.genesisRoot, file.config.genesisRoot)
        XCTAssertEqual(loaded.slotMs, 1000)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: destination)), file.encodedJSON())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["genesis.json"],
                       "the atomic write leaves no temporary file behind")
    }

    /// A config unlike any devnet one (every preset field changed, odd stakes, foreign keys,
    /// extreme integers, unnamed programs) survives config -> JSON -> config.
    func testArbitraryConfigRoundTripsExactly() throws {
        var preset = Preset.devnet
        for (offset, field) in Preset.fields.enumerated() where field.keyPath != \.effectiveStakeIncrement.rawValue {
            let value = preset[keyPath: field.keyPath]
            preset[keyPath: field.keyPath] = min(value + UInt64(offset) + 1, PresetJSON.upperBounds[field.keyPath] ?? .max)
        }
        preset.maxEffectiveStake = Stake(preset.effectiveStakeIncrement.rawValue * 40)
        let keys = (0..<3).map { SecretKey(seed: SHA256.hash([UInt8]([$0, 7, 7]))).publicKey }
        let validators = keys.enumerated().map { index, key in
            GenesisValidator(
                publicKey: key, withdrawalAddress: Address(SHA256.hash([UInt8(index)])),
                stake: index == 0 ? Stake(UInt64.max) : Stake(UInt64(index) * 1_234_567),
                randaoCommitment: SHA256.hash([UInt8(index), 1]))
        }
        let program = try Assembler.assemble(try RepositoryPaths.programSource("fibonacci")).encoded()
        let config = GenesisConfig(
            preset: preset, genesisTimeMs: GenesisFile.genesisTimeMsMax, validators: validators,
            accounts: [Address(.zero): Stake(UInt64.max), Address(SHA256.hash([9])): Stake(0)],
            programs: [Address(SHA256.hash([1])): program, Address(SHA256.hash([2])): program])
        let file = GenesisFile(config: config, slotMs: 10, randaoChainLength: HashChain.lengthMax)
        let loaded = try GenesisFile.decode(json: file.encodedJSON())
        XCTAssertEqual(loaded.config, config)
        XCTAssertEqual(loaded.config.genesisRoot, config.genesisRoot)
        XCTAssertEqual(loaded.randaoChainLength, HashChain.lengthMax)
        XCTAssertEqual(loaded.programs.map(\.name), file.programs.map(\.name), "unnamed programs are named by address")
        XCTAssertEqual(loaded.programs.map(\.name), [Address(SHA256.hash([1])), Address(SHA256.hash([2]))].sorted().map(\.hash.hex))
    }

    /// Each preset field is written and read under its own name: changing only that field
    /// changes that JSON value and the genesis root, and survives the round trip.
    func testEveryPresetFieldRoundTripsUnderItsOwnName() throws {
        let base = try GenesisFixtures.smallDevnet(validatorCount: 1, randaoChainLength: 1)
        var seen = Set<String>()
        // Halving a stake field keeps the file valid: the validators' 32 units stay above the
        // maximum effective stake, which stays a multiple of the increment. An integer field
        // moves by one, down when it is at its upper bound.
        let stakes: Set<WritableKeyPath<Preset, UInt64>> = [
            \.maxEffectiveStake.rawValue, \.effectiveStakeIncrement.rawValue, \.ejectionBalance.rawValue,
            \.minDepositAmount.rawValue, \.feePerStep.rawValue,
        ]
        let bounds = PresetJSON.upperBounds
        let changes: [(String, (inout Preset) -> Void)] = Preset.fields.map { field in
            (field.name, { preset in
                let value = preset[keyPath: field.keyPath]
                if stakes.contains(field.keyPath) {
                    preset[keyPath: field.keyPath] = value / 2
                } else {
                    preset[keyPath: field.keyPath] = value < (bounds[field.keyPath] ?? UInt64.max) ? value + 1 : value - 1
                }
            })
        }
        for (key, change) in changes {
            var file = base
            change(&file.preset)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: file.encodedJSON()) as? [String: Any])
            let baseObject = try XCTUnwrap(JSONSerialization.jsonObject(with: base.encodedJSON()) as? [String: Any])
            let changed = (object["preset"] as! [String: Any]).filter { name, value in
                (baseObject["preset"] as! [String: Any])[name] as? UInt64 != value as? UInt64
            }
            XCTAssertEqual(Array(changed.keys), [key])
            XCTAssertNotEqual(file.genesisRoot, base.genesisRoot, key)
            XCTAssertEqual(try GenesisFile.decode(json: file.encodedJSON()).preset, file.preset, key)
            seen.insert(key)
        }
        XCTAssertEqual(seen.count, Preset.fields.count)
    }

    /// The preset's JSON object has exactly the fields of `Preset.fields`, under their names;
    /// the validation tables name only fields of that list.
    func testThePresetObjectHasEveryPresetField() throws {
        let file = try GenesisFixtures.smallDevnet(validatorCount: 1, randaoChainLength: 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: file.encodedJSON()) as? [String: Any])
        let preset = try XCTUnwrap(object["preset"] as? [String: Any])
        XCTAssertEqual(Set(preset.keys), Set(Preset.fields.map(\.name)))
        XCTAssertEqual(preset.count, Preset.fields.count)
        let paths = Set(Preset.fields.map(\.keyPath))
        XCTAssertTrue(PresetJSON.nonZero.isSubset(of: paths))
        XCTAssertTrue(Set(PresetJSON.upperBounds.keys).isSubset(of: paths))
    }

    func testJSONShapeIsSnakeCaseHexAndIntegers() throws {
        let file = try GenesisFixtures.smallDevnet()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: file.encodedJSON()) as? [String: Any])
        XCTAssertEqual(
            Set(object.keys),
            ["version", "genesis_time_ms", "slot_ms", "preset", "randao_chain_length", "validators", "accounts", "programs",
             "prover_key", "genesis_root"])
        XCTAssertEqual(object["version"] as? Int, 1)
        XCTAssertEqual(object["genesis_root"] as? String, file.genesisRoot.hex)
        let validator = try XCTUnwrap((object["validators"] as? [[String: Any]])?[2])
        XCTAssertEqual(validator["index"] as? Int, 2)
        XCTAssertEqual(validator["public_key"] as? String, DevnetKeys.secretKey(validatorIndex: 2).publicKey.hex)
        XCTAssertEqual(validator["stake"] as? UInt64, 32_000_000_000)
        let program = try XCTUnwrap((object["programs"] as? [[String: Any]])?[0])
        XCTAssertEqual(Set(program.keys), ["name", "address", "code", "code_hash"])
        let code = try XCTUnwrap(Hex.decode(try XCTUnwrap(program["code"] as? String)))
        XCTAssertEqual(program["code_hash"] as? String, try Program(decoding: code).hash.hex)
        let text = String(decoding: file.encodedJSON(), as: UTF8.self)
        XCTAssertTrue(text.hasSuffix("}\n"))
        XCTAssertLessThan(try XCTUnwrap(text.range(of: "\"accounts\"")).lowerBound,
                          try XCTUnwrap(text.range(of: "\"version\"")).lowerBound, "keys are sorted")
    }

    func testDecodeAcceptsPrefixedUppercaseHex() throws {
        var object = try GenesisFixtures.smallDevnetObject()
        object[validator: 1, "public_key"] = "0x" + (object[validator: 1, "public_key"] as! String).uppercased()
        object["genesis_root"] = "0X" + (object["genesis_root"] as! String).uppercased()
        XCTAssertEqual(try GenesisFile.decode(json: try GenesisFixtures.data(object)), try GenesisFixtures.smallDevnet())
    }

    func testWriteRefusesAnInvalidFileAndWritesNothing() throws {
        var file = try GenesisFixtures.smallDevnet()
        file.slotMs = 5
        let destination = path("invalid.json")
        XCTAssertThrowsError(try file.write(path: destination)) { error in
            let error = error as! GenesisFileError
            XCTAssertEqual(error.path, destination)
            XCTAssertEqual(error.field, "slot_ms")
            XCTAssertEqual(error.description, "\(destination): slot_ms: out of range: 10...3600000")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination))
    }

    func testLoadNamesTheFileItCannotRead() {
        let missing = path("missing.json")
        XCTAssertThrowsError(try GenesisFile.load(path: missing)) { error in
            let error = error as! GenesisFileError
            XCTAssertEqual(error.path, missing)
            XCTAssertEqual(error.reason, .cannotRead("No such file or directory"))
            XCTAssertEqual(error.description, "\(missing): cannot read: No such file or directory")
        }
    }

    func testWriteNamesTheFileItCannotWrite() throws {
        let destination = path("no/such/dir/genesis.json")
        XCTAssertThrowsError(try GenesisFixtures.smallDevnet().write(path: destination)) { error in
            let error = error as! GenesisFileError
            XCTAssertEqual(error.path, destination)
            XCTAssertEqual(error.reason, .cannotWrite("No such file or directory"))
        }
    }
}
