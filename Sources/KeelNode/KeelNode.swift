// The node shell around one KeelConsensus `NodeCore`. Its public API speaks the core's types
// (`PeerID`, `ChainStatus`, `TransactionSubmissionError`) and the shared formats (`GenesisFile`,
// the API's JSON answers), so users of KeelNode get them too.
@_exported import KeelConsensus
@_exported import KeelFormats
