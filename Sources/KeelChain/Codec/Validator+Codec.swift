import KeelCrypto

// State entries: `Validator`, `Account`, `ProgramAccount`, `PendingAttestation`.

extension Validator: CanonicalCodable {
    /// The size of every encoding.
    static let encodedByteCount = 32 + 32 + 8 + 8 + 1 + 4 * 8 + 32

    /// Writes `publicKey`, `withdrawalAddress`, `balance`, `effectiveStake`, `slashed` (one byte),
    /// `activationEligibilityEpoch`, `activationEpoch`, `exitEpoch`, `withdrawableEpoch`,
    /// `randaoCommitment`.
    public func encode(to writer: inout ByteWriter) {
        writer.write(publicKey)
        writer.write(withdrawalAddress)
        writer.write(balance.rawValue)
        writer.write(effectiveStake.rawValue)
        writer.write(slashed)
        writer.write(activationEligibilityEpoch.rawValue)
        writer.write(activationEpoch.rawValue)
        writer.write(exitEpoch.rawValue)
        writer.write(withdrawableEpoch.rawValue)
        writer.write(randaoCommitment)
    }

    /// Reads the fields in the order `encode(to:)` writes them.
    ///
    /// - Throws: `invalidValue` for a public key that is not a valid x-only key or a `slashed`
    ///   byte other than 0 or 1; `truncated`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let publicKey = try reader.readPublicKey("Validator.publicKey")
        let withdrawalAddress = try reader.readAddress("Validator.withdrawalAddress")
        let balance = Stake(try reader.readUInt64("Validator.balance"))
        let effectiveStake = Stake(try reader.readUInt64("Validator.effectiveStake"))
        let slashed = try reader.readBool("Validator.slashed")
        let activationEligibilityEpoch = Epoch(try reader.readUInt64("Validator.activationEligibilityEpoch"))
        let activationEpoch = Epoch(try reader.readUInt64("Validator.activationEpoch"))
        let exitEpoch = Epoch(try reader.readUInt64("Validator.exitEpoch"))
        let withdrawableEpoch = Epoch(try reader.readUInt64("Validator.withdrawableEpoch"))
        let randaoCommitment = try reader.readHash32("Validator.randaoCommitment")
        self.init(
            publicKey: publicKey, withdrawalAddress: withdrawalAddress, balance: balance,
            effectiveStake: effectiveStake, slashed: slashed, activationEligibilityEpoch: activationEligibilityEpoch,
            activationEpoch: activationEpoch, exitEpoch: exitEpoch, withdrawableEpoch: withdrawableEpoch,
            randaoCommitment: randaoCommitment)
    }
}

extension Account: CanonicalCodable {
    /// The size of every encoding: balance and nonce.
    static let encodedByteCount = 8 + 8

    /// Writes `balance`, then `nonce`.
    public func encode(to writer: inout ByteWriter) {
        writer.write(balance.rawValue)
        writer.write(nonce)
    }

    /// Reads `balance`, then `nonce`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let balance = Stake(try reader.readUInt64("Account.balance"))
        let nonce = try reader.readUInt64("Account.nonce")
        self.init(balance: balance, nonce: nonce)
    }
}

extension ProgramAccount: CanonicalCodable {
    /// Writes `code` (a `UInt32` count, then the bytes), then `storage` (a `UInt32` count, then
    /// each cell little-endian).
    public func encode(to writer: inout ByteWriter) {
        writer.reserveCapacity(writer.count + 8 + code.count + 4 * storage.count)
        writer.writeLengthPrefixed(code)
        writer.writeLengthPrefixed(storage)
    }

    /// Reads `code`, then `storage`.
    ///
    /// - Throws: `listTooLong` for code over ``CodecLimits/maxProgramBytes`` or storage over
    ///   ``CodecLimits/maxProgramStorageCells``; `invalidValue` for a storage cell not below
    ///   `KoalaBear.p` (the VM's memory only ever holds field elements); `truncated`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let code = try reader.readLengthPrefixedBytes("ProgramAccount.code", limit: CodecLimits.maxProgramBytes)
        let storage = try reader.readFieldElements(
            "ProgramAccount.storage", limit: CodecLimits.maxProgramStorageCells)
        self.init(code: code, storage: storage)
    }
}

extension PendingAttestation: CanonicalCodable {
    /// The size of every encoding: validator index, data, inclusion delay, proposer index.
    static let encodedByteCount = 8 + AttestationData.encodedByteCount + 8 + 8

    /// Writes `validatorIndex`, `data`, `inclusionDelay`, `proposerIndex`.
    public func encode(to writer: inout ByteWriter) {
        writer.write(validatorIndex.rawValue)
        data.encode(to: &writer)
        writer.write(inclusionDelay.rawValue)
        writer.write(proposerIndex.rawValue)
    }

    /// Reads `validatorIndex`, `data`, `inclusionDelay`, `proposerIndex`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let validatorIndex = ValidatorIndex(try reader.readUInt64("PendingAttestation.validatorIndex"))
        let data = try AttestationData(from: &reader)
        let inclusionDelay = Slot(try reader.readUInt64("PendingAttestation.inclusionDelay"))
        let proposerIndex = ValidatorIndex(try reader.readUInt64("PendingAttestation.proposerIndex"))
        self.init(
            validatorIndex: validatorIndex, data: data, inclusionDelay: inclusionDelay, proposerIndex: proposerIndex)
    }
}
