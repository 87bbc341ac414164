import KeelCrypto

extension TransactionKind: CanonicalCodable {
    /// The one-byte tag of each case. A tag is part of the consensus format: never renumber one.
    enum Tag: UInt8, CaseIterable {
        case transfer = 0
        case deploy = 1
        case call = 2
        case deposit = 3
        case exit = 4
    }

    /// The fewest bytes a kind encodes to: the tag and an empty deploy's count.
    static let encodedByteCountMin = 1 + 4

    /// The tag of this case.
    var tag: Tag {
        switch self {
        case .transfer: .transfer
        case .deploy: .deploy
        case .call: .call
        case .deposit: .deposit
        case .exit: .exit
        }
    }

    /// Writes the tag (0 transfer, 1 deploy, 2 call, 3 deposit, 4 exit), then the case's fields
    /// in order: code and input cells behind a `UInt32` count.
    public func encode(to writer: inout ByteWriter) {
        writer.write(tag.rawValue)
        switch self {
        case .transfer(let recipient, let amount):
            writer.write(recipient)
            writer.write(amount.rawValue)
        case .deploy(let code):
            writer.writeLengthPrefixed(code)
        case .call(let program, let input, let stepLimit):
            writer.write(program)
            writer.writeLengthPrefixed(input)
            writer.write(stepLimit)
        case .deposit(let validatorKey, let amount, let randaoCommitment, let proofOfPossession):
            writer.write(validatorKey)
            writer.write(amount.rawValue)
            writer.write(randaoCommitment)
            writer.write(proofOfPossession)
        case .exit(let validator):
            writer.write(validator.rawValue)
        }
    }

    /// Reads the tag, then the case's fields.
    ///
    /// - Throws: ``DecodingError/unknownTag(type:tag:)`` for a tag above 4; `listTooLong` for
    ///   code over ``CodecLimits/maxProgramBytes`` or input over
    ///   ``CodecLimits/maxCallInputCells``; `invalidValue` for an input cell not below
    ///   `KoalaBear.p` or a deposit key that is not a valid x-only key; `truncated`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let rawTag = try reader.readUInt8("TransactionKind.tag")
        guard let tag = Tag(rawValue: rawTag) else {
            throw .unknownTag(type: "TransactionKind", tag: rawTag)
        }
        switch tag {
        case .transfer:
            let recipient = try reader.readAddress("TransactionKind.transfer.recipient")
            let amount = Stake(try reader.readUInt64("TransactionKind.transfer.amount"))
            self = .transfer(recipient: recipient, amount: amount)
        case .deploy:
            let code = try reader.readLengthPrefixedBytes(
                "TransactionKind.deploy.code", limit: CodecLimits.maxProgramBytes)
            self = .deploy(code: code)
        case .call:
            let program = try reader.readAddress("TransactionKind.call.program")
            let input = try reader.readFieldElements(
                "TransactionKind.call.input", limit: CodecLimits.maxCallInputCells)
            let stepLimit = try reader.readUInt64("TransactionKind.call.stepLimit")
            self = .call(program: program, input: input, stepLimit: stepLimit)
        case .deposit:
            let validatorKey = try reader.readPublicKey("TransactionKind.deposit.validatorKey")
            let amount = Stake(try reader.readUInt64("TransactionKind.deposit.amount"))
            let randaoCommitment = try reader.readHash32("TransactionKind.deposit.randaoCommitment")
            let proofOfPossession = try reader.readSignature("TransactionKind.deposit.proofOfPossession")
            self = .deposit(
                validatorKey: validatorKey, amount: amount, randaoCommitment: randaoCommitment,
                proofOfPossession: proofOfPossession)
        case .exit:
            self = .exit(validator: ValidatorIndex(try reader.readUInt64("TransactionKind.exit.validator")))
        }
        assert(self.tag == tag, "the decoded case matches its tag")
    }
}

extension Transaction: CanonicalCodable {
    /// The fewest bytes a transaction encodes to: sender, nonce, fee and the smallest kind.
    static let encodedByteCountMin = 32 + 8 + 8 + TransactionKind.encodedByteCountMin

    /// Writes `sender`, `nonce`, `fee`, `kind`.
    public func encode(to writer: inout ByteWriter) {
        writer.write(sender)
        writer.write(nonce)
        writer.write(fee.rawValue)
        kind.encode(to: &writer)
    }

    /// Reads `sender`, `nonce`, `fee`, `kind`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let sender = try reader.readAddress("Transaction.sender")
        let nonce = try reader.readUInt64("Transaction.nonce")
        let fee = Stake(try reader.readUInt64("Transaction.fee"))
        let kind = try TransactionKind(from: &reader)
        self.init(sender: sender, nonce: nonce, fee: fee, kind: kind)
    }
}

extension SignedTransaction: CanonicalCodable {
    /// The fewest bytes a signed transaction encodes to.
    static let encodedByteCountMin = Transaction.encodedByteCountMin + 64

    /// Writes `message`, then `signature`.
    public func encode(to writer: inout ByteWriter) {
        message.encode(to: &writer)
        writer.write(signature)
    }

    /// Reads `message`, then `signature`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let message = try Transaction(from: &reader)
        let signature = try reader.readSignature("SignedTransaction.signature")
        self.init(message: message, signature: signature)
    }
}
