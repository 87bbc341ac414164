import KeelCrypto

/// One validator's signed vote.
///
/// Departure from phase0: secp256k1 Schnorr signatures have no non-interactive aggregation, so an
/// attestation carries one validator's index and signature instead of a bitfield and an
/// aggregate. It doubles as phase0's `IndexedAttestation` with a single index.
public struct Attestation: Hashable, Sendable {
    public var validatorIndex: ValidatorIndex
    public var data: AttestationData
    public var signature: Signature

    public init(validatorIndex: ValidatorIndex, data: AttestationData, signature: Signature) {
        self.validatorIndex = validatorIndex
        self.data = data
        self.signature = signature
    }
}
