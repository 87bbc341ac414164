import KeelCrypto

/// The canonical encoding of a whole ``ChainState``, for storage (a node's states at
/// checkpoints) and for moving a state between processes.
///
/// Layout, in order: a format byte (``ChainState/encodingFormatVersion``); the ``Preset``
/// (every stored field as a `UInt64`, in declaration order); `genesisTimeMs`, `genesisRoot`,
/// `slot`, `latestBlockHeader`; the lists `blockRoots`, `stateRoots`, `validators`,
/// `randaoMixes`, `slashings`, `previousEpochAttestations`, `currentEpochAttestations` (each a
/// `UInt32` count, then the elements); `justificationBits` (a count, then one byte per bit);
/// the three checkpoints; then `accounts` and `programs`, each a count followed by
/// `(address, entry)` pairs in strictly ascending address order, so that the encoding never
/// depends on `Dictionary` order (STYLE.md item 14).
///
/// The state tree is not encoded: it is derived from the fields, and the decoder leaves every
/// entry marked touched, so the first `hashTreeRoot()` after decoding rebuilds it and returns
/// the same root as the state that was encoded.
///
/// Canonical: the decoder rejects vector lengths that do not match the preset, a justification
/// bit count other than `Constants.justificationBitsLength`, and addresses out of order or
/// repeated, so `encode(decode(b)) == b` for any bytes that decode.
///
/// Not a `CanonicalCodable` conformance on purpose: that protocol's `hashTreeRoot` is SHA-256
/// of the flat encoding, while a state's root is its Merkle tree's (`hashTreeRoot()`), and the
/// two must never be confused.
extension ChainState {
    /// The format byte that starts every encoding; bumped when the layout changes.
    public static let encodingFormatVersion: UInt8 = 1
    /// The most elements any list of the state may hold when decoded (validators, accounts,
    /// programs, the per-slot and per-epoch vectors, pending attestations). Far above any
    /// devnet; it only stops a corrupt count from asking for gigabytes before the byte count
    /// check of `ByteReader.readCount` runs.
    public static let decodedListCountMax: UInt64 = 1 << 24

    /// The canonical encoding, as a new array.
    public var encoded: [UInt8] {
        var writer = ByteWriter(reservingCapacity: encodedByteCountEstimate)
        encode(to: &writer)
        return writer.finish()
    }

    /// Decodes exactly one state from `bytes`.
    ///
    /// - Parameter bytes: The whole encoding.
    /// - Throws: ``DecodingError`` naming the first rule broken, including `trailingBytes` if
    ///   anything follows the state.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = ByteReader(bytes)
        self = try ChainState(from: &reader)
        try reader.expectEnd(of: "ChainState")
    }

    /// Roughly the size of the encoding, so that it is written into one allocation.
    private var encodedByteCountEstimate: Int {
        var total = 1024 + 32 * (blockRoots.count + stateRoots.count + randaoMixes.count) + 8 * slashings.count
        total += validators.count * Validator.encodedByteCount
        total += (previousEpochAttestations.count + currentEpochAttestations.count) * PendingAttestation.encodedByteCount
        total += accounts.count * (32 + Account.encodedByteCount) + programs.count * 256
        return total
    }

    /// Writes the state in the layout described on this extension.
    public func encode(to writer: inout ByteWriter) {
        writer.write(Self.encodingFormatVersion)
        Self.encodePreset(preset, to: &writer)
        writer.write(genesisTimeMs)
        writer.write(genesisRoot)
        slot.encode(to: &writer)
        latestBlockHeader.encode(to: &writer)
        writer.writeList(blockRoots)
        writer.writeList(stateRoots)
        writer.writeList(validators.elements)
        writer.writeList(randaoMixes)
        writer.writeList(slashings)
        writer.writeList(previousEpochAttestations)
        writer.writeList(currentEpochAttestations)
        writer.writeCount(justificationBits.count)
        for bit in justificationBits { writer.write(bit) }
        previousJustifiedCheckpoint.encode(to: &writer)
        currentJustifiedCheckpoint.encode(to: &writer)
        finalizedCheckpoint.encode(to: &writer)
        let accountKeys = accounts.sortedKeys
        writer.writeCount(accountKeys.count)
        for address in accountKeys {
            writer.write(address)
            accounts[address]!.encode(to: &writer)
        }
        let programKeys = programs.sortedKeys
        writer.writeCount(programKeys.count)
        for address in programKeys {
            writer.write(address)
            programs[address]!.encode(to: &writer)
        }
    }

    /// Reads a state written by `encode(to:)`.
    ///
    /// - Throws: ``DecodingError`` for an unknown format byte, a vector whose length is not the
    ///   preset's, a justification bit count other than 4, addresses not strictly ascending, or
    ///   whatever an entry's decoder throws.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let format = try reader.readUInt8("ChainState.format")
        guard format == Self.encodingFormatVersion else {
            throw .invalidValue(field: "ChainState.format", reason: "format \(format), this build reads \(Self.encodingFormatVersion)")
        }
        let preset = try Self.decodePreset(from: &reader)
        let genesisTimeMs = try reader.readUInt64("ChainState.genesisTimeMs")
        let genesisRoot = try reader.readHash32("ChainState.genesisRoot")
        let slot = try Slot(from: &reader)
        let latestBlockHeader = try BlockHeader(from: &reader)
        let limit = Self.decodedListCountMax
        let blockRoots = try reader.readList("ChainState.blockRoots", of: Root.self, limit: limit, elementByteCountMin: 32)
        let stateRoots = try reader.readList("ChainState.stateRoots", of: Root.self, limit: limit, elementByteCountMin: 32)
        let validators = try reader.readList(
            "ChainState.validators", of: Validator.self, limit: limit, elementByteCountMin: Validator.encodedByteCount)
        let randaoMixes = try reader.readList("ChainState.randaoMixes", of: Root.self, limit: limit, elementByteCountMin: 32)
        let slashings = try reader.readList("ChainState.slashings", of: Stake.self, limit: limit, elementByteCountMin: 8)
        let previousEpochAttestations = try reader.readList(
            "ChainState.previousEpochAttestations", of: PendingAttestation.self, limit: limit,
            elementByteCountMin: PendingAttestation.encodedByteCount)
        let currentEpochAttestations = try reader.readList(
            "ChainState.currentEpochAttestations", of: PendingAttestation.self, limit: limit,
            elementByteCountMin: PendingAttestation.encodedByteCount)
        try Self.expectLength(blockRoots.count, preset.slotsPerHistoricalRoot, "ChainState.blockRoots")
        try Self.expectLength(stateRoots.count, preset.slotsPerHistoricalRoot, "ChainState.stateRoots")
        try Self.expectLength(randaoMixes.count, preset.epochsPerHistoricalVector, "ChainState.randaoMixes")
        try Self.expectLength(slashings.count, preset.epochsPerSlashingsVector, "ChainState.slashings")
        let bitCount = try reader.readCount(
            "ChainState.justificationBits", limit: UInt64(Constants.justificationBitsLength), elementByteCountMin: 1)
        try Self.expectLength(bitCount, UInt64(Constants.justificationBitsLength), "ChainState.justificationBits")
        var justificationBits: [Bool] = []
        for _ in 0..<bitCount { justificationBits.append(try reader.readBool("ChainState.justificationBits")) }
        let previousJustified = try Checkpoint(from: &reader)
        let currentJustified = try Checkpoint(from: &reader)
        let finalized = try Checkpoint(from: &reader)
        let accounts = try Self.decodeSortedMap(
            "ChainState.accounts", of: Account.self, elementByteCountMin: 32 + Account.encodedByteCount, from: &reader)
        let programs = try Self.decodeSortedMap(
            "ChainState.programs", of: ProgramAccount.self, elementByteCountMin: 32 + 8, from: &reader)

        self.init(
            preset: preset, genesisTimeMs: genesisTimeMs, genesisRoot: genesisRoot, validators: validators,
            accounts: accounts, programs: programs, latestBlockHeader: latestBlockHeader)
        self.slot = slot
        self.blockRoots = blockRoots
        self.stateRoots = stateRoots
        self.randaoMixes = randaoMixes
        self.slashings = slashings
        self.previousEpochAttestations = previousEpochAttestations
        self.currentEpochAttestations = currentEpochAttestations
        self.justificationBits = justificationBits
        self.previousJustifiedCheckpoint = previousJustified
        self.currentJustifiedCheckpoint = currentJustified
        self.finalizedCheckpoint = finalized
        precondition(self.validators.count == validators.count, "every validator was kept")
        precondition(self.accounts.count == accounts.count && self.programs.count == programs.count, "every entry was kept")
    }

    /// Throws unless a decoded vector has the length the preset fixes.
    private static func expectLength(_ count: Int, _ expected: UInt64, _ field: String) throws(DecodingError) {
        guard UInt64(count) == expected else {
            throw .invalidValue(field: field, reason: "\(count) elements, the preset fixes \(expected)")
        }
    }

    /// Reads `(address, entry)` pairs in strictly ascending address order.
    private static func decodeSortedMap<Value: CanonicalCodable>(
        _ field: StaticString, of _: Value.Type, elementByteCountMin: Int, from reader: inout ByteReader
    ) throws(DecodingError) -> [Address: Value] {
        let count = try reader.readCount(field, limit: decodedListCountMax, elementByteCountMin: elementByteCountMin)
        var map: [Address: Value] = [:]
        map.reserveCapacity(count)
        var previous: Address?
        for _ in 0..<count {
            let address = try reader.readAddress(field)
            if let previous, !(previous < address) {
                throw .invalidValue(field: field.description, reason: "address \(address) is not after \(previous)")
            }
            map[address] = try Value(from: &reader)
            previous = address
        }
        precondition(map.count == count, "strictly ascending addresses are distinct")
        return map
    }


    private static func encodePreset(_ preset: Preset, to writer: inout ByteWriter) {
        let fields = Preset.fields
        writer.writeCount(fields.count)
        for field in fields { writer.write(preset[keyPath: field.keyPath]) }
    }

    /// Reads the preset: a field count that must be this build's, then each field. The fields
    /// are written into `Preset.devnet`, so the decoder needs no memberwise initializer.
    private static func decodePreset(from reader: inout ByteReader) throws(DecodingError) -> Preset {
        let fields = Preset.fields
        let count = try reader.readCount("Preset", limit: UInt64(fields.count), elementByteCountMin: 8)
        try expectLength(count, UInt64(fields.count), "Preset")
        var preset = Preset.devnet
        for field in fields { preset[keyPath: field.keyPath] = try reader.readUInt64("Preset") }
        return preset
    }
}
