import Foundation
import KeelChain
import KeelCrypto
@testable import KeelFormats
@testable import KeelNode
import KeelVM
import XCTest

/// Every way a genesis file is rejected, each with the field it names.
final class GenesisFileRejectionTests: XCTestCase {
    private let otherRoot = String(repeating: "ab", count: 32)

    func testTamperedGenesisRootIsRejected() throws {
        let computed = try GenesisFixtures.smallDevnet().genesisRoot
        try assertRejected(field: "genesis_root", reason: .genesisRootMismatch(computed: computed)) {
            $0["genesis_root"] = self.otherRoot
        }
    }

    func testChangingTheChainWithoutTheRootIsRejected() throws {
        var file = try GenesisFixtures.smallDevnet()
        file.validators[3].stake = Stake(33_000_000_000)
        file.accounts[Address(.zero)] = Stake(1)
        try assertRejected(field: "genesis_root", reason: .genesisRootMismatch(computed: file.genesisRoot)) {
            $0[validator: 3, "stake"] = 33_000_000_000
            var accounts = $0["accounts"] as! [String: Any]
            accounts[Hash32.zero.hex] = 1
            $0["accounts"] = accounts
        }
        try assertRejected(field: "genesis_root", reason: .genesisRootMismatch(computed: { () -> Hash32 in
            var changed = try! GenesisFixtures.smallDevnet()
            changed.genesisTimeMs += 1
            return changed.genesisRoot
        }())) { $0["genesis_time_ms"] = 1_700_000_000_001 }
    }

    func testBadHexIsRejectedWithItsField() throws {
        try assertRejected(field: "validators[1].public_key", reason: .notHex) {
            $0[validator: 1, "public_key"] = String(repeating: "zz", count: 32)
        }
        try assertRejected(field: "validators[1].public_key", reason: .notHex) {
            $0[validator: 1, "public_key"] = String(repeating: "a", count: 63)
        }
        try assertRejected(field: "validators[0].withdrawal_address", reason: .wrongByteCount(expected: 32, actual: 31)) {
            $0[validator: 0, "withdrawal_address"] = String(repeating: "ab", count: 31)
        }
        try assertRejected(field: "validators[2].randao_commitment", reason: .notHex) {
            $0[validator: 2, "randao_commitment"] = "0x" + String(repeating: "g", count: 64)
        }
        try assertRejected(field: "programs[1].address", reason: .wrongByteCount(expected: 32, actual: 0)) {
            $0[program: 1, "address"] = ""
        }
        try assertRejected(field: "programs[1].code", reason: .notHex) { $0[program: 1, "code"] = "4b4" }
        try assertRejected(field: "programs[0].code_hash", reason: .notHex) { $0[program: 0, "code_hash"] = "hash" }
        try assertRejected(field: "genesis_root", reason: .wrongByteCount(expected: 32, actual: 33)) {
            $0["genesis_root"] = self.otherRoot + "00"
        }
        let key = String(repeating: "q", count: 64)
        try assertRejected(field: "accounts[\(key)]", reason: .notHex) {
            var accounts = $0["accounts"] as! [String: Any]
            accounts[key] = 5
            $0["accounts"] = accounts
        }
    }

    func testInvalidPublicKeysAreRejected() throws {
        // BIP-340 vectors 5 (x not on the curve) and 14 (x not below the field size).
        for key in [
            "eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34",
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30",
            String(repeating: "00", count: 32),
        ] {
            try assertRejected(field: "validators[2].public_key", reason: .invalidPublicKey) {
                $0[validator: 2, "public_key"] = key
            }
        }
    }

    func testDuplicateValidatorKeyIsRejected() throws {
        try assertRejected(field: "validators[3].public_key", reason: .duplicateValidatorKey(firstIndex: 1)) {
            $0[validator: 3, "public_key"] = $0[validator: 1, "public_key"]
        }
    }

    func testValidatorIndexMustBeItsPosition() throws {
        try assertRejected(field: "validators[2].index", reason: .indexMismatch(expected: 2)) { $0[validator: 2, "index"] = 3 }
    }

    func testInvalidProgramCodeIsRejected() throws {
        func withCode(_ code: [UInt8]) -> (inout [String: Any]) -> Void {
            { object in
                object[program: 2, "code"] = Hex.encode(code)
                object[program: 2, "code_hash"] = SHA256.hash(code).hex
            }
        }
        try assertRejected(field: "programs[2].code", reason: .invalidProgram(.truncatedHeader(length: 3)), withCode([1, 2, 3]))
        var badMagic = try Assembler.assemble(".outputs 1\nadd r1, 1, 0\n").encoded()
        badMagic[0] = UInt8(ascii: "X")
        try assertRejected(field: "programs[2].code", reason: .invalidProgram(.badMagic), withCode(badMagic))
        var tooShort = try Assembler.assemble(".outputs 1\nadd r1, 1, 0\n").encoded()
        tooShort.removeLast()
        try assertRejected(
            field: "programs[2].code", reason: .invalidProgram(.lengthMismatch(expected: 40, actual: 39)), withCode(tooShort))
    }

    func testProgramLimitsOfThePresetApply() throws {
        func onlyProgram(_ source: String, _ presetField: String, _ limit: Int) -> (inout [String: Any]) throws -> Void {
            { object in
                let code = try Assembler.assemble(source).encoded()
                var program = (object["programs"] as! [[String: Any]])[0]
                program["code"] = Hex.encode(code)
                program["code_hash"] = SHA256.hash(code).hex
                object["programs"] = [program]
                object[preset: presetField] = limit
            }
        }
        try assertRejected(
            field: "programs[0].code", reason: .outOfRange("1 storage cells, above preset.max_program_storage_cells 0"),
            onlyProgram(".storage 1\nadd r1, 1, 0\n", "max_program_storage_cells", 0))
        try assertRejected(
            field: "programs[0].code", reason: .outOfRange("40 bytes, above preset.max_program_bytes 39"),
            onlyProgram("add r1, 1, 0\n", "max_program_bytes", 39))
    }

    func testCodeHashMustMatchTheCode() throws {
        let file = try GenesisFixtures.smallDevnet()
        try assertRejected(field: "programs[4].code_hash", reason: .codeHashMismatch(computed: file.programs[4].codeHash)) {
            $0[program: 4, "code_hash"] = self.otherRoot
        }
    }

    func testDuplicateProgramsAreRejected() throws {
        try assertRejected(field: "programs[3].name", reason: .duplicateName) { $0[program: 3, "name"] = "call" }
        try assertRejected(field: "programs[3].address", reason: .duplicateAddress) {
            $0[program: 3, "address"] = $0[program: 0, "address"]
        }
        try assertRejected(field: "programs[0].name", reason: .invalidName) { $0[program: 0, "name"] = "two words" }
        try assertRejected(field: "programs[0].name", reason: .invalidName) { $0[program: 0, "name"] = "" }
    }

    func testDuplicateAccountSpellingsAreRejected() throws {
        try assertRejected(field: "accounts[0x\(Hash32.zero.hex)]", reason: .duplicateAddress) {
            var accounts = $0["accounts"] as! [String: Any]
            accounts[Hash32.zero.hex] = 1
            accounts["0x" + Hash32.zero.hex] = 2
            $0["accounts"] = accounts
        }
    }

    func testUnknownVersionIsRejectedBeforeAnythingElse() throws {
        assertRejected(Data(#"{"version": 2}"#.utf8), field: "version", reason: .unsupportedVersion(2))
        try assertRejected(field: "version", reason: .unsupportedVersion(0)) { $0["version"] = 0 }
        try assertRejected(field: "version", reason: .wrongType(expected: "a non-negative integer")) { $0["version"] = "1" }
        try assertRejected(field: "version", reason: .missing) { $0["version"] = nil }
    }

    func testMissingFieldsAreNamed() throws {
        for name in ["genesis_time_ms", "slot_ms", "preset", "randao_chain_length", "validators", "accounts", "programs", "genesis_root"] {
            try assertRejected(field: name, reason: .missing) { $0[name] = nil }
        }
        try assertRejected(field: "validators[1].stake", reason: .missing) { $0[validator: 1, "stake"] = nil }
        try assertRejected(field: "programs[2].code_hash", reason: .missing) { $0[program: 2, "code_hash"] = nil }
        try assertRejected(field: "preset.fee_per_step", reason: .missing) { $0[preset: "fee_per_step"] = nil }
        try assertRejected(field: "preset.slots_per_epoch", reason: .missing) { $0[preset: "slots_per_epoch"] = nil }
    }

    func testUnknownFieldsAreNamed() throws {
        try assertRejected(field: "slots_per_epoch", reason: .unknownField) { $0["slots_per_epoch"] = 8 }
        try assertRejected(field: "validators[0].balance", reason: .unknownField) { $0[validator: 0, "balance"] = 8 }
        try assertRejected(field: "programs[1].storage", reason: .unknownField) { $0[program: 1, "storage"] = [] as [Int] }
        try assertRejected(field: "preset.base_rewards_per_epoch", reason: .unknownField) {
            $0[preset: "base_rewards_per_epoch"] = 4
        }
    }

    func testWrongTypesAndUnreadableNumbersAreNamed() throws {
        try assertRejected(field: "validators[0].stake", reason: .wrongType(expected: "a non-negative integer")) {
            $0[validator: 0, "stake"] = "32000000000"
        }
        try assertRejected(field: "validators[0].public_key", reason: .wrongType(expected: "a string")) {
            $0[validator: 0, "public_key"] = 7
        }
        try assertRejected(field: "validators", reason: .wrongType(expected: "an array")) { $0["validators"] = 4 }
        try assertRejected(field: "preset", reason: .wrongType(expected: "an object")) { $0["preset"] = [1, 2] }
        try assertRejected(field: "slot_ms", reason: .wrongType(expected: "a non-negative integer")) { $0["slot_ms"] = NSNull() }
        for value in ["-1", "18446744073709551616", "1.5"] {
            try assertNumberRejected(#""slot_ms" : 1000"#, #""slot_ms" : "# + value, field: "slot_ms")
            try assertNumberRejected(#""stake" : 32000000000"#, #""stake" : "# + value, field: "validators[0].stake")
            try assertNumberRejected(#""fee_per_step" : 1"#, #""fee_per_step" : "# + value, field: "preset.fee_per_step")
            try assertNumberRejected(#""version" : 1"#, #""version" : "# + value, field: "version")
            try assertNumberRejected(
                #" : 1000000000000"#, #" : "# + value, field: "accounts[\(try GenesisFixtures.smallDevnet().accounts.keys.min()!.hash.hex)]")
        }
    }

    /// Replaces the first `original` in the small devnet's JSON text and checks the number is
    /// rejected at `field`.
    private func assertNumberRejected(_ original: String, _ replacement: String, field: String, line: UInt = #line) throws {
        let text = String(decoding: try GenesisFixtures.smallDevnet().encodedJSON(), as: UTF8.self)
        let range = try XCTUnwrap(text.range(of: original), original, line: line)
        let tampered = text.replacingCharacters(in: range, with: replacement)
        assertRejected(Data(tampered.utf8), field: field, reason: .unreadable(GenesisJSONFields.uint64Range), line: line)
    }

    func testNotJSONIsRejected() {
        for text in ["", "hello", "[1, 2]", #"{"version": 1"#, "null"] {
            do {
                _ = try GenesisFile.decode(json: Data(text.utf8))
                XCTFail("accepted \(text)")
            } catch {
                XCTAssertNil(error.field, "\(text): \(error)")
                guard case .notJSON = error.reason else { return XCTFail("\(text): \(error)") }
                XCTAssertFalse(error.description.contains("\n"))
            }
        }
    }

    func testOutOfRangeValuesAreRejected() throws {
        try assertRejected(field: "slot_ms", reason: .outOfRange("10...3600000")) { $0["slot_ms"] = 9 }
        try assertRejected(field: "slot_ms", reason: .outOfRange("10...3600000")) { $0["slot_ms"] = 3_600_001 }
        try assertRejected(field: "randao_chain_length", reason: .outOfRange("1...16777216")) { $0["randao_chain_length"] = 0 }
        try assertRejected(field: "randao_chain_length", reason: .outOfRange("1...16777216")) {
            $0["randao_chain_length"] = 1 << 24 + 1
        }
        try assertRejected(field: "randao_chain_length", reason: .outOfRange("1...16777216")) {
            $0["randao_chain_length"] = 1 << 40
        }
        for field in Preset.fields where PresetJSON.nonZero.contains(field.keyPath) {
            try assertRejected(field: "preset.\(field.name)", reason: .outOfRange("must be at least 1")) { $0[preset: field.name] = 0 }
        }
        try assertRejected(
            field: "preset.max_effective_stake", reason: .outOfRange("must be a multiple of effective_stake_increment (1000000000)")
        ) { $0[preset: "max_effective_stake"] = 32_000_000_001 }
    }

    /// Issue 11: a file that passes validation cannot make a node trap, so every value the core
    /// relies on has an upper bound.
    func testValuesAboveTheirUpperBoundAreRejected() throws {
        for field in Preset.fields {
            guard let bound = PresetJSON.upperBounds[field.keyPath] else { continue }
            try assertRejected(field: "preset.\(field.name)", reason: .outOfRange("at most \(bound), got \(bound + 1)")) {
                $0[preset: field.name] = bound + 1
            }
        }
        try assertRejected(field: "preset.min_attestation_inclusion_delay", reason: .outOfRange("at most slots_per_epoch (8)")) {
            $0[preset: "min_attestation_inclusion_delay"] = 9
        }
        try assertRejected(field: "preset.min_seed_lookahead", reason: .outOfRange("at most max_seed_lookahead")) {
            $0[preset: "min_seed_lookahead"] = 5
            $0[preset: "max_seed_lookahead"] = 4
        }
        try assertRejected(field: "genesis_time_ms", reason: .outOfRange("0...253402300799999 (the year 9999)")) {
            $0["genesis_time_ms"] = UInt64.max / 2 + 1
        }
    }

    func testAFileWithoutAnActiveValidatorIsRejected() throws {
        try assertRejected(field: "validators", reason: .noActiveValidator(required: 32_000_000_000)) { object in
            for index in 0..<4 { object[validator: index, "stake"] = 31_999_999_999 }
        }
        try assertRejected(field: "validators", reason: .outOfRange("1...100000 validators, got 0")) {
            $0["validators"] = [] as [Any]
        }
    }
}
