import KeelChain
import KeelCrypto
import KeelVM
import XCTest

final class CanonicalCodableTests: XCTestCase {
    // MARK: Round trips

    func testRandomValuesOfEveryTypeRoundTrip() {
        for codec in CodecCase.all {
            var generator = CodecGenerator(seed: 0xC0DEC)
            for iteration in 0..<300 {
                XCTAssertTrue(codec.roundTrips(&generator), "\(codec.name) iteration \(iteration)")
            }
        }
    }

    func testEveryTransactionKindRoundTrips() throws {
        var generator = CodecGenerator(seed: 11)
        for tag in 0..<5 {
            for _ in 0..<100 {
                let transaction = generator.signedTransaction(tag: tag)
                XCTAssertEqual(transaction.encoded[32 + 8 + 8], UInt8(tag))
                XCTAssertEqual(try SignedTransaction(decoding: transaction.encoded), transaction)
            }
        }
    }

    func testEdgeValuesRoundTrip() throws {
        let maxCheckpoint = Checkpoint(epoch: Epoch(.max), root: .zero)
        XCTAssertEqual(try Checkpoint(decoding: maxCheckpoint.encoded), maxCheckpoint)
        let emptyBody = BlockBody(randaoReveal: .zero)
        XCTAssertEqual(emptyBody.encoded.count, 32 + 4 * 4)
        XCTAssertEqual(try BlockBody(decoding: emptyBody.encoded), emptyBody)
        let maxAccount = Account(balance: Stake(.max), nonce: .max)
        XCTAssertEqual(try Account(decoding: maxAccount.encoded), maxAccount)
        let emptyProgram = ProgramAccount(code: [], storage: [])
        XCTAssertEqual(try ProgramAccount(decoding: emptyProgram.encoded), emptyProgram)
        let kinds: [TransactionKind] = [
            .deploy(code: []), .call(program: Address(.zero), input: [], stepLimit: .max),
            .transfer(recipient: Address(.zero), amount: Stake(.max)), .exit(validator: ValidatorIndex(.max)),
        ]
        for kind in kinds {
            XCTAssertEqual(try TransactionKind(decoding: kind.encoded), kind)
        }
    }

    func testListsAtTheirLimitRoundTrip() throws {
        var generator = CodecGenerator(seed: 99)
        let body = generator.blockBody(
            proposerSlashings: Int(CodecLimits.maxProposerSlashings),
            attesterSlashings: Int(CodecLimits.maxAttesterSlashings),
            attestations: Int(CodecLimits.maxAttestations), transactions: Int(CodecLimits.maxTransactions))
        let block = generator.block(body: body)
        XCTAssertEqual(try Block(decoding: block.encoded), block)

        let code = generator.bytes(count: Int(CodecLimits.maxProgramBytes))
        let deploy = TransactionKind.deploy(code: code)
        XCTAssertEqual(try TransactionKind(decoding: deploy.encoded), deploy)
        let call = TransactionKind.call(
            program: generator.address(), input: generator.cells(count: Int(CodecLimits.maxCallInputCells)), stepLimit: 1)
        XCTAssertEqual(try TransactionKind(decoding: call.encoded), call)
        let program = ProgramAccount(code: code, storage: generator.cells(count: Int(CodecLimits.maxProgramStorageCells)))
        XCTAssertEqual(try ProgramAccount(decoding: program.encoded), program)
    }

    func testDecodingAcceptsAnyCollection() throws {
        var generator = CodecGenerator(seed: 5)
        let attestation = generator.attestation()
        let bytes = attestation.encoded
        XCTAssertEqual(try Attestation(decoding: bytes[...]), attestation)
        XCTAssertEqual(try Attestation(decoding: ([0xEE] + bytes).dropFirst()), attestation)
        XCTAssertEqual(try Attestation(decoding: bytes.reversed().reversed() as ReversedCollection), attestation)
    }

    // MARK: The format, byte for byte

    func testCheckpointIsEpochThenRoot() {
        let root = Hash32(bytes: Array(1...32))!
        let checkpoint = Checkpoint(epoch: 0x0102_0304_0506_0708, root: root)
        XCTAssertEqual(checkpoint.encoded, [8, 7, 6, 5, 4, 3, 2, 1] + Array(1...32))
        XCTAssertEqual(checkpoint.encoded.count, 8 + 32)
    }

    func testCustomTypesAreEightBytesLittleEndian() {
        XCTAssertEqual(Slot(0x0102).encoded, [2, 1, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(Epoch(.max).encoded, [UInt8](repeating: 0xFF, count: 8))
        XCTAssertEqual(ValidatorIndex(7).encoded, [7, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(Stake(256).encoded, [0, 1, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(Hash32(bytes: Array(0..<32))!.encoded, Array(0..<32))
        XCTAssertEqual(CodecGenerator.keys[0].encoded, CodecGenerator.keys[0].bytes)
        XCTAssertEqual(Signature(bytes: Array(0..<64))!.encoded, Array(0..<64))
    }

    func testTransferTransactionLayout() {
        let sender = Address(Hash32(bytes: [UInt8](repeating: 0xAA, count: 32))!)
        let recipient = Address(Hash32(bytes: [UInt8](repeating: 0xBB, count: 32))!)
        let transaction = Transaction(
            sender: sender, nonce: 3, fee: Stake(10), kind: .transfer(recipient: recipient, amount: Stake(500)))
        let expected: [UInt8] =
            [UInt8](repeating: 0xAA, count: 32) + littleEndian(UInt64(3)) + littleEndian(UInt64(10)) + [0]
            + [UInt8](repeating: 0xBB, count: 32) + littleEndian(UInt64(500))
        XCTAssertEqual(transaction.encoded, expected)
    }

    func testCallAndDeployLayout() {
        let program = Address(Hash32(bytes: [UInt8](repeating: 0xCC, count: 32))!)
        let call = TransactionKind.call(program: program, input: [1, KoalaBear.p - 1], stepLimit: 1_000)
        XCTAssertEqual(
            call.encoded,
            [2] + [UInt8](repeating: 0xCC, count: 32) + [2, 0, 0, 0] + littleEndian(UInt32(1))
                + littleEndian(KoalaBear.p - 1) + littleEndian(UInt64(1_000)))
        XCTAssertEqual(TransactionKind.deploy(code: [9, 8]).encoded, [1, 2, 0, 0, 0, 9, 8])
        XCTAssertEqual(TransactionKind.exit(validator: 5).encoded, [4, 5, 0, 0, 0, 0, 0, 0, 0])
    }

    func testValidatorLayout() throws {
        var generator = CodecGenerator(seed: 3)
        var validator = generator.validator()
        validator.slashed = true
        let bytes = validator.encoded
        XCTAssertEqual(bytes.count, 32 + 32 + 8 + 8 + 1 + 4 * 8 + 32)
        XCTAssertEqual(Array(bytes[0..<32]), validator.publicKey.bytes)
        XCTAssertEqual(bytes[32 + 32 + 16], 1, "slashed is one byte after the two stakes")
        XCTAssertEqual(Array(bytes.suffix(32)), validator.randaoCommitment.bytes)
    }

    func testBlockBodyLayoutIsRevealThenFourCountedLists() {
        var generator = CodecGenerator(seed: 8)
        let attestation = generator.attestation()
        let body = BlockBody(randaoReveal: .zero, attestations: [attestation])
        let expected: [UInt8] =
            [UInt8](repeating: 0, count: 32) + [0, 0, 0, 0] + [0, 0, 0, 0] + [1, 0, 0, 0] + attestation.encoded
            + [0, 0, 0, 0]
        XCTAssertEqual(body.encoded, expected)
        XCTAssertEqual(attestation.encoded.count, 8 + (8 + 32 + 40 + 40) + 64)
    }

    func testEncodingIsDeterministic() {
        var first = CodecGenerator(seed: 21)
        var second = CodecGenerator(seed: 21)
        XCTAssertEqual(first.signedBlock().encoded, second.signedBlock().encoded)
    }
}
