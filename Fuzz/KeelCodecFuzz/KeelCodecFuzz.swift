import KeelChain
import KeelCrypto

/// Fuzzes the canonical decoders of every consensus object (`CanonicalCodable` in
/// Sources/KeelChain/Codec) and of the whole `ChainState`.
///
/// Input layout: byte 0 selects the type (modulo the number of types, in the order of
/// `decoders` below), the rest is decoded as one object of that type. For every input that
/// decodes:
/// - re-encoding gives exactly the input bytes (the codec is canonical: a bijection);
/// - decoding the re-encoding gives an equal value;
/// - `hashTreeRoot` does not crash and is SHA-256 of the encoding (except `Block`, whose root
///   is its header's, and `ChainState`, whose root is its Merkle tree's: those are only
///   computed, twice, and must agree).
/// Input that does not decode must throw a `DecodingError`, never crash.
/// Any violation traps, which libFuzzer reports as a crash with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let selector = Int(bytes[0]) % decoders.count
    decoders[selector](bytes[1...])
    return 0
}

/// One decoder per type; the selector byte picks one. Append only, so committed seeds keep
/// their meaning.
private let decoders: [@Sendable (ArraySlice<UInt8>) -> Void] = [
    { roundTrip(Block.self, $0, flatRoot: false) },             // 0
    { roundTrip(SignedBlock.self, $0) },                        // 1
    { roundTrip(BlockBody.self, $0) },                          // 2
    { roundTrip(Attestation.self, $0) },                        // 3
    { roundTrip(AttestationData.self, $0) },                    // 4
    { roundTrip(Checkpoint.self, $0) },                         // 5
    { roundTrip(ProposerSlashing.self, $0) },                   // 6
    { roundTrip(AttesterSlashing.self, $0) },                   // 7
    { roundTrip(Transaction.self, $0) },                        // 8
    { roundTrip(SignedTransaction.self, $0) },                  // 9
    { roundTrip(TransactionKind.self, $0) },                    // 10
    { roundTrip(BlockHeader.self, $0) },                        // 11
    { roundTrip(SignedBlockHeader.self, $0) },                  // 12
    { roundTrip(Validator.self, $0) },                          // 13
    { roundTrip(Account.self, $0) },                            // 14
    { roundTrip(ProgramAccount.self, $0) },                     // 15
    { roundTrip(PendingAttestation.self, $0) },                 // 16
    { roundTrip(Slot.self, $0) },                               // 17
    { roundTrip(Epoch.self, $0) },                              // 18
    { roundTrip(ValidatorIndex.self, $0) },                     // 19
    { roundTrip(Stake.self, $0) },                              // 20
    { roundTrip(Address.self, $0) },                            // 21
    { roundTrip(Hash32.self, $0) },                             // 22
    { roundTrip(PublicKey.self, $0) },                          // 23
    { roundTrip(Signature.self, $0) },                          // 24
    { chainStateRoundTrip($0) },                                // 25
]

private func roundTrip<T: CanonicalCodable & Equatable>(_: T.Type, _ bytes: ArraySlice<UInt8>, flatRoot: Bool = true) {
    let value: T
    do {
        value = try T(decoding: bytes)
    } catch {
        _ = error.description
        return
    }
    let encoded = value.encoded
    precondition(encoded.elementsEqual(bytes), "\(T.self): re-encoding changed the bytes")
    guard let again = try? T(decoding: encoded) else { preconditionFailure("\(T.self): its own encoding does not decode") }
    precondition(again == value, "\(T.self): decode(encode(x)) != x")
    let root = value.hashTreeRoot
    if flatRoot {
        precondition(root == SHA256.hash(encoded), "\(T.self): root is not SHA-256 of the encoding")
    } else {
        precondition(root == again.hashTreeRoot, "\(T.self): equal values, different roots")
    }
}

private func chainStateRoundTrip(_ bytes: ArraySlice<UInt8>) {
    var state: ChainState
    do {
        state = try ChainState(decoding: Array(bytes))
    } catch {
        _ = error.description
        return
    }
    let encoded = state.encoded
    precondition(encoded.elementsEqual(bytes), "ChainState: re-encoding changed the bytes")
    guard var again = try? ChainState(decoding: encoded) else { preconditionFailure("ChainState: its own encoding does not decode") }
    precondition(state.hashTreeRoot() == again.hashTreeRoot(), "ChainState: equal encodings, different roots")
}
