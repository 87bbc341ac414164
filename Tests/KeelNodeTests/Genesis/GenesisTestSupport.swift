import Foundation
import KeelChain
import KeelCrypto
@testable import KeelNode
import KeelTestSupport
import XCTest

/// Shared fixtures for the genesis file tests.
enum GenesisFixtures {
    /// `Genesis/devnet.json`, the committed devnet genesis.
    static var committedDevnetPath: String { RepositoryPaths.root + "/Genesis/devnet.json" }

    /// The programs of `Genesis/programs`.
    static func repositoryPrograms() throws -> [GenesisProgram] {
        try GenesisPrograms.load(directory: RepositoryPaths.programs)
    }

    /// A small devnet file: quick to build, with every kind of entry.
    static func smallDevnet(validatorCount: Int = 4, randaoChainLength: UInt32 = 16) throws -> GenesisFile {
        GenesisFile.devnet(
            validatorCount: validatorCount, stake: Preset.devnet.maxEffectiveStake, slotMs: 1000, preset: .devnet,
            genesisTimeMs: 1_700_000_000_000, randaoChainLength: randaoChainLength, programs: try repositoryPrograms())
    }

    /// The small devnet file as a mutable JSON object, to tamper with.
    static func smallDevnetObject() throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: try smallDevnet().encodedJSON()) as? [String: Any])
    }

    /// Serializes a tampered object.
    static func data(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}

extension XCTestCase {
    /// Decodes `json` and checks it is rejected for `reason` at `field`, with a one-line message
    /// naming the field.
    func assertRejected(
        _ json: Data, field: String?, reason: GenesisFileError.Reason, file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            _ = try GenesisFile.decode(json: json)
            XCTFail("accepted a file that should fail at \(field ?? "the top level")", file: file, line: line)
        } catch {
            XCTAssertEqual(error.field, field, error.description, file: file, line: line)
            XCTAssertEqual(error.reason, reason, error.description, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "one line: \(error.description)", file: file, line: line)
            if let field {
                XCTAssertTrue(error.description.hasPrefix(field + ": "), error.description, file: file, line: line)
            }
        }
    }

    /// Tampers with a copy of the small devnet object and checks the rejection.
    func assertRejected(
        field: String?, reason: GenesisFileError.Reason, file: StaticString = #filePath, line: UInt = #line,
        _ tamper: (inout [String: Any]) throws -> Void
    ) throws {
        var object = try GenesisFixtures.smallDevnetObject()
        try tamper(&object)
        assertRejected(try GenesisFixtures.data(object), field: field, reason: reason, file: file, line: line)
    }
}

/// Reads and writes nested JSON values by path, for tampering tests.
extension Dictionary where Key == String, Value == Any {
    subscript(validator index: Int, field: String) -> Any? {
        get { ((self["validators"] as? [[String: Any]])?[index])?[field] }
        set {
            var list = self["validators"] as! [[String: Any]]
            list[index][field] = newValue
            self["validators"] = list
        }
    }

    subscript(program index: Int, field: String) -> Any? {
        get { ((self["programs"] as? [[String: Any]])?[index])?[field] }
        set {
            var list = self["programs"] as! [[String: Any]]
            list[index][field] = newValue
            self["programs"] = list
        }
    }

    subscript(preset field: String) -> Any? {
        get { (self["preset"] as? [String: Any])?[field] }
        set {
            var preset = self["preset"] as! [String: Any]
            preset[field] = newValue
            self["preset"] = preset
        }
    }
}
