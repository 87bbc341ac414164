import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `processRandao`: the reveal must be the preimage of the proposer's last commitment, once.
final class ProcessRandaoTests: XCTestCase {
    private func block(_ state: ChainState, slot: Slot, reveal: Root) throws -> SignedBlock {
        var block = try RuleFixture.makeBlock(on: state, slot: slot).message
        block.body.randaoReveal = reveal
        return RuleFixture.sign(block, state)
    }

    func testAValidRevealBecomesTheCommitmentAndEntersTheMix() throws {
        var state = try RuleFixture.genesis()
        let signed = try RuleFixture.makeBlock(on: state, slot: 1)
        let proposer = Int(signed.message.proposerIndex.rawValue)
        let reveal = signed.message.body.randaoReveal
        XCTAssertEqual(SHA256.hash(reveal), state.validators[proposer].randaoCommitment)
        let mixBefore = state.getRandaoMix(0)
        RuleFixture.apply(signed, to: &state)
        XCTAssertEqual(state.validators[proposer].randaoCommitment, reveal)
        XCTAssertEqual(state.getRandaoMix(0), SHA256.hash(mixBefore, reveal))
        XCTAssertEqual(state.randaoMixes[1], mixBefore, "only the current epoch's mix changes")
    }

    func testARevealThatIsNotThePreimageIsRejected() throws {
        let state = try RuleFixture.genesis()
        let proposer = try RuleFixture.proposer(state, at: 1)
        let chain = DevnetGenesis.randaoChain(validatorIndex: proposer.rawValue, length: RuleFixture.randaoChainLength)
        // A random root, the commitment itself, and the second reveal (skipping the first).
        for reveal in [RuleFixture.root(5), chain.commitment, chain.reveal(number: 2)!] {
            XCTAssertEqual(
                RuleFixture.rejection(try block(state, slot: 1, reveal: reveal), on: state),
                .randao(.revealDoesNotMatchCommitment(proposer)))
        }
        // Another validator's valid first reveal.
        let other = (proposer.rawValue + 1) % 8
        let otherReveal = DevnetGenesis.randaoChain(validatorIndex: other, length: RuleFixture.randaoChainLength).reveal(number: 1)!
        XCTAssertEqual(
            RuleFixture.rejection(try block(state, slot: 1, reveal: otherReveal), on: state),
            .randao(.revealDoesNotMatchCommitment(proposer)))
    }

    func testReplayingThePreviousRevealIsRejected() throws {
        var state = try RuleFixture.genesis()
        var lastReveal: [ValidatorIndex: Root] = [:]
        for slot in 1...UInt64(32) {
            let proposer = try RuleFixture.proposer(state, at: Slot(slot))
            if let previous = lastReveal[proposer] {
                XCTAssertEqual(
                    RuleFixture.rejection(try block(state, slot: Slot(slot), reveal: previous), on: state),
                    .randao(.revealDoesNotMatchCommitment(proposer)))
                let fresh = try RuleFixture.makeBlock(on: state, slot: Slot(slot))
                XCTAssertEqual(SHA256.hash(fresh.message.body.randaoReveal), previous, "the next reveal hashes to the last")
                XCTAssertNil(RuleFixture.rejection(fresh, on: state))
                return
            }
            let signed = try RuleFixture.makeBlock(on: state, slot: Slot(slot))
            lastReveal[proposer] = signed.message.body.randaoReveal
            RuleFixture.apply(signed, to: &state)
        }
        XCTFail("no validator proposed twice in 32 slots")
    }
}
