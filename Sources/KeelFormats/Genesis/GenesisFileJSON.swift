/// The JSON shape of a genesis file, field for field (`Genesis/README.md`): hex strings and
/// integers, before any of them is checked. ``GenesisFile`` converts from and to it.
///
/// Every object rejects fields it does not define, so a misspelt or future field is an error
/// rather than silently ignored.
struct GenesisFileJSON: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case version
        case genesisTimeMs = "genesis_time_ms"
        case slotMs = "slot_ms"
        case preset
        case randaoChainLength = "randao_chain_length"
        case validators
        case accounts
        case programs
        case proverKey = "prover_key"
        case genesisRoot = "genesis_root"
    }

    var version: UInt64
    var genesisTimeMs: UInt64
    var slotMs: UInt64
    var preset: PresetJSON
    var randaoChainLength: UInt64
    var validators: [ValidatorJSON]
    /// Address hex -> balance in base units.
    var accounts: [String: UInt64]
    var programs: [ProgramJSON]
    /// The prover's x-only public key in hex; `nil` (written as no field, read from no field or
    /// `null`): no prover. The one optional field of the format.
    var proverKey: String?
    var genesisRoot: String

    init(
        version: UInt64, genesisTimeMs: UInt64, slotMs: UInt64, preset: PresetJSON, randaoChainLength: UInt64,
        validators: [ValidatorJSON], accounts: [String: UInt64], programs: [ProgramJSON], proverKey: String?,
        genesisRoot: String
    ) {
        self.version = version
        self.genesisTimeMs = genesisTimeMs
        self.slotMs = slotMs
        self.preset = preset
        self.randaoChainLength = randaoChainLength
        self.validators = validators
        self.accounts = accounts
        self.programs = programs
        self.proverKey = proverKey
        self.genesisRoot = genesisRoot
    }

    init(from decoder: any Decoder) throws {
        try GenesisJSONFields.rejectUnknown(in: decoder, known: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try GenesisJSONFields.uint64(container, .version)
        genesisTimeMs = try GenesisJSONFields.uint64(container, .genesisTimeMs)
        slotMs = try GenesisJSONFields.uint64(container, .slotMs)
        preset = try container.decode(PresetJSON.self, forKey: .preset)
        randaoChainLength = try GenesisJSONFields.uint64(container, .randaoChainLength)
        validators = try container.decode([ValidatorJSON].self, forKey: .validators)
        accounts = try GenesisJSONFields.uint64Map(container, .accounts)
        programs = try container.decode([ProgramJSON].self, forKey: .programs)
        proverKey = try container.decodeIfPresent(String.self, forKey: .proverKey)
        genesisRoot = try container.decode(String.self, forKey: .genesisRoot)
    }
}

/// Only the version, read first so that a file of another version is reported as such rather
/// than as a list of missing or unknown fields.
struct GenesisFileVersionJSON: Decodable {
    enum CodingKeys: String, CodingKey {
        case version
    }

    var version: UInt64

    init(from decoder: any Decoder) throws {
        version = try GenesisJSONFields.uint64(try decoder.container(keyedBy: CodingKeys.self), .version)
    }
}

/// One entry of `validators`.
struct ValidatorJSON: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case index
        case publicKey = "public_key"
        case withdrawalAddress = "withdrawal_address"
        case stake
        case randaoCommitment = "randao_commitment"
    }

    var index: UInt64
    var publicKey: String
    var withdrawalAddress: String
    var stake: UInt64
    var randaoCommitment: String

    init(index: UInt64, publicKey: String, withdrawalAddress: String, stake: UInt64, randaoCommitment: String) {
        self.index = index
        self.publicKey = publicKey
        self.withdrawalAddress = withdrawalAddress
        self.stake = stake
        self.randaoCommitment = randaoCommitment
    }

    init(from decoder: any Decoder) throws {
        try GenesisJSONFields.rejectUnknown(in: decoder, known: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try GenesisJSONFields.uint64(container, .index)
        publicKey = try container.decode(String.self, forKey: .publicKey)
        withdrawalAddress = try container.decode(String.self, forKey: .withdrawalAddress)
        stake = try GenesisJSONFields.uint64(container, .stake)
        randaoCommitment = try container.decode(String.self, forKey: .randaoCommitment)
    }
}

/// One entry of `programs`.
struct ProgramJSON: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case address
        case code
        case codeHash = "code_hash"
    }

    var name: String
    var address: String
    var code: String
    var codeHash: String

    init(name: String, address: String, code: String, codeHash: String) {
        self.name = name
        self.address = address
        self.code = code
        self.codeHash = codeHash
    }

    init(from decoder: any Decoder) throws {
        try GenesisJSONFields.rejectUnknown(in: decoder, known: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        address = try container.decode(String.self, forKey: .address)
        code = try container.decode(String.self, forKey: .code)
        codeHash = try container.decode(String.self, forKey: .codeHash)
    }
}
