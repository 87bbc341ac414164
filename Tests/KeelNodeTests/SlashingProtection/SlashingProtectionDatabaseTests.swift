import Foundation
import KeelChain
import KeelConsensus
import KeelCrypto
@testable import KeelNode
import KeelTestSupport
import XCTest

/// `SlashingProtectionDatabase`: the pure KeelConsensus rules on a durable history, recorded
/// before `allowed` is returned, the same across restarts and SIGKILL.
final class SlashingProtectionDatabaseTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var path: String { directory.path(SlashingProtectionDatabase.fileName) }
    static let genesisRoot = SHA256.hash(Array("keel/test/genesis".utf8))
    static let key = DevnetKeys.secretKey(validatorIndex: 0).publicKey
    static let otherKey = DevnetKeys.secretKey(validatorIndex: 1).publicKey

    override func setUpWithError() throws { directory = try TemporaryDirectory("keel-slashing") }
    override func tearDown() { directory = nil }

    static func root(_ tag: UInt64) -> Root { SHA256.hash(withUnsafeBytes(of: tag, Array.init)) }

    private func open() throws -> SlashingProtectionDatabase {
        try SlashingProtectionDatabase.open(path: path, genesisRoot: Self.genesisRoot)
    }

    func testBlocksFollowThePureRulesAndPersist() throws {
        var database = try open()
        let key = Self.key
        XCTAssertEqual(try database.checkAndRecordBlock(publicKey: key, slot: 5, signingRoot: Self.root(1)), .allowed)
        XCTAssertEqual(try database.checkAndRecordBlock(publicKey: key, slot: 5, signingRoot: Self.root(1)), .alreadySigned)
        XCTAssertEqual(
            try database.checkAndRecordBlock(publicKey: key, slot: 5, signingRoot: Self.root(2)), .refused(.doubleBlockProposal(slot: 5)))
        XCTAssertEqual(
            try database.checkAndRecordBlock(publicKey: key, slot: 4, signingRoot: Self.root(3)),
            .refused(.blockSlotNotAfterLatest(slot: 4, latest: 5)))
        XCTAssertEqual(try database.checkAndRecordBlock(publicKey: Self.otherKey, slot: 4, signingRoot: Self.root(3)), .allowed)
        database.close()
        database = try open()
        XCTAssertEqual(
            try database.checkAndRecordBlock(publicKey: key, slot: 5, signingRoot: Self.root(2)), .refused(.doubleBlockProposal(slot: 5)))
        XCTAssertEqual(try database.checkAndRecordBlock(publicKey: key, slot: 5, signingRoot: Self.root(1)), .alreadySigned)
        XCTAssertEqual(try database.checkAndRecordBlock(publicKey: key, slot: 6, signingRoot: Self.root(4)), .allowed)
    }

    func testAttestationsFollowThePureRulesAndPersist() throws {
        var database = try open()
        let key = Self.key
        XCTAssertEqual(try database.checkAndRecordAttestation(publicKey: key, source: 2, target: 3, signingRoot: Self.root(1)), .allowed)
        XCTAssertEqual(try database.checkAndRecordAttestation(publicKey: key, source: 3, target: 6, signingRoot: Self.root(2)), .allowed)
        database.close()
        database = try open()
        XCTAssertEqual(try database.checkAndRecordAttestation(publicKey: key, source: 3, target: 6, signingRoot: Self.root(2)), .alreadySigned)
        let cases: [(Epoch, Epoch, SlashingProtectionRefusal)] = [
            (3, 6, .doubleVote(previous: SignedAttestationRecord(sourceEpoch: 3, targetEpoch: 6, signingRoot: Self.root(2)))),
            (2, 7, .surroundsPrevious(SignedAttestationRecord(sourceEpoch: 3, targetEpoch: 6, signingRoot: Self.root(2)))),
            (4, 5, .surroundedByPrevious(SignedAttestationRecord(sourceEpoch: 3, targetEpoch: 6, signingRoot: Self.root(2)))),
            (1, 1, .sourceBelowMinimum(source: 1, minimum: 2)),
            (5, 4, .sourceAfterTarget(source: 5, target: 4)),
        ]
        for (source, target, refusal) in cases {
            XCTAssertEqual(
                try database.checkAndRecordAttestation(publicKey: key, source: source, target: target, signingRoot: Self.root(9)),
                .refused(refusal), "\(source) -> \(target)")
        }
        // Refusals are recorded nowhere: the history is the two allowed attestations.
        XCTAssertEqual(try database.history(publicKey: key).attestations.map(\.targetEpoch), [3, 6])
        XCTAssertEqual(try database.checkAndRecordAttestation(publicKey: key, source: 6, target: 7, signingRoot: Self.root(3)), .allowed)
    }

    /// The same sequence of requests gets the same decisions from the database (across a
    /// reopen after every call) as from the pure history kept in memory.
    func testDecisionsEqualThePureHistoryOnARandomSequence() throws {
        var random = SplitMix64(seed: 3076)
        var pure = SlashingProtectionHistory()
        for step in 0..<300 {
            let database = try open()
            if random.next() % 3 == 0 {
                let slot = Slot(random.next() % 40)
                let root = Self.root(random.next() % 3)
                XCTAssertEqual(
                    try database.checkAndRecordBlock(publicKey: Self.key, slot: slot, signingRoot: root),
                    pure.recordBlock(slot: slot, signingRoot: root), "step \(step)")
            } else {
                let source = Epoch(random.next() % 20)
                let target = Epoch(source.rawValue + random.next() % 6)
                let root = Self.root(random.next() % 3)
                XCTAssertEqual(
                    try database.checkAndRecordAttestation(publicKey: Self.key, source: source, target: target, signingRoot: root),
                    pure.recordAttestation(source: source, target: target, signingRoot: root), "step \(step)")
            }
            database.close()
        }
    }

    /// Beyond `historyLoadCountMax` records the older ones are folded, and still refuse
    /// everything slashable against them.
    func testFoldedOldRecordsStillRefuse() throws {
        let database = try open()
        let count = UInt64(SlashingProtectionDatabase.historyLoadCountMax + 10)
        // Written in one transaction through import (one fsync instead of hundreds).
        let records = (1...count).map {
            SignedAttestationRecord(sourceEpoch: Epoch($0 - 1), targetEpoch: Epoch($0), signingRoot: Self.root($0))
        }
        try database.importInterchange(SlashingProtectionInterchange(
            genesisValidatorsRoot: Self.genesisRoot,
            data: [.init(publicKey: Self.key, signedBlocks: [], signedAttestations: records)]))
        // A double vote on an old target, a vote surrounding old ones, and a re-sign of the latest.
        XCTAssertFalse(try database.checkAndRecordAttestation(publicKey: Self.key, source: 0, target: 2, signingRoot: Self.root(0)).maySign)
        XCTAssertFalse(try database.checkAndRecordAttestation(publicKey: Self.key, source: 0, target: Epoch(count + 5), signingRoot: Self.root(0)).maySign)
        XCTAssertEqual(
            try database.checkAndRecordAttestation(publicKey: Self.key, source: Epoch(count - 1), target: Epoch(count), signingRoot: Self.root(count)),
            .alreadySigned)
        XCTAssertEqual(try database.history(publicKey: Self.key).attestations.count, SlashingProtectionDatabase.historyLoadCountMax + 1)
    }

    func testRefusesAnotherGenesis() throws {
        try open().close()
        XCTAssertThrowsError(try SlashingProtectionDatabase.open(path: path, genesisRoot: Self.root(77))) { error in
            guard case .genesisMismatch = error as? SlashingProtectionError else { return XCTFail("\(error)") }
        }
    }

    /// A child signing attestations as fast as it can is killed with SIGKILL: every attestation
    /// it was told `allowed` is refused as a double vote after the restart.
    func testEveryAllowedAttestationSurvivesSIGKILL() throws {
        let path = self.path
        try open().close()
        let reported = runKilledChild(afterMilliseconds: 300) { report in
            guard let database = try? SlashingProtectionDatabase.open(path: path, genesisRoot: Self.genesisRoot) else { return }
            for target in UInt64(1)..<1_000_000 {
                let decision = try? database.checkAndRecordAttestation(
                    publicKey: Self.key, source: Epoch(target - 1), target: Epoch(target), signingRoot: Self.root(target))
                guard decision == .allowed else { return }
                report(target)
            }
        }
        let database = try open()
        XCTAssertEqual(try database.integrityCheck(), "ok")
        XCTAssertGreaterThan(reported.count, 0, "the child signed before it was killed")
        for target in reported.suffix(20) {
            XCTAssertEqual(
                try database.checkAndRecordAttestation(publicKey: Self.key, source: Epoch(target - 1), target: Epoch(target), signingRoot: Self.root(0)),
                .refused(.doubleVote(previous: SignedAttestationRecord(
                    sourceEpoch: Epoch(target - 1), targetEpoch: Epoch(target), signingRoot: Self.root(target)))))
        }
    }
}
