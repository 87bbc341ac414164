import KeelCrypto

extension BlockBody: CanonicalCodable {
    /// Writes `randaoReveal`, then the four lists, each as a `UInt32` count and its elements:
    /// `proposerSlashings`, `attesterSlashings`, `attestations`, `transactions`.
    public func encode(to writer: inout ByteWriter) {
        writer.reserveCapacity(writer.count + encodedByteCountEstimate)
        writer.write(randaoReveal)
        writer.writeList(proposerSlashings)
        writer.writeList(attesterSlashings)
        writer.writeList(attestations)
        writer.writeList(transactions)
    }

    /// Reads `randaoReveal` and the four lists.
    ///
    /// - Throws: ``DecodingError/listTooLong(field:count:limit:)`` for a list over its
    ///   ``CodecLimits`` limit (checked before anything is allocated), or whatever an element's
    ///   decoder throws.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let randaoReveal = try reader.readHash32("BlockBody.randaoReveal")
        let proposerSlashings = try reader.readList(
            "BlockBody.proposerSlashings", of: ProposerSlashing.self, limit: CodecLimits.maxProposerSlashings,
            elementByteCountMin: ProposerSlashing.encodedByteCount)
        let attesterSlashings = try reader.readList(
            "BlockBody.attesterSlashings", of: AttesterSlashing.self, limit: CodecLimits.maxAttesterSlashings,
            elementByteCountMin: AttesterSlashing.encodedByteCount)
        let attestations = try reader.readList(
            "BlockBody.attestations", of: Attestation.self, limit: CodecLimits.maxAttestations,
            elementByteCountMin: Attestation.encodedByteCount)
        let transactions = try reader.readList(
            "BlockBody.transactions", of: SignedTransaction.self, limit: CodecLimits.maxTransactions,
            elementByteCountMin: SignedTransaction.encodedByteCountMin)
        self.init(
            randaoReveal: randaoReveal, proposerSlashings: proposerSlashings, attesterSlashings: attesterSlashings,
            attestations: attestations, transactions: transactions)
    }

    /// An estimate of the encoding's size, so that a block is usually written into one
    /// allocation: every fixed-size part exactly, and each transaction at a transfer's size with
    /// room to spare (a large deploy or call input just grows the buffer).
    var encodedByteCountEstimate: Int {
        // 128 bytes of slack cover a signature after the body (`SignedBlock`).
        var total = 32 + 4 * 4 + 128
        total += proposerSlashings.count * ProposerSlashing.encodedByteCount
        total += attesterSlashings.count * AttesterSlashing.encodedByteCount
        total += attestations.count * Attestation.encodedByteCount
        total += transactions.count * (SignedTransaction.encodedByteCountMin + 64)
        return total
    }
}

extension Block: CanonicalCodable {
    /// Writes `slot`, `proposerIndex`, `parentRoot`, `stateRoot`, then `body`.
    public func encode(to writer: inout ByteWriter) {
        // The body reserves room for itself and a trailing signature, after these 80 bytes.
        writer.write(slot.rawValue)
        writer.write(proposerIndex.rawValue)
        writer.write(parentRoot)
        writer.write(stateRoot)
        body.encode(to: &writer)
    }

    /// Reads `slot`, `proposerIndex`, `parentRoot`, `stateRoot`, then `body`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let slot = Slot(try reader.readUInt64("Block.slot"))
        let proposerIndex = ValidatorIndex(try reader.readUInt64("Block.proposerIndex"))
        let parentRoot = try reader.readHash32("Block.parentRoot")
        let stateRoot = try reader.readHash32("Block.stateRoot")
        let body = try BlockBody(from: &reader)
        self.init(slot: slot, proposerIndex: proposerIndex, parentRoot: parentRoot, stateRoot: stateRoot, body: body)
    }

    /// The block's root: the root of its header, whose `bodyRoot` is `body.hashTreeRoot`.
    ///
    /// This keeps phase0's identity `hash_tree_root(block) == hash_tree_root(header)`, which is
    /// what lets a proposer's signature over a block be checked against a `SignedBlockHeader`
    /// (proposer slashings, light nodes). It is still defined on canonical encodings: SHA-256
    /// of the header's encoding, whose body root is SHA-256 of the body's encoding.
    public var hashTreeRoot: Root {
        let header = BlockHeader(
            slot: slot, proposerIndex: proposerIndex, parentRoot: parentRoot, stateRoot: stateRoot,
            bodyRoot: body.hashTreeRoot)
        return header.hashTreeRoot
    }
}

extension SignedBlock: CanonicalCodable {
    /// Writes `message`, then `signature`.
    public func encode(to writer: inout ByteWriter) {
        message.encode(to: &writer)
        writer.write(signature)
    }

    /// Reads `message`, then `signature`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let message = try Block(from: &reader)
        let signature = try reader.readSignature("SignedBlock.signature")
        self.init(message: message, signature: signature)
    }
}
