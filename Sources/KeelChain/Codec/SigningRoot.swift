import KeelCrypto

/// The root a signature is made over: the object's root bound to a domain and to the chain.
///
/// Stands for phase0 `compute_signing_root(ssz_object, domain)` together with
/// `compute_domain(domain_type, fork_version, genesis_validators_root)`. Departures from phase0:
/// there are no forks, so the domain is the one-byte `DomainType` and the genesis root directly,
/// not a 32-byte `Domain` built from a `ForkData` root; and the three parts are hashed as one
/// 65-byte string rather than Merkleized as a `SigningData` container.
///
/// - Parameters:
///   - objectRoot: The root of what is signed (`hashTreeRoot` of a block, an attestation's data,
///     a transaction).
///   - domain: The kind of message, so a signature over one kind is never valid for another.
///   - genesisRoot: The chain's genesis root (phase0 `genesis_validators_root`), so a signature
///     is valid on one chain only.
/// - Returns: `SHA256(domain byte ‖ genesisRoot ‖ objectRoot)`.
public func computeSigningRoot(_ objectRoot: Root, domain: DomainType, genesisRoot: Root) -> Root {
    var hasher = SHA256.Hasher()
    withUnsafeBytes(of: domain.rawValue) { domainByte in
        precondition(domainByte.count == 1, "a domain is one byte")
        hasher.update(bytes: domainByte)
    }
    hasher.update(genesisRoot)
    hasher.update(objectRoot)
    return hasher.finalize()
}
