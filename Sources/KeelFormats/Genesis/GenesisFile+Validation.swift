import KeelChain
import KeelCrypto
import KeelVM

extension GenesisFile {
    /// Checks everything a chain needs from the file that the types alone do not guarantee.
    ///
    /// The checks: slot length and RANDAO chain length in range; preset values that are divisors
    /// or sizes are non-zero and `max_effective_stake` is a multiple of
    /// `effective_stake_increment`; 1 to ``validatorCountMax`` validators with distinct keys, at
    /// least one of them with `max_effective_stake` (active at genesis, as `ChainState.genesis`
    /// requires); programs with valid distinct names and addresses, whose code KeelVM decodes and
    /// which fit the preset's deploy limits (`max_program_bytes`, `max_program_storage_cells`),
    /// as a deploy transaction must.
    ///
    /// - Throws: `GenesisFileError` naming the first field that breaks a rule.
    public func validate() throws(GenesisFileError) {
        guard config.genesisTimeMs <= Self.genesisTimeMsMax else {
            throw GenesisFileError(field: "genesis_time_ms", reason: .outOfRange("0...\(Self.genesisTimeMsMax) (the year 9999)"))
        }
        guard (Self.slotMsMin...Self.slotMsMax).contains(slotMs) else {
            throw GenesisFileError(field: "slot_ms", reason: .outOfRange("\(Self.slotMsMin)...\(Self.slotMsMax)"))
        }
        guard randaoChainLength >= 1, randaoChainLength <= HashChain.lengthMax else {
            throw GenesisFileError(field: "randao_chain_length", reason: .outOfRange("1...\(HashChain.lengthMax)"))
        }
        try Self.validate(preset: preset)
        try validateValidators()
        try validatePrograms()
    }

    /// The preset fields that divide or size something, so 0 would trap or stall the chain;
    /// every bounded field within ``PresetJSON/upperBounds``; the inclusion delay within an
    /// epoch (else no attestation could ever be included).
    private static func validate(preset: Preset) throws(GenesisFileError) {
        let nonZero = PresetJSON.nonZero
        let upperBounds = PresetJSON.upperBounds
        for field in Preset.fields {
            let value = preset[keyPath: field.keyPath]
            if nonZero.contains(field.keyPath), value < 1 {
                throw GenesisFileError(field: "preset.\(field.name)", reason: .outOfRange("must be at least 1"))
            }
            if let bound = upperBounds[field.keyPath], value > bound {
                throw GenesisFileError(field: "preset.\(field.name)", reason: .outOfRange("at most \(bound), got \(value)"))
            }
        }
        guard preset.minAttestationInclusionDelay <= preset.slotsPerEpoch else {
            throw GenesisFileError(
                field: "preset.min_attestation_inclusion_delay", reason: .outOfRange("at most slots_per_epoch (\(preset.slotsPerEpoch))"))
        }
        guard preset.minSeedLookahead <= preset.maxSeedLookahead else {
            throw GenesisFileError(field: "preset.min_seed_lookahead", reason: .outOfRange("at most max_seed_lookahead"))
        }
        let increment = preset.effectiveStakeIncrement.rawValue
        precondition(increment >= 1, "checked above: effective_stake_increment is non-zero")
        guard preset.maxEffectiveStake.rawValue % increment == 0 else {
            throw GenesisFileError(
                field: "preset.max_effective_stake",
                reason: .outOfRange("must be a multiple of effective_stake_increment (\(increment))"))
        }
    }

    private func validateValidators() throws(GenesisFileError) {
        guard !validators.isEmpty, validators.count <= Self.validatorCountMax else {
            throw GenesisFileError(
                field: "validators", reason: .outOfRange("1...\(Self.validatorCountMax) validators, got \(validators.count)"))
        }
        var firstIndexByKey: [PublicKey: Int] = [:]
        firstIndexByKey.reserveCapacity(validators.count)
        for (index, validator) in validators.enumerated() {
            if let first = firstIndexByKey[validator.publicKey] {
                throw GenesisFileError(field: "validators[\(index)].public_key", reason: .duplicateValidatorKey(firstIndex: first))
            }
            firstIndexByKey[validator.publicKey] = index
        }
        precondition(firstIndexByKey.count == validators.count, "every key was checked")
        // With max_effective_stake a multiple of the increment, a validator's effective stake
        // (its stake rounded down to the increment, capped at the maximum) reaches the maximum
        // exactly when its stake does: the activation rule of ChainState.genesis.
        guard validators.contains(where: { $0.stake >= preset.maxEffectiveStake }) else {
            throw GenesisFileError(field: "validators", reason: .noActiveValidator(required: preset.maxEffectiveStake.rawValue))
        }
    }

    private func validatePrograms() throws(GenesisFileError) {
        var names = Set<String>()
        var addresses = Set<Address>()
        for (index, program) in programs.enumerated() {
            let field = "programs[\(index)]"
            guard GenesisProgram.isValidName(program.name) else {
                throw GenesisFileError(field: field + ".name", reason: .invalidName)
            }
            guard names.insert(program.name).inserted else {
                throw GenesisFileError(field: field + ".name", reason: .duplicateName)
            }
            guard addresses.insert(program.address).inserted else {
                throw GenesisFileError(field: field + ".address", reason: .duplicateAddress)
            }
            guard UInt64(program.code.count) <= preset.maxProgramBytes else {
                throw GenesisFileError(
                    field: field + ".code",
                    reason: .outOfRange("\(program.code.count) bytes, above preset.max_program_bytes \(preset.maxProgramBytes)"))
            }
            let decoded: Program
            do {
                decoded = try Program(decoding: program.code)
            } catch {
                throw GenesisFileError(field: field + ".code", reason: .invalidProgram(error))
            }
            guard UInt64(decoded.storageCount) <= preset.maxProgramStorageCells else {
                throw GenesisFileError(
                    field: field + ".code",
                    reason: .outOfRange(
                        "\(decoded.storageCount) storage cells, above preset.max_program_storage_cells \(preset.maxProgramStorageCells)"))
            }
        }
        precondition(addresses.count == programs.count, "every address was checked")
    }
}
