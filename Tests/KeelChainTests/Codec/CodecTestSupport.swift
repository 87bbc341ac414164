import KeelChain
import KeelCrypto
import KeelTestSupport
import KeelVM
import XCTest

/// Seeded random consensus objects for the codec tests: every value is fixed by the seed, and
/// integers lean towards the edges (0, 1, `UInt64.max`) where encodings break.
struct CodecGenerator {
    var rng: SplitMix64

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
    }

    /// A few valid x-only keys: deriving a key is a scalar multiplication, so tests reuse these.
    static let keys: [PublicKey] = (0..<8).map { DevnetKeys.secretKey(validatorIndex: $0).publicKey }

    mutating func int(_ range: Range<Int>) -> Int {
        Int.random(in: range, using: &rng)
    }

    mutating func u64() -> UInt64 {
        switch rng.next() % 8 {
        case 0: 0
        case 1: 1
        case 2: UInt64.max
        case 3: rng.next() % 1_000
        default: rng.next()
        }
    }

    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    mutating func hash() -> Hash32 {
        switch rng.next() % 8 {
        case 0: .zero
        default: Hash32(bytes: bytes(count: 32))!
        }
    }

    mutating func address() -> Address { Address(hash()) }
    mutating func signature() -> Signature { Signature(bytes: bytes(count: 64))! }
    mutating func publicKey() -> PublicKey { Self.keys[int(0..<Self.keys.count)] }
    mutating func slot() -> Slot { Slot(u64()) }
    mutating func epoch() -> Epoch { Epoch(u64()) }
    mutating func validatorIndex() -> ValidatorIndex { ValidatorIndex(u64()) }
    mutating func stake() -> Stake { Stake(u64()) }

    /// A field element, often at the edges `0` and `p - 1`.
    mutating func cell() -> UInt32 {
        switch rng.next() % 4 {
        case 0: 0
        case 1: KoalaBear.p - 1
        default: UInt32(rng.next() % UInt64(KoalaBear.p))
        }
    }

    mutating func cells(count: Int) -> [UInt32] { (0..<count).map { _ in cell() } }

    mutating func checkpoint() -> Checkpoint { Checkpoint(epoch: epoch(), root: hash()) }

    mutating func attestationData() -> AttestationData {
        AttestationData(slot: slot(), beaconBlockRoot: hash(), source: checkpoint(), target: checkpoint())
    }

    mutating func attestation() -> Attestation {
        Attestation(validatorIndex: validatorIndex(), data: attestationData(), signature: signature())
    }

    mutating func pendingAttestation() -> PendingAttestation {
        PendingAttestation(
            validatorIndex: validatorIndex(), data: attestationData(), inclusionDelay: slot(),
            proposerIndex: validatorIndex())
    }

    mutating func blockHeader() -> BlockHeader {
        BlockHeader(slot: slot(), proposerIndex: validatorIndex(), parentRoot: hash(), stateRoot: hash(), bodyRoot: hash())
    }

    mutating func signedBlockHeader() -> SignedBlockHeader {
        SignedBlockHeader(message: blockHeader(), signature: signature())
    }

    mutating func proposerSlashing() -> ProposerSlashing {
        ProposerSlashing(signedHeader1: signedBlockHeader(), signedHeader2: signedBlockHeader())
    }

    mutating func attesterSlashing() -> AttesterSlashing {
        AttesterSlashing(attestation1: attestation(), attestation2: attestation())
    }

    /// A kind with tag `tag` (0 transfer … 4 exit), or a random one.
    mutating func transactionKind(tag: Int? = nil) -> TransactionKind {
        switch tag ?? int(0..<5) {
        case 0: .transfer(recipient: address(), amount: stake())
        case 1: .deploy(code: bytes(count: int(0..<64)))
        case 2: .call(program: address(), input: cells(count: int(0..<16)), stepLimit: u64())
        case 3: .deposit(validatorKey: publicKey(), amount: stake(), randaoCommitment: hash(), proofOfPossession: signature())
        default: .exit(validator: validatorIndex())
        }
    }

    mutating func transaction(tag: Int? = nil) -> Transaction {
        Transaction(sender: address(), nonce: u64(), fee: stake(), kind: transactionKind(tag: tag))
    }

    mutating func signedTransaction(tag: Int? = nil) -> SignedTransaction {
        SignedTransaction(message: transaction(tag: tag), signature: signature())
    }

    /// A body with the given list lengths, or small random ones.
    mutating func blockBody(
        proposerSlashings: Int? = nil, attesterSlashings: Int? = nil, attestations: Int? = nil, transactions: Int? = nil
    ) -> BlockBody {
        let proposerSlashingCount = proposerSlashings ?? int(0..<3)
        let attesterSlashingCount = attesterSlashings ?? int(0..<3)
        let attestationCount = attestations ?? int(0..<6)
        let transactionCount = transactions ?? int(0..<6)
        return BlockBody(
            randaoReveal: hash(),
            proposerSlashings: (0..<proposerSlashingCount).map { _ in proposerSlashing() },
            attesterSlashings: (0..<attesterSlashingCount).map { _ in attesterSlashing() },
            attestations: (0..<attestationCount).map { _ in attestation() },
            transactions: (0..<transactionCount).map { _ in signedTransaction() })
    }

    mutating func block(body: BlockBody? = nil) -> Block {
        let body = body ?? blockBody()
        return Block(slot: slot(), proposerIndex: validatorIndex(), parentRoot: hash(), stateRoot: hash(), body: body)
    }

    mutating func signedBlock() -> SignedBlock { SignedBlock(message: block(), signature: signature()) }

    mutating func validator() -> Validator {
        Validator(
            publicKey: publicKey(), withdrawalAddress: address(), balance: stake(), effectiveStake: stake(),
            slashed: rng.next() & 1 == 1, activationEligibilityEpoch: epoch(), activationEpoch: epoch(),
            exitEpoch: epoch(), withdrawableEpoch: epoch(), randaoCommitment: hash())
    }

    mutating func account() -> Account { Account(balance: stake(), nonce: u64()) }

    mutating func programAccount() -> ProgramAccount {
        ProgramAccount(code: bytes(count: int(0..<64)), storage: cells(count: int(0..<32)))
    }
}

/// One codec under test, with its concrete type erased so that a test can loop over all of them.
struct CodecCase: Sendable {
    let name: String
    /// A random valid value's encoding.
    let sample: @Sendable (inout CodecGenerator) -> [UInt8]
    /// Decodes the bytes (rejecting trailing bytes) and re-encodes the result.
    let reencode: @Sendable ([UInt8]) throws(DecodingError) -> [UInt8]
    /// Checks `decode(encode(x)) == x` for a random `x`, returning whether it held.
    let roundTrips: @Sendable (inout CodecGenerator) -> Bool

    static func make<T: CanonicalCodable & Equatable>(
        _ type: T.Type, _ generate: @escaping @Sendable (inout CodecGenerator) -> T
    ) -> CodecCase {
        CodecCase(
            name: String(describing: type),
            sample: { generate(&$0).encoded },
            reencode: { (bytes: [UInt8]) throws(DecodingError) -> [UInt8] in try T(decoding: bytes).encoded },
            roundTrips: { generator in
                let value = generate(&generator)
                return (try? T(decoding: value.encoded)) == value
            })
    }

    /// Every consensus type with a codec.
    static let all: [CodecCase] = [
        make(Slot.self) { $0.slot() },
        make(Epoch.self) { $0.epoch() },
        make(ValidatorIndex.self) { $0.validatorIndex() },
        make(Stake.self) { $0.stake() },
        make(Address.self) { $0.address() },
        make(Hash32.self) { $0.hash() },
        make(PublicKey.self) { $0.publicKey() },
        make(Signature.self) { $0.signature() },
        make(Checkpoint.self) { $0.checkpoint() },
        make(AttestationData.self) { $0.attestationData() },
        make(Attestation.self) { $0.attestation() },
        make(PendingAttestation.self) { $0.pendingAttestation() },
        make(BlockHeader.self) { $0.blockHeader() },
        make(SignedBlockHeader.self) { $0.signedBlockHeader() },
        make(ProposerSlashing.self) { $0.proposerSlashing() },
        make(AttesterSlashing.self) { $0.attesterSlashing() },
        make(TransactionKind.self) { $0.transactionKind() },
        make(Transaction.self) { $0.transaction() },
        make(SignedTransaction.self) { $0.signedTransaction() },
        make(BlockBody.self) { $0.blockBody() },
        make(Block.self) { $0.block() },
        make(SignedBlock.self) { $0.signedBlock() },
        make(Validator.self) { $0.validator() },
        make(Account.self) { $0.account() },
        make(ProgramAccount.self) { $0.programAccount() },
    ]
}

/// Asserts that decoding `bytes` as `T` throws exactly `expected`.
func assertRejects<T: CanonicalCodable>(
    _ type: T.Type, _ bytes: [UInt8], with expected: DecodingError,
    file: StaticString = #filePath, line: UInt = #line
) {
    do throws(DecodingError) {
        _ = try T(decoding: bytes)
        XCTFail("\(T.self) decoded bytes that should be rejected with \(expected)", file: file, line: line)
    } catch {
        XCTAssertEqual(error, expected, file: file, line: line)
    }
}

/// The error decoding `bytes` as `T` throws, or `nil` if it decodes.
func decodingError<T: CanonicalCodable>(_ type: T.Type, _ bytes: [UInt8]) -> DecodingError? {
    do throws(DecodingError) {
        _ = try T(decoding: bytes)
        return nil
    } catch {
        return error
    }
}

/// Little-endian bytes of an integer, for writing expected encodings by hand.
func littleEndian<Integer: FixedWidthInteger>(_ value: Integer) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}
