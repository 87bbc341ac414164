import KeelChain
import KeelCrypto
import KeelVM
import XCTest

/// Changes a value in the smallest way that keeps it valid.
private func bumped(_ hash: Hash32) -> Hash32 {
    var bytes = hash.bytes
    bytes[31] ^= 1
    return Hash32(bytes: bytes)!
}

private func bumped(_ address: Address) -> Address { Address(bumped(address.hash)) }

private func bumped(_ signature: Signature) -> Signature {
    var bytes = signature.bytes
    bytes[63] ^= 1
    return Signature(bytes: bytes)!
}

private func bumped<T: UInt64Wrapper>(_ value: T) -> T { T(value.rawValue &+ 1) }

private func bumped(_ key: PublicKey) -> PublicKey {
    key == CodecGenerator.keys[0] ? CodecGenerator.keys[1] : CodecGenerator.keys[0]
}

/// A named change to one field of a `T`.
private typealias Mutation<T> = (String, (inout T) -> Void)

/// Asserts that the root of `base` and of each mutation of it are all different.
private func assertEveryFieldChangesRoot<T: CanonicalCodable & Equatable>(
    _ base: T, _ mutations: [Mutation<T>], file: StaticString = #filePath, line: UInt = #line
) {
    var seen: [Root: String] = [base.hashTreeRoot: "base"]
    for (field, mutate) in mutations {
        var changed = base
        mutate(&changed)
        XCTAssertNotEqual(changed, base, "\(T.self).\(field): the mutation changed nothing", file: file, line: line)
        let root = changed.hashTreeRoot
        if let other = seen[root] {
            XCTFail("\(T.self).\(field) has the same root as \(other)", file: file, line: line)
        }
        seen[root] = field
    }
}

final class HashTreeRootTests: XCTestCase {
    private var generator = CodecGenerator(seed: 0x5EED)

    func testRootIsSHA256OfTheCanonicalEncoding() {
        let attestation = generator.attestation()
        XCTAssertEqual(attestation.hashTreeRoot, SHA256.hash(attestation.encoded))
        let validator = generator.validator()
        XCTAssertEqual(validator.hashTreeRoot, SHA256.hash(validator.encoded))
        let body = generator.blockBody()
        XCTAssertEqual(body.hashTreeRoot, SHA256.hash(body.encoded))
    }

    /// phase0's `hash_tree_root(block) == hash_tree_root(header)`: what lets a block signature be
    /// checked against a signed header in a proposer slashing.
    func testBlockRootIsItsHeaderRoot() {
        let block = generator.block()
        let header = BlockHeader(
            slot: block.slot, proposerIndex: block.proposerIndex, parentRoot: block.parentRoot,
            stateRoot: block.stateRoot, bodyRoot: block.body.hashTreeRoot)
        XCTAssertEqual(block.hashTreeRoot, header.hashTreeRoot)
        // Generic code sees the same root as concrete code.
        func genericRoot<T: CanonicalCodable>(_ value: T) -> Root { value.hashTreeRoot }
        XCTAssertEqual(genericRoot(block), block.hashTreeRoot)
    }

    func testCheckpointAndAttestationFields() {
        assertEveryFieldChangesRoot(generator.checkpoint(), [
            ("epoch", { $0.epoch = bumped($0.epoch) }),
            ("root", { $0.root = bumped($0.root) }),
        ])
        assertEveryFieldChangesRoot(generator.attestationData(), [
            ("slot", { $0.slot = bumped($0.slot) }),
            ("beaconBlockRoot", { $0.beaconBlockRoot = bumped($0.beaconBlockRoot) }),
            ("source.epoch", { $0.source.epoch = bumped($0.source.epoch) }),
            ("source.root", { $0.source.root = bumped($0.source.root) }),
            ("target.epoch", { $0.target.epoch = bumped($0.target.epoch) }),
            ("target.root", { $0.target.root = bumped($0.target.root) }),
        ])
        assertEveryFieldChangesRoot(generator.attestation(), [
            ("validatorIndex", { $0.validatorIndex = bumped($0.validatorIndex) }),
            ("data", { $0.data.slot = bumped($0.data.slot) }),
            ("signature", { $0.signature = bumped($0.signature) }),
        ])
        assertEveryFieldChangesRoot(generator.pendingAttestation(), [
            ("validatorIndex", { $0.validatorIndex = bumped($0.validatorIndex) }),
            ("data", { $0.data.beaconBlockRoot = bumped($0.data.beaconBlockRoot) }),
            ("inclusionDelay", { $0.inclusionDelay = bumped($0.inclusionDelay) }),
            ("proposerIndex", { $0.proposerIndex = bumped($0.proposerIndex) }),
        ])
    }

    func testHeaderAndSlashingFields() {
        assertEveryFieldChangesRoot(generator.blockHeader(), [
            ("slot", { $0.slot = bumped($0.slot) }),
            ("proposerIndex", { $0.proposerIndex = bumped($0.proposerIndex) }),
            ("parentRoot", { $0.parentRoot = bumped($0.parentRoot) }),
            ("stateRoot", { $0.stateRoot = bumped($0.stateRoot) }),
            ("bodyRoot", { $0.bodyRoot = bumped($0.bodyRoot) }),
        ])
        assertEveryFieldChangesRoot(generator.signedBlockHeader(), [
            ("message", { $0.message.slot = bumped($0.message.slot) }),
            ("signature", { $0.signature = bumped($0.signature) }),
        ])
        assertEveryFieldChangesRoot(generator.proposerSlashing(), [
            ("signedHeader1", { $0.signedHeader1.signature = bumped($0.signedHeader1.signature) }),
            ("signedHeader2", { $0.signedHeader2.signature = bumped($0.signedHeader2.signature) }),
            ("swapped", { swap(&$0.signedHeader1, &$0.signedHeader2) }),
        ])
        assertEveryFieldChangesRoot(generator.attesterSlashing(), [
            ("attestation1", { $0.attestation1.validatorIndex = bumped($0.attestation1.validatorIndex) }),
            ("attestation2", { $0.attestation2.validatorIndex = bumped($0.attestation2.validatorIndex) }),
        ])
    }

    func testTransactionFields() {
        let transaction = generator.transaction(tag: 0)
        assertEveryFieldChangesRoot(transaction, [
            ("sender", { $0.sender = bumped($0.sender) }),
            ("nonce", { $0.nonce &+= 1 }),
            ("fee", { $0.fee = bumped($0.fee) }),
            ("kind", { $0.kind = .exit(validator: 0) }),
        ])
        let recipient = generator.address()
        let program = generator.address()
        let key = generator.publicKey()
        let commitment = generator.hash()
        let proof = generator.signature()
        let kinds: [(TransactionKind, [Mutation<TransactionKind>])] = [
            (.transfer(recipient: recipient, amount: 5), [
                ("recipient", { $0 = .transfer(recipient: bumped(recipient), amount: 5) }),
                ("amount", { $0 = .transfer(recipient: recipient, amount: 6) }),
            ]),
            (.deploy(code: [1, 2, 3]), [
                ("code byte", { $0 = .deploy(code: [1, 2, 4]) }),
                ("code length", { $0 = .deploy(code: [1, 2, 3, 0]) }),
                ("empty code", { $0 = .deploy(code: []) }),
            ]),
            (.call(program: program, input: [7, 8], stepLimit: 100), [
                ("program", { $0 = .call(program: bumped(program), input: [7, 8], stepLimit: 100) }),
                ("input cell", { $0 = .call(program: program, input: [7, 9], stepLimit: 100) }),
                ("input length", { $0 = .call(program: program, input: [7, 8, 0], stepLimit: 100) }),
                ("stepLimit", { $0 = .call(program: program, input: [7, 8], stepLimit: 101) }),
            ]),
            (.deposit(validatorKey: key, amount: 32, randaoCommitment: commitment, proofOfPossession: proof), [
                ("validatorKey", {
                    $0 = .deposit(validatorKey: bumped(key), amount: 32, randaoCommitment: commitment, proofOfPossession: proof)
                }),
                ("amount", {
                    $0 = .deposit(validatorKey: key, amount: 33, randaoCommitment: commitment, proofOfPossession: proof)
                }),
                ("randaoCommitment", {
                    $0 = .deposit(validatorKey: key, amount: 32, randaoCommitment: bumped(commitment), proofOfPossession: proof)
                }),
                ("proofOfPossession", {
                    $0 = .deposit(validatorKey: key, amount: 32, randaoCommitment: commitment, proofOfPossession: bumped(proof))
                }),
            ]),
            (.exit(validator: 3), [("validator", { $0 = .exit(validator: 4) })]),
        ]
        for (kind, mutations) in kinds {
            assertEveryFieldChangesRoot(kind, mutations)
        }
        // The tag is committed to: the same payload under another tag is another root.
        XCTAssertNotEqual(
            TransactionKind.exit(validator: 0).hashTreeRoot, TransactionKind.deploy(code: [0, 0, 0, 0]).hashTreeRoot)
        assertEveryFieldChangesRoot(generator.signedTransaction(), [
            ("message", { $0.message.nonce &+= 1 }),
            ("signature", { $0.signature = bumped($0.signature) }),
        ])
    }

    func testBlockFields() {
        var block = generator.block(body: generator.blockBody(
            proposerSlashings: 1, attesterSlashings: 1, attestations: 2, transactions: 2))
        block.body.transactions[0].message.kind = .call(program: generator.address(), input: [1], stepLimit: 9)
        let extraAttestation = generator.attestation()
        let blockMutations: [Mutation<Block>] = [
            ("slot", { $0.slot = bumped($0.slot) }),
            ("proposerIndex", { $0.proposerIndex = bumped($0.proposerIndex) }),
            ("parentRoot", { $0.parentRoot = bumped($0.parentRoot) }),
            ("stateRoot", { $0.stateRoot = bumped($0.stateRoot) }),
            ("body.randaoReveal", { $0.body.randaoReveal = bumped($0.body.randaoReveal) }),
            ("body.proposerSlashings", { $0.body.proposerSlashings.removeAll() }),
            ("body.attesterSlashings", { $0.body.attesterSlashings.removeAll() }),
            ("body.attestations element", { $0.body.attestations[1].signature = bumped($0.body.attestations[1].signature) }),
            ("body.attestations order", { $0.body.attestations.swapAt(0, 1) }),
            ("body.attestations length", { $0.body.attestations.append(extraAttestation) }),
            ("body.transactions", { $0.body.transactions[0].message.kind = .call(
                program: Address(.zero), input: [1], stepLimit: 9) }),
            ("body.transactions length", { $0.body.transactions.removeLast() }),
        ]
        assertEveryFieldChangesRoot(block, blockMutations)
        let signedBlock = SignedBlock(message: block, signature: generator.signature())
        assertEveryFieldChangesRoot(signedBlock, [
            ("message", { $0.message.slot = bumped($0.message.slot) }),
            ("signature", { $0.signature = bumped($0.signature) }),
        ])
    }

    func testStateEntryFields() {
        var validator = generator.validator()
        validator.slashed = false
        let validatorMutations: [Mutation<Validator>] = [
            ("publicKey", { $0.publicKey = bumped($0.publicKey) }),
            ("withdrawalAddress", { $0.withdrawalAddress = bumped($0.withdrawalAddress) }),
            ("balance", { $0.balance = bumped($0.balance) }),
            ("effectiveStake", { $0.effectiveStake = bumped($0.effectiveStake) }),
            ("slashed", { $0.slashed = true }),
            ("activationEligibilityEpoch", { $0.activationEligibilityEpoch = bumped($0.activationEligibilityEpoch) }),
            ("activationEpoch", { $0.activationEpoch = bumped($0.activationEpoch) }),
            ("exitEpoch", { $0.exitEpoch = bumped($0.exitEpoch) }),
            ("withdrawableEpoch", { $0.withdrawableEpoch = bumped($0.withdrawableEpoch) }),
            ("randaoCommitment", { $0.randaoCommitment = bumped($0.randaoCommitment) }),
        ]
        assertEveryFieldChangesRoot(validator, validatorMutations)
        assertEveryFieldChangesRoot(generator.account(), [
            ("balance", { $0.balance = bumped($0.balance) }),
            ("nonce", { $0.nonce &+= 1 }),
        ])
        assertEveryFieldChangesRoot(ProgramAccount(code: [1, 2], storage: [3, 4]), [
            ("code", { $0.code[0] = 9 }),
            ("storage", { $0.storage[1] = 9 }),
            // Moving a byte between the two lists keeps the concatenated payload but not the counts.
            ("boundary", { $0 = ProgramAccount(code: [1], storage: [3, 4]) }),
            ("empty storage", { $0.storage = [] }),
        ])
    }
}
