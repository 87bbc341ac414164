import CSecp256k1

public extension SecretKey {
    /// Signs a 32-byte message with BIP-340 (`secp256k1_schnorrsig_sign32`).
    ///
    /// Keel always signs 32-byte, domain-separated signing roots, so this is the entry point the
    /// node uses. The result is deterministic given the key, message and auxiliary randomness.
    ///
    /// - Parameters:
    ///   - message: The 32-byte message.
    ///   - auxiliaryRandomness: BIP-340 `a`. It only hardens the nonce against side channels and
    ///     fault attacks; the zero default keeps the pure core free of an RNG, and BIP-340
    ///     nonces stay secure without it.
    /// - Returns: The 64-byte signature.
    func sign(_ message: Hash32, auxiliaryRandomness: Hash32 = .zero) -> Signature {
        var keypair = keypair
        let signature = Signature { output in
            message.withUnsafeBytes { messageBuffer in
                auxiliaryRandomness.withUnsafeBytes { auxiliaryBuffer in
                    let status = secp256k1_schnorrsig_sign32(
                        Secp256k1Context.shared.pointer,
                        output.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        messageBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        &keypair,
                        auxiliaryBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    precondition(status == 1, "BIP-340 signing cannot fail with a valid keypair")
                }
            }
        }
        // BIP-340 recommends verifying after signing to catch faults; it costs about twice the
        // signing time, so it is checked in debug builds (and therefore in every test run).
        assert(publicKey.isValidSignature(signature, for: message), "fresh signature must verify")
        return signature
    }

    /// Signs a message of any length with BIP-340 (`secp256k1_schnorrsig_sign_custom`).
    ///
    /// For BIP-340 test vectors 15 to 18 and for tools; chain messages use ``sign(_:auxiliaryRandomness:)``.
    /// For a 32-byte message both give the same signature.
    ///
    /// - Parameters:
    ///   - bytes: The message, signed as is (not hashed first).
    ///   - auxiliaryRandomness: BIP-340 `a`, as in ``sign(_:auxiliaryRandomness:)``.
    /// - Returns: The 64-byte signature.
    func sign(message bytes: [UInt8], auxiliaryRandomness: Hash32 = .zero) -> Signature {
        var keypair = keypair
        var auxiliary = auxiliaryRandomness.bytes
        let signature = Signature { output in
            bytes.withUnsafeBufferPointer { messageBuffer in
                auxiliary.withUnsafeMutableBytes { auxiliaryBuffer in
                    // Spelled out because the C macro SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT does
                    // not import; a nil nonce function selects the BIP-340 nonce function.
                    var extraParameters = secp256k1_schnorrsig_extraparams(
                        magic: (0xDA, 0x6F, 0xB3, 0x8C), noncefp: nil,
                        ndata: auxiliaryBuffer.baseAddress)
                    let status = secp256k1_schnorrsig_sign_custom(
                        Secp256k1Context.shared.pointer,
                        output.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        messageBuffer.baseAddress, messageBuffer.count, &keypair, &extraParameters)
                    precondition(status == 1, "BIP-340 signing cannot fail with a valid keypair")
                }
            }
        }
        assert(publicKey.isValidSignature(signature, forMessage: bytes), "fresh signature must verify")
        return signature
    }
}
