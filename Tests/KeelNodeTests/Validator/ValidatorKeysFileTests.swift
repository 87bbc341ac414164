import Foundation
import KeelChain
import KeelCrypto
import XCTest

@testable import KeelNode

/// `ValidatorKeysFile`: round trip through a file, every rejection with the field it names, and
/// validation against a genesis file.
final class ValidatorKeysFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private static let genesis = GenesisFile.devnet(
        validatorCount: 4, stake: Stake(32 * Preset.devnet.stakeUnit), slotMs: 250, preset: .devnet, genesisTimeMs: 0,
        randaoChainLength: 16, programs: [])

    private static let keyHex = Hex.encode(DevnetKeys.secretKey(validatorIndex: 1).bytes)

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Decodes `json`, expecting a rejection; returns it.
    private func rejection(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> ValidatorKeysFileError? {
        do {
            let keys = try ValidatorKeysFile.decode(json: Data(json.utf8))
            XCTFail("accepted \(json) as \(keys.entries.map(\.index))", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testRoundTripThroughAFileWithMode0600() throws {
        let keys = ValidatorKeysFile.devnet(indices: [ValidatorIndex(2), ValidatorIndex(0), ValidatorIndex(3)])
        let file = path("keys.json")
        try keys.write(path: file)
        let loaded = try ValidatorKeysFile.load(path: file)
        XCTAssertEqual(loaded, keys)
        XCTAssertEqual(loaded.entries.map(\.index.rawValue), [2, 0, 3], "file order is kept")
        XCTAssertEqual(loaded.keys.count, 3)
        XCTAssertEqual(loaded.keys[ValidatorIndex(3)]?.publicKey, DevnetKeys.secretKey(validatorIndex: 3).publicKey)
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        XCTAssertEqual(leftovers, ["keys.json"], "no temporary file is left behind")
        // Overwriting replaces the file atomically.
        try ValidatorKeysFile.devnet(indices: [ValidatorIndex(1)]).write(path: file)
        XCTAssertEqual(try ValidatorKeysFile.load(path: file).entries.map(\.index.rawValue), [1])
    }

    func testTheDocumentedFormatParses() throws {
        let keys = try ValidatorKeysFile.decode(json: Data(#"{"version":1,"keys":[{"index":1,"secret_key":"\#(Self.keyHex)"}]}"#.utf8))
        XCTAssertEqual(keys, ValidatorKeysFile.devnet(indices: [ValidatorIndex(1)]))
        let prefixed = try ValidatorKeysFile.decode(json: Data(#"{"version":1,"keys":[{"index":1,"secret_key":"0x\#(Self.keyHex)"}]}"#.utf8))
        XCTAssertEqual(prefixed, keys, "a 0x prefix is accepted")
    }

    func testEqualityComparesSecretBytesNotPublicKeys() throws {
        // d and n - d share an x-only public key; entries with them differ.
        let key = DevnetKeys.secretKey(validatorIndex: 0)
        let order = try XCTUnwrap(Hex.decode("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"))
        var negated = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in (0..<32).reversed() {
            var digit = Int(order[index]) - Int(key.bytes[index]) - borrow
            borrow = digit < 0 ? 1 : 0
            digit += borrow * 256
            negated[index] = UInt8(digit)
        }
        let other = try XCTUnwrap(SecretKey(bytes: negated))
        XCTAssertEqual(other.publicKey, key.publicKey)
        XCTAssertNotEqual(
            ValidatorKeysFile.Entry(index: ValidatorIndex(0), secretKey: key),
            ValidatorKeysFile.Entry(index: ValidatorIndex(0), secretKey: other))
    }

    func testRejectsAnUnknownVersion() {
        let error = rejection(#"{"version":2,"keys":[{"index":1,"secret_key":"\#(Self.keyHex)"}]}"#)
        XCTAssertEqual(error?.field, "version")
        XCTAssertEqual(error?.reason, .unsupportedVersion(2))
    }

    func testRejectsBadHex() {
        let error = rejection(#"{"version":1,"keys":[{"index":1,"secret_key":"\#(Self.keyHex)"},{"index":2,"secret_key":"zz"}]}"#)
        XCTAssertEqual(error?.field, "keys[1].secret_key")
        XCTAssertEqual(error?.reason, .notHex)
    }

    func testRejectsWrongLengths() {
        let short = rejection(#"{"version":1,"keys":[{"index":1,"secret_key":"\#(Self.keyHex.dropLast(2))"}]}"#)
        XCTAssertEqual(short?.field, "keys[0].secret_key")
        XCTAssertEqual(short?.reason, .wrongByteCount(expected: 32, actual: 31))
        let long = rejection(#"{"version":1,"keys":[{"index":1,"secret_key":"\#(Self.keyHex)00"}]}"#)
        XCTAssertEqual(long?.reason, .wrongByteCount(expected: 32, actual: 33))
    }

    func testRejectsAZeroKey() {
        let error = rejection(#"{"version":1,"keys":[{"index":1,"secret_key":"\#(String(repeating: "0", count: 64))"}]}"#)
        XCTAssertEqual(error?.field, "keys[0].secret_key")
        XCTAssertEqual(error?.reason, .invalidSecretKey)
    }

    func testRejectsARepeatedIndex() {
        let other = Hex.encode(DevnetKeys.secretKey(validatorIndex: 2).bytes)
        let error = rejection(
            #"{"version":1,"keys":[{"index":1,"secret_key":"\#(Self.keyHex)"},{"index":1,"secret_key":"\#(other)"}]}"#)
        XCTAssertEqual(error?.field, "keys[1].index")
        XCTAssertEqual(error?.reason, .repeatedIndex(firstEntry: 0))
        XCTAssertThrowsError(try ValidatorKeysFile.devnet(indices: [ValidatorIndex(1), ValidatorIndex(1)]).write(path: path("k"))) {
            XCTAssertEqual(($0 as? ValidatorKeysFileError)?.reason, .repeatedIndex(firstEntry: 0))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("k")), "nothing unreadable is written")
    }

    func testRejectsAnEmptyList() {
        let error = rejection(#"{"version":1,"keys":[]}"#)
        XCTAssertEqual(error?.field, "keys")
        XCTAssertEqual(error?.reason, .noKeys)
    }

    func testRejectsMissingUnknownAndMistypedFields() {
        XCTAssertEqual(rejection(#"{"keys":[]}"#)?.field, "version")
        XCTAssertEqual(rejection(#"{"keys":[]}"#)?.reason, .missing)
        XCTAssertEqual(rejection(#"{"version":1}"#)?.field, "keys")
        let noKey = rejection(#"{"version":1,"keys":[{"index":1}]}"#)
        XCTAssertEqual(noKey?.field, "keys[0].secret_key")
        XCTAssertEqual(noKey?.reason, .missing)
        let unknown = rejection(#"{"version":1,"keys":[{"index":1,"secret_key":"\#(Self.keyHex)","pubkey":"00"}]}"#)
        XCTAssertEqual(unknown?.field, "keys[0].pubkey")
        XCTAssertEqual(unknown?.reason, .unknownField)
        XCTAssertEqual(rejection(#"{"version":1,"keys":[],"extra":true}"#)?.reason, .unknownField)
        let negative = rejection(#"{"version":1,"keys":[{"index":-1,"secret_key":"\#(Self.keyHex)"}]}"#)
        XCTAssertEqual(negative?.field, "keys[0].index")
        let text = rejection(#"{"version":1,"keys":[{"index":"1","secret_key":"\#(Self.keyHex)"}]}"#)
        XCTAssertEqual(text?.field, "keys[0].index")
    }

    func testRejectsNonJSONAndUnreadableFiles() throws {
        XCTAssertNotNil(rejection("not json"))
        XCTAssertNotNil(rejection("[1,2]"))
        XCTAssertThrowsError(try ValidatorKeysFile.load(path: path("missing.json"))) { error in
            let error = error as? ValidatorKeysFileError
            XCTAssertEqual(error?.path, self.path("missing.json"))
            guard case .cannotRead = error?.reason else { return XCTFail("\(String(describing: error))") }
        }
        try Data("{".utf8).write(to: URL(fileURLWithPath: path("broken.json")))
        XCTAssertThrowsError(try ValidatorKeysFile.load(path: path("broken.json"))) { error in
            XCTAssertTrue("\(error)".hasPrefix(self.path("broken.json") + ": "), "\(error)")
        }
    }

    func testValidatesAgainstItsGenesis() throws {
        try ValidatorKeysFile.devnet(indices: (0..<4).map { ValidatorIndex(UInt64($0)) }).validate(against: Self.genesis)
    }

    func testValidationRejectsAnIndexOutOfRange() {
        XCTAssertThrowsError(try ValidatorKeysFile.devnet(indices: [ValidatorIndex(0), ValidatorIndex(4)]).validate(against: Self.genesis)) {
            let error = $0 as? ValidatorKeysFileError
            XCTAssertEqual(error?.field, "keys[1].index")
            XCTAssertEqual(error?.reason, .indexOutOfRange(validatorCount: 4))
        }
    }

    func testValidationRejectsTheWrongKeyAtAnIndex() {
        let wrong = ValidatorKeysFile(entries: [
            .init(index: ValidatorIndex(0), secretKey: DevnetKeys.secretKey(validatorIndex: 0)),
            .init(index: ValidatorIndex(2), secretKey: DevnetKeys.secretKey(validatorIndex: 3)),
        ])
        XCTAssertThrowsError(try wrong.validate(against: Self.genesis)) {
            let error = $0 as? ValidatorKeysFileError
            XCTAssertEqual(error?.field, "keys[1].secret_key")
            guard case .publicKeyMismatch = error?.reason else { return XCTFail("\(String(describing: error))") }
        }
    }

    func testValidationRejectsAMismatchedRandaoCommitment() {
        var genesis = Self.genesis
        genesis.validators[1].randaoCommitment = SHA256.hash(genesis.validators[1].randaoCommitment)
        XCTAssertThrowsError(try ValidatorKeysFile.devnet(indices: [ValidatorIndex(1)]).validate(against: genesis)) {
            let error = $0 as? ValidatorKeysFileError
            XCTAssertEqual(error?.field, "keys[0].secret_key")
            XCTAssertEqual(error?.reason, .randaoCommitmentMismatch)
        }
    }

    func testValidationRejectsRepeatsAndEmptiness() {
        XCTAssertThrowsError(try ValidatorKeysFile(entries: []).validate(against: Self.genesis)) {
            XCTAssertEqual(($0 as? ValidatorKeysFileError)?.reason, .noKeys)
        }
        XCTAssertThrowsError(try ValidatorKeysFile.devnet(indices: [ValidatorIndex(1), ValidatorIndex(1)]).validate(against: Self.genesis)) {
            XCTAssertEqual(($0 as? ValidatorKeysFileError)?.reason, .repeatedIndex(firstEntry: 0))
        }
    }
}
