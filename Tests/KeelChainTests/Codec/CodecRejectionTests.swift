import KeelChain
import KeelCrypto
import KeelVM
import XCTest

final class CodecRejectionTests: XCTestCase {
    /// A block carrying some of everything, including every transaction kind.
    private func sampleBlock(seed: UInt64 = 1) -> Block {
        var generator = CodecGenerator(seed: seed)
        var body = generator.blockBody(proposerSlashings: 2, attesterSlashings: 2, attestations: 3, transactions: 0)
        body.transactions = (0..<5).map { generator.signedTransaction(tag: $0) }
        return generator.block(body: body)
    }

    // MARK: Truncated input and trailing bytes

    func testEveryProperPrefixOfABlockIsTruncated() {
        let bytes = sampleBlock().encoded
        for length in 0..<bytes.count {
            guard case .truncated? = decodingError(Block.self, Array(bytes[0..<length])) else {
                return XCTFail("a \(length)-byte prefix of a \(bytes.count)-byte block was not rejected as truncated")
            }
        }
    }

    func testEveryProperPrefixOfEveryTypeIsTruncated() {
        var generator = CodecGenerator(seed: 2)
        for codec in CodecCase.all {
            for _ in 0..<5 {
                let bytes = codec.sample(&generator)
                for length in 0..<bytes.count {
                    do throws(DecodingError) {
                        _ = try codec.reencode(Array(bytes[0..<length]))
                        XCTFail("\(codec.name): a \(length)-byte prefix decoded")
                    } catch {
                        guard case .truncated = error else {
                            return XCTFail("\(codec.name): a \(length)-byte prefix gave \(error)")
                        }
                    }
                }
            }
        }
    }

    func testOneTrailingByteIsRejected() {
        var generator = CodecGenerator(seed: 3)
        for codec in CodecCase.all {
            let bytes = codec.sample(&generator) + [0]
            do throws(DecodingError) {
                _ = try codec.reencode(bytes)
                XCTFail("\(codec.name) accepted a trailing byte")
            } catch {
                XCTAssertEqual(error, .trailingBytes(type: codec.name, count: 1))
            }
        }
        assertRejects(Block.self, sampleBlock().encoded + [0xFF], with: .trailingBytes(type: "Block", count: 1))
    }

    // MARK: Lists over their limits

    /// The offset of each list's count in an encoding of `BlockBody(randaoReveal:)` with empty lists.
    private let emptyBody = BlockBody(randaoReveal: .zero).encoded

    private func bodyWithCount(_ count: UInt32, atList list: Int) -> [UInt8] {
        var bytes = emptyBody
        bytes.replaceSubrange((32 + 4 * list)..<(32 + 4 * list + 4), with: littleEndian(count))
        return bytes
    }

    func testBlockListCountsOverTheirLimitsAreRejectedBeforeAllocating() {
        let lists: [(String, UInt64)] = [
            ("BlockBody.proposerSlashings", CodecLimits.maxProposerSlashings),
            ("BlockBody.attesterSlashings", CodecLimits.maxAttesterSlashings),
            ("BlockBody.attestations", CodecLimits.maxAttestations),
            ("BlockBody.transactions", CodecLimits.maxTransactions),
        ]
        for (index, (field, limit)) in lists.enumerated() {
            // 0xFFFFFFFF elements would be hundreds of gigabytes: this must fail at the count.
            assertRejects(
                BlockBody.self, bodyWithCount(.max, atList: index),
                with: .listTooLong(field: field, count: 0xFFFF_FFFF, limit: limit))
            assertRejects(
                BlockBody.self, bodyWithCount(UInt32(limit + 1), atList: index),
                with: .listTooLong(field: field, count: limit + 1, limit: limit))
            // A count within the limit that the input cannot hold fails at the count too.
            guard case .truncated(let type, _, _)? = decodingError(BlockBody.self, bodyWithCount(UInt32(limit), atList: index))
            else {
                return XCTFail("\(field): a count the input cannot hold was not truncated")
            }
            XCTAssertEqual(type, field)
        }
    }

    func testDeployCodeOverItsLimitIsRejected() {
        let count = UInt32(CodecLimits.maxProgramBytes + 1)
        assertRejects(
            TransactionKind.self, [1] + littleEndian(count),
            with: .listTooLong(field: "TransactionKind.deploy.code", count: UInt64(count), limit: CodecLimits.maxProgramBytes))
        assertRejects(
            TransactionKind.self, [1] + littleEndian(UInt32.max),
            with: .listTooLong(field: "TransactionKind.deploy.code", count: 0xFFFF_FFFF, limit: CodecLimits.maxProgramBytes))
    }

    func testCallInputOverItsLimitIsRejected() {
        let count = UInt32(CodecLimits.maxCallInputCells + 1)
        assertRejects(
            TransactionKind.self, [2] + [UInt8](repeating: 0, count: 32) + littleEndian(count),
            with: .listTooLong(field: "TransactionKind.call.input", count: UInt64(count), limit: CodecLimits.maxCallInputCells))
    }

    func testProgramStorageOverItsLimitIsRejected() {
        let count = UInt32(CodecLimits.maxProgramStorageCells + 1)
        assertRejects(
            ProgramAccount.self, [0, 0, 0, 0] + littleEndian(count),
            with: .listTooLong(
                field: "ProgramAccount.storage", count: UInt64(count), limit: CodecLimits.maxProgramStorageCells))
        assertRejects(
            ProgramAccount.self, littleEndian(UInt32.max),
            with: .listTooLong(field: "ProgramAccount.code", count: 0xFFFF_FFFF, limit: CodecLimits.maxProgramBytes))
    }

    // MARK: Tags and values

    func testUnknownTransactionKindTagsAreRejected() {
        var generator = CodecGenerator(seed: 4)
        for tag in [UInt8(5), 6, 0x80, 0xFF] {
            var bytes = generator.transactionKind(tag: 4).encoded
            bytes[0] = tag
            assertRejects(TransactionKind.self, bytes, with: .unknownTag(type: "TransactionKind", tag: tag))
            var transaction = generator.signedTransaction().encoded
            transaction[32 + 8 + 8] = tag
            assertRejects(SignedTransaction.self, transaction, with: .unknownTag(type: "TransactionKind", tag: tag))
        }
    }

    /// x = 0 is not on secp256k1, and 0xFF…FF is not below the field size.
    private let invalidKeys: [[UInt8]] = [[UInt8](repeating: 0, count: 32), [UInt8](repeating: 0xFF, count: 32)]

    func testInvalidPublicKeysAreRejected() {
        var generator = CodecGenerator(seed: 5)
        for keyBytes in invalidKeys {
            XCTAssertNil(PublicKey(bytes: keyBytes))
            guard case .invalidValue(let field, _)? = decodingError(PublicKey.self, keyBytes) else {
                return XCTFail("PublicKey accepted \(keyBytes)")
            }
            XCTAssertEqual(field, "PublicKey")

            var validator = generator.validator().encoded
            validator.replaceSubrange(0..<32, with: keyBytes)
            guard case .invalidValue(let validatorField, _)? = decodingError(Validator.self, validator) else {
                return XCTFail("Validator accepted an invalid key")
            }
            XCTAssertEqual(validatorField, "Validator.publicKey")

            var deposit = generator.transactionKind(tag: 3).encoded
            deposit.replaceSubrange(1..<33, with: keyBytes)
            guard case .invalidValue(let depositField, _)? = decodingError(TransactionKind.self, deposit) else {
                return XCTFail("a deposit with an invalid key decoded")
            }
            XCTAssertEqual(depositField, "TransactionKind.deposit.validatorKey")
        }
    }

    func testBoolBytesOtherThanZeroAndOneAreRejected() {
        var generator = CodecGenerator(seed: 6)
        let slashedOffset = 32 + 32 + 8 + 8
        for byte in [UInt8(2), 0x80, 0xFF] {
            var bytes = generator.validator().encoded
            bytes[slashedOffset] = byte
            assertRejects(
                Validator.self, bytes,
                with: .invalidValue(field: "Validator.slashed", reason: "bool byte \(byte) is neither 0 nor 1"))
        }
    }

    func testCallInputCellsMustBeBelowTheModulus() {
        let program = Address(.zero)
        for cell in [KoalaBear.p, KoalaBear.p + 1, UInt32.max] {
            let kind = TransactionKind.call(program: program, input: [0, cell], stepLimit: 1)
            guard case .invalidValue(let field, let reason)? = decodingError(TransactionKind.self, kind.encoded) else {
                return XCTFail("a call input cell of \(cell) decoded")
            }
            XCTAssertEqual(field, "TransactionKind.call.input")
            XCTAssertTrue(reason.contains("\(cell)"), reason)
        }
        let edge = TransactionKind.call(program: program, input: [KoalaBear.p - 1], stepLimit: 1)
        XCTAssertEqual(try TransactionKind(decoding: edge.encoded), edge)
    }

    func testProgramStorageCellsMustBeBelowTheModulus() {
        let account = ProgramAccount(code: [1, 2, 3], storage: [KoalaBear.p])
        guard case .invalidValue(let field, _)? = decodingError(ProgramAccount.self, account.encoded) else {
            return XCTFail("a storage cell of p decoded")
        }
        XCTAssertEqual(field, "ProgramAccount.storage")
    }
}
