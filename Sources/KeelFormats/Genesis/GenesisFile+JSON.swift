import Foundation
import KeelChain
import KeelCrypto

extension GenesisFile {
    /// Reads, parses and checks a genesis file.
    ///
    /// Besides ``validate()``, loading checks what the JSON repeats for people against what it
    /// is derived from: each validator's `index`, each program's `code_hash`, and `genesis_root`,
    /// so a hand-edited file that changed the chain without saying so is rejected.
    ///
    /// - Parameter path: The file.
    /// - Returns: The file's contents.
    /// - Throws: `GenesisFileError` naming the file, the field and the reason.
    public static func load(path: String) throws(GenesisFileError) -> GenesisFile {
        do {
            return try decode(json: try readBounded(path: path))
        } catch {
            throw error.at(path: path)
        }
    }

    /// Parses and checks a genesis file's bytes, as ``load(path:)`` does.
    ///
    /// - Parameter json: The file's bytes.
    /// - Returns: The file's contents.
    /// - Throws: `GenesisFileError` naming the field and the reason.
    public static func decode(json: Data) throws(GenesisFileError) -> GenesisFile {
        let decoder = JSONDecoder()
        let version: UInt64
        do {
            version = try decoder.decode(GenesisFileVersionJSON.self, from: json).version
        } catch {
            throw GenesisJSONFields.convert(error)
        }
        guard version == Self.version else {
            throw GenesisFileError(field: "version", reason: .unsupportedVersion(version))
        }
        let object: GenesisFileJSON
        do {
            object = try decoder.decode(GenesisFileJSON.self, from: json)
        } catch {
            throw GenesisJSONFields.convert(error)
        }
        precondition(object.version == Self.version, "the version was checked on the first pass")
        let file = try GenesisFile(checking: object)
        try file.validate()
        let computed = file.genesisRoot
        guard try GenesisJSONFields.hash(object.genesisRoot, field: "genesis_root") == computed else {
            throw GenesisFileError(field: "genesis_root", reason: .genesisRootMismatch(computed: computed))
        }
        return file
    }

    /// Checks the file and writes it atomically (a temporary file renamed into place), so a
    /// reader never sees half a genesis file.
    ///
    /// - Parameter path: The file to create or replace.
    /// - Throws: `GenesisFileError` if the file is invalid (nothing is written) or cannot be
    ///   written.
    public func write(path: String) throws(GenesisFileError) {
        do {
            try validate()
        } catch {
            throw error.at(path: path)
        }
        do {
            try encodedJSON().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw GenesisFileError(path: path, reason: .cannotWrite(Self.reason(error)))
        }
    }

    /// The file's JSON: keys sorted, two-space indentation, a final newline. The same file
    /// always gives the same bytes, so a committed genesis file can be regenerated and compared.
    public func encodedJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(jsonObject)
        } catch {
            preconditionFailure("encoding strings and integers cannot fail: \(error)")
        }
        precondition(!data.isEmpty && data.first == UInt8(ascii: "{"), "a genesis file is a JSON object")
        return data + Data("\n".utf8)
    }

    /// The JSON shape of this file, with the derived fields filled in.
    var jsonObject: GenesisFileJSON {
        GenesisFileJSON(
            version: Self.version, genesisTimeMs: genesisTimeMs, slotMs: slotMs, preset: PresetJSON(preset),
            randaoChainLength: UInt64(randaoChainLength),
            validators: validators.enumerated().map { index, validator in
                ValidatorJSON(
                    index: UInt64(index), publicKey: validator.publicKey.hex,
                    withdrawalAddress: validator.withdrawalAddress.hash.hex, stake: validator.stake.rawValue,
                    randaoCommitment: validator.randaoCommitment.hex)
            },
            accounts: Dictionary(uniqueKeysWithValues: accounts.map { ($0.key.hash.hex, $0.value.rawValue) }),
            programs: programs.map { program in
                ProgramJSON(
                    name: program.name, address: program.address.hash.hex, code: Hex.encode(program.code),
                    codeHash: program.codeHash.hex)
            },
            proverKey: proverKey?.hex,
            genesisRoot: genesisRoot.hex)
    }

    /// Converts the JSON shape, checking every hex field and derived value on the way.
    init(checking object: GenesisFileJSON) throws(GenesisFileError) {
        guard object.randaoChainLength <= UInt64(UInt32.max) else {
            throw GenesisFileError(field: "randao_chain_length", reason: .outOfRange("1...\(HashChain.lengthMax)"))
        }
        var validators: [GenesisValidator] = []
        validators.reserveCapacity(object.validators.count)
        for (index, entry) in object.validators.enumerated() {
            validators.append(try Self.validator(entry, position: index))
        }
        var accounts: [Address: Stake] = [:]
        for key in object.accounts.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let address = Address(try GenesisJSONFields.hash(key, field: "accounts[\(key)]"))
            guard accounts.updateValue(Stake(object.accounts[key]!), forKey: address) == nil else {
                throw GenesisFileError(field: "accounts[\(key)]", reason: .duplicateAddress)
            }
        }
        var programs: [GenesisProgram] = []
        for (index, entry) in object.programs.enumerated() {
            programs.append(try Self.program(entry, field: "programs[\(index)]"))
        }
        var proverKey: PublicKey?
        if let hex = object.proverKey {
            proverKey = try Self.publicKey(hex, field: GenesisFileJSON.CodingKeys.proverKey.rawValue)
        }
        self.init(
            genesisTimeMs: object.genesisTimeMs, slotMs: object.slotMs, preset: object.preset.preset,
            randaoChainLength: UInt32(object.randaoChainLength), validators: validators, accounts: accounts,
            programs: programs, proverKey: proverKey)
        precondition((self.proverKey == nil) == (object.proverKey == nil), "a prover key in the file is one in the config")
    }

    /// Parses `text` as a BIP-340 x-only public key: 32 bytes of hex that are the x coordinate
    /// of a point on secp256k1.
    private static func publicKey(_ text: String, field: String) throws(GenesisFileError) -> PublicKey {
        let keyBytes = try GenesisJSONFields.bytes(text, count: PublicKey.byteCount, field: field)
        guard let publicKey = PublicKey(bytes: keyBytes) else {
            throw GenesisFileError(field: field, reason: .invalidPublicKey)
        }
        return publicKey
    }

    private static func validator(_ entry: ValidatorJSON, position: Int) throws(GenesisFileError) -> GenesisValidator {
        let field = "validators[\(position)]"
        guard entry.index == UInt64(position) else {
            throw GenesisFileError(field: field + ".index", reason: .indexMismatch(expected: position))
        }
        let publicKey = try Self.publicKey(entry.publicKey, field: field + ".public_key")
        return GenesisValidator(
            publicKey: publicKey,
            withdrawalAddress: Address(try GenesisJSONFields.hash(entry.withdrawalAddress, field: field + ".withdrawal_address")),
            stake: Stake(entry.stake),
            randaoCommitment: try GenesisJSONFields.hash(entry.randaoCommitment, field: field + ".randao_commitment"))
    }

    private static func program(_ entry: ProgramJSON, field: String) throws(GenesisFileError) -> GenesisProgram {
        let address = Address(try GenesisJSONFields.hash(entry.address, field: field + ".address"))
        guard let code = Hex.decode(entry.code) else {
            throw GenesisFileError(field: field + ".code", reason: .notHex)
        }
        let program = GenesisProgram(name: entry.name, address: address, code: code)
        let stated = try GenesisJSONFields.hash(entry.codeHash, field: field + ".code_hash")
        guard stated == program.codeHash else {
            throw GenesisFileError(field: field + ".code_hash", reason: .codeHashMismatch(computed: program.codeHash))
        }
        return program
    }

    /// Reads at most ``byteCountMax`` bytes, refusing a larger file before reading it.
    private static func readBounded(path: String) throws(GenesisFileError) -> Data {
        let url = URL(fileURLWithPath: path)
        do {
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
            if let size, size.uint64Value > byteCountMax {
                throw GenesisFileError(reason: .tooLarge(byteCount: size.uint64Value, limit: byteCountMax))
            }
            let data = try Data(contentsOf: url)
            guard UInt64(data.count) <= byteCountMax else {
                throw GenesisFileError(reason: .tooLarge(byteCount: UInt64(data.count), limit: byteCountMax))
            }
            return data
        } catch let error as GenesisFileError {
            throw error
        } catch {
            throw GenesisFileError(reason: .cannotRead(reason(error)))
        }
    }

    /// The operating system's reason for a Foundation file error, for example "No such file or
    /// directory".
    public static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(nsError.code)))
        }
        // Foundation on Linux reports common failures as Cocoa codes without a POSIX error.
        let cocoaCodes: [CocoaError.Code: Int32] = [
            .fileNoSuchFile: ENOENT, .fileReadNoSuchFile: ENOENT, .fileReadNoPermission: EACCES,
            .fileWriteNoPermission: EACCES, .fileWriteOutOfSpace: ENOSPC, .fileWriteVolumeReadOnly: EROFS,
        ]
        if nsError.domain == NSCocoaErrorDomain, let code = cocoaCodes[CocoaError.Code(rawValue: nsError.code)] {
            return String(cString: strerror(code))
        }
        return nsError.localizedDescription
    }
}
