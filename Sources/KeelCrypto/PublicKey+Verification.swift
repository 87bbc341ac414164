import CSecp256k1

public extension PublicKey {
    /// Checks a BIP-340 signature over a 32-byte message, the form every Keel signing root has.
    ///
    /// - Parameters:
    ///   - signature: The 64-byte signature.
    ///   - message: The 32-byte message (a domain-separated signing root).
    /// - Returns: `true` exactly when BIP-340 `Verify(bytes(self), message, signature)` succeeds.
    ///   Safe on adversarial input: a malformed signature is simply `false`.
    func isValidSignature(_ signature: Signature, for message: Hash32) -> Bool {
        message.withUnsafeBytes { messageBuffer in
            verify(signature, message: messageBuffer)
        }
    }

    /// Checks a BIP-340 signature over a message of any length (BIP-340 since 2022 allows them;
    /// test vectors 15 to 18 use lengths 0, 1, 17 and 100).
    ///
    /// - Parameters:
    ///   - signature: The 64-byte signature.
    ///   - bytes: The message, used as is (not hashed first).
    /// - Returns: `true` exactly when BIP-340 verification succeeds.
    func isValidSignature(_ signature: Signature, forMessage bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { messageBuffer in
            verify(signature, message: messageBuffer)
        }
    }

    /// The shared body of both verification entry points.
    private func verify(_ signature: Signature, message: UnsafeRawBufferPointer) -> Bool {
        SignatureCheckCount.increment()
        var key = parsed
        let status = signature.withUnsafeBytes { signatureBuffer in
            precondition(signatureBuffer.count == Signature.byteCount, "signatures are 64 bytes")
            return secp256k1_schnorrsig_verify(
                Secp256k1Context.shared.pointer,
                signatureBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self),
                message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, &key)
        }
        precondition(status == 0 || status == 1, "secp256k1_schnorrsig_verify returns 0 or 1")
        return status == 1
    }
}
