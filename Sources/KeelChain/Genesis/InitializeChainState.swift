import KeelCrypto
import KeelVM

/// Why a genesis config cannot start a chain.
public enum GenesisError: Error, Hashable, Sendable, CustomStringConvertible {
    case noActiveValidators
    case duplicateValidatorKey(PublicKey)
    case invalidProgram(Address, String)

    public var description: String {
        switch self {
        case .noActiveValidators: return "no validator has the full stake needed to be active at genesis"
        case let .duplicateValidatorKey(key): return "validator key \(key.hex) is registered twice"
        case let .invalidProgram(address, reason): return "program \(address): \(reason)"
        }
    }
}

extension ChainState {
    /// The genesis state (phase0 `initialize_beacon_state_from_eth1` with deposits given up
    /// front): validators with the full stake are active from epoch 0.
    public static func genesis(_ config: GenesisConfig) throws(GenesisError) -> ChainState {
        let preset = config.preset
        var keys = Set<PublicKey>()
        var validators: [Validator] = []
        for entry in config.validators {
            guard keys.insert(entry.publicKey).inserted else { throw .duplicateValidatorKey(entry.publicKey) }
            let increment = preset.effectiveStakeIncrement.rawValue
            let effective = Stake(min(entry.stake.rawValue - entry.stake.rawValue % increment, preset.maxEffectiveStake.rawValue))
            let active = effective == preset.maxEffectiveStake
            validators.append(Validator(
                publicKey: entry.publicKey, withdrawalAddress: entry.withdrawalAddress, balance: entry.stake,
                effectiveStake: effective,
                activationEligibilityEpoch: active ? Constants.genesisEpoch : Constants.farFutureEpoch,
                activationEpoch: active ? Constants.genesisEpoch : Constants.farFutureEpoch,
                randaoCommitment: entry.randaoCommitment))
        }
        guard validators.contains(where: { $0.activationEpoch == Constants.genesisEpoch }) else { throw .noActiveValidators }
        var programs: [Address: ProgramAccount] = [:]
        for (address, code) in config.programs {
            do {
                let program = try Program(decoding: code)
                programs[address] = ProgramAccount(code: code, storage: Array(repeating: 0, count: Int(program.storageCount)))
            } catch {
                throw .invalidProgram(address, error.description)
            }
        }
        let header = BlockHeader(
            slot: Constants.genesisSlot, proposerIndex: 0, parentRoot: .zero, stateRoot: .zero,
            bodyRoot: BlockBody(randaoReveal: .zero).hashTreeRoot)
        var state = ChainState(
            preset: preset, genesisTimeMs: config.genesisTimeMs, genesisRoot: config.genesisRoot, validators: validators,
            accounts: config.accounts.mapValues { Account(balance: $0) }, programs: programs, latestBlockHeader: header)
        _ = state.hashTreeRoot()
        return state
    }

    /// The genesis block's root: the genesis header with the genesis state root filled in, as
    /// phase0's anchor block. Fork choice starts from it.
    public mutating func genesisBlockRoot() -> Root {
        precondition(slot == Constants.genesisSlot, "only a genesis state has a genesis block")
        var header = latestBlockHeader
        header.stateRoot = hashTreeRoot()
        return header.hashTreeRoot
    }
}
