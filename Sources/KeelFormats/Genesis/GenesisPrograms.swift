import Foundation
import KeelChain
import KeelCrypto
import KeelVM

/// The programs a devnet deploys at genesis: every `.kasm` file of a directory (normally
/// `Genesis/programs`), assembled.
///
/// Programs are deployed in the byte order of their names (the file name without `.kasm`), the
/// i-th at `Address.program(deployer: deployer, nonce: i)` for i = 0, 1, ...: the address a
/// deploy transaction with nonce i from the all-zero address would get, an address nobody holds
/// a key for, so no later transaction can collide with a genesis program.
public enum GenesisPrograms {
    /// The file extension of assembly sources.
    public static let sourceExtension = "kasm"
    /// The most programs a directory may contribute.
    public static let programCountMax = 1_024

    /// The pretend deployer of genesis programs: the all-zero address.
    public static let deployer = Address(Hash32.zero)

    /// The address of the program deployed `nonce`-th at genesis.
    ///
    /// - Parameter nonce: The program's position in name order, from 0.
    /// - Returns: `Address.program(deployer: deployer, nonce: nonce)`.
    public static func address(nonce: UInt64) -> Address {
        Address.program(deployer: deployer, nonce: nonce)
    }

    /// Assembles named sources and gives each its genesis address.
    ///
    /// - Parameter sources: Program names and their `.kasm` text, in any order.
    /// - Returns: The programs, in name order, at nonces 0, 1, ...
    /// - Throws: `GenesisFileError` naming the program (`<name>.kasm`) and the assembler's
    ///   line, column and reason; or the duplicate or invalid name.
    public static func assemble(sources: [(name: String, source: String)]) throws(GenesisFileError) -> [GenesisProgram] {
        guard sources.count <= programCountMax else {
            throw GenesisFileError(field: "programs", reason: .outOfRange("at most \(programCountMax) programs, got \(sources.count)"))
        }
        let ordered = sources.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var programs: [GenesisProgram] = []
        programs.reserveCapacity(ordered.count)
        for (nonce, entry) in ordered.enumerated() {
            let fileName = "\(entry.name).\(sourceExtension)"
            guard GenesisProgram.isValidName(entry.name) else { throw GenesisFileError(path: fileName, reason: .invalidName) }
            guard programs.last?.name != entry.name else { throw GenesisFileError(path: fileName, reason: .duplicateName) }
            let program: Program
            do {
                program = try Assembler.assemble(entry.source)
            } catch {
                throw GenesisFileError(path: fileName, reason: .invalidAssembly(error.description))
            }
            programs.append(GenesisProgram(name: entry.name, address: address(nonce: UInt64(nonce)), code: program.encoded()))
        }
        precondition(programs.count == sources.count, "one program per source")
        return programs
    }

    /// Reads and assembles every `.kasm` file directly in `directory` (not in subdirectories).
    ///
    /// - Parameter directory: The directory, for example `Genesis/programs`.
    /// - Returns: The programs, in name order, at nonces 0, 1, ...
    /// - Throws: `GenesisFileError` if the directory or a file cannot be read or a file does not
    ///   assemble; the error's path is the file.
    public static func load(directory: String) throws(GenesisFileError) -> [GenesisProgram] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw GenesisFileError(path: directory, reason: .cannotRead("no such directory"))
        }
        guard isDirectory.boolValue else {
            throw GenesisFileError(path: directory, reason: .cannotRead("not a directory"))
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw GenesisFileError(path: directory, reason: .cannotRead(GenesisFile.reason(error)))
        }
        var sources: [(name: String, source: String)] = []
        for fileName in names where fileName.hasSuffix("." + sourceExtension) {
            let path = (directory as NSString).appendingPathComponent(fileName)
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw GenesisFileError(path: path, reason: .cannotRead(GenesisFile.reason(error)))
            }
            sources.append((String(fileName.dropLast(sourceExtension.count + 1)), text))
        }
        do {
            return try assemble(sources: sources)
        } catch {
            var located = error
            located.path = error.path.map { (directory as NSString).appendingPathComponent($0) } ?? directory
            throw located
        }
    }
}
