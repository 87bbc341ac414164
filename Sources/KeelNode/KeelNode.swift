// The node shell around one KeelConsensus `NodeCore`. Its public API speaks the core's types
// (`PeerID`, `ChainStatus`, `TransactionSubmissionError`), so users of KeelNode get them too.
@_exported import KeelConsensus
