import KeelChain
import KeelCrypto

/// One message of the peer-to-peer protocol: the payload of a frame.
///
/// Gossip (`block`, `attestation`, `proposerSlashing`, `attesterSlashing`, `transaction`) is
/// de-duplicated by ``messageID`` and forwarded by the node once it has judged it valid;
/// `blocksByRangeRequest`/`blocksByRootRequest` are answered with one `blocksResponse` carrying
/// the same `requestID`.
///
/// The encoding is canonical (see `WireMessage+Codec.swift`): a one-byte tag, then the case's
/// fields through the KeelChain codec.
public enum WireMessage: Hashable, Sendable {
    /// The handshake: sent by both sides first, exactly once.
    case hello(Hello)
    /// The sender is closing the connection, and why.
    case goodbye(GoodbyeReason)
    /// A liveness probe; the peer answers `pong` with the same nonce.
    case ping(UInt64)
    /// The answer to `ping`.
    case pong(UInt64)
    /// Gossip: a new block.
    case block(SignedBlock)
    /// Gossip: one validator's attestation.
    case attestation(Attestation)
    /// Gossip: evidence of a double proposal.
    case proposerSlashing(ProposerSlashing)
    /// Gossip: evidence of a double or surround vote.
    case attesterSlashing(AttesterSlashing)
    /// Gossip: a transaction for the mempool.
    case transaction(SignedTransaction)
    /// Asks for the canonical blocks of `count` slots from `startSlot` (at most
    /// ``WireLimits/responseBlockCountMax``).
    case blocksByRangeRequest(requestID: UInt64, startSlot: Slot, count: UInt64)
    /// Asks for the blocks with the given roots (at most ``WireLimits/requestRootCountMax``).
    case blocksByRootRequest(requestID: UInt64, roots: [Root])
    /// The answer to either request: the blocks the responder has, in slot order.
    case blocksResponse(requestID: UInt64, blocks: [SignedBlock])

    /// Whether this message is gossip: de-duplicated, delivered to the node and forwarded.
    public var isGossip: Bool {
        switch self {
        case .block, .attestation, .proposerSlashing, .attesterSlashing, .transaction: true
        case .hello, .goodbye, .ping, .pong, .blocksByRangeRequest, .blocksByRootRequest, .blocksResponse: false
        }
    }

    /// The gossip identifier: SHA-256 of the message's canonical encoding, so that two copies of
    /// one message have one identifier whichever peer sent them.
    public var messageID: Hash32 {
        SHA256.hash(encoded)
    }
}
