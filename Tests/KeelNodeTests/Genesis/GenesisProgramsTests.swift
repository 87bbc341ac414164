import Foundation
import KeelChain
import KeelCrypto
@testable import KeelNode
import KeelTestSupport
import KeelVM
import XCTest

/// `GenesisPrograms`: every `.kasm` file of a directory, by name, at nonces 0, 1, ...
final class GenesisProgramsTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-programs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ text: String, to name: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func testRepositoryProgramsAreAssembledInNameOrderAtNonceAddresses() throws {
        let programs = try GenesisPrograms.load(directory: RepositoryPaths.programs)
        XCTAssertEqual(programs.map(\.name), ["call", "fibonacci", "inverse", "prefix_sums", "toy_hash"])
        for (nonce, program) in programs.enumerated() {
            XCTAssertEqual(program.address, Address.program(deployer: Address(Hash32.zero), nonce: UInt64(nonce)))
            let expected = try Assembler.assemble(try RepositoryPaths.programSource(program.name))
            XCTAssertEqual(program.code, expected.encoded(), program.name)
            XCTAssertEqual(program.codeHash, expected.hash, program.name)
        }
    }

    func testOrderIsByNameBytesNotByDiscovery() throws {
        let source = "add r1, 1, 0\n"
        let programs = try GenesisPrograms.assemble(sources: [("b", source), ("B", source), ("a_b", source), ("a", source)])
        XCTAssertEqual(programs.map(\.name), ["B", "a", "a_b", "b"])
        XCTAssertEqual(programs.map(\.address), (0..<4).map { GenesisPrograms.address(nonce: UInt64($0)) })
    }

    func testOnlyKasmFilesCount() throws {
        try write("add r1, 1, 0\n", to: "one.kasm")
        try write("not assembly", to: "notes.txt")
        try write("not assembly", to: "one.kasm.orig")
        let programs = try GenesisPrograms.load(directory: directory.path)
        XCTAssertEqual(programs.map(\.name), ["one"])
    }

    func testAssemblyErrorsNameTheFileAndLine() throws {
        try write("add r1, 1, 0\n", to: "good.kasm")
        try write("add r1, 1, 0\n  jmp r1, 0\n", to: "bad.kasm")
        XCTAssertThrowsError(try GenesisPrograms.load(directory: directory.path)) { error in
            let error = error as! GenesisFileError
            XCTAssertEqual(error.path, directory.appendingPathComponent("bad.kasm").path)
            XCTAssertTrue(error.description.contains("bad.kasm: line 2, column 3: unknown mnemonic 'jmp'"), error.description)
        }
    }

    func testMissingDirectoryIsAnError() {
        let missing = directory.appendingPathComponent("nope").path
        XCTAssertThrowsError(try GenesisPrograms.load(directory: missing)) { error in
            XCTAssertEqual((error as! GenesisFileError).description, "\(missing): cannot read: no such directory")
        }
    }

    func testEmptyDirectoryMeansNoPrograms() throws {
        XCTAssertEqual(try GenesisPrograms.load(directory: directory.path), [])
    }
}
