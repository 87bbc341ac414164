import BenchSupport
import CSecp256k1
import KeelCrypto

/// BIP-340 sign and verify through KeelCrypto against the same libsecp256k1 calls made directly
/// (`secp256k1_schnorrsig_verify` and `_sign32` on pre-parsed keys and keypairs, a context of
/// its own), on the same keys and messages.
struct SchnorrBench: @unchecked Sendable {
    let count: Int
    let secretKeys: [SecretKey]
    let publicKeys: [PublicKey]
    let messages: [Hash32]
    let signatures: [Signature]
    /// The direct side: a context of its own, randomized like KeelCrypto's.
    let context: OpaquePointer
    var keypairs: [secp256k1_keypair]
    var xonlyKeys: [secp256k1_xonly_pubkey]
    let messageBytes: [UInt8]
    let signatureBytes: [UInt8]

    /// Thread CPU nanoseconds of one pass over every key, per side, per round.
    struct Times { var ours: [Double] = []; var direct: [Double] = [] }

    init(count: Int) {
        precondition(count > 0, "at least one key")
        self.count = count
        secretKeys = (0..<count).map { DevnetKeys.secretKey(validatorIndex: UInt64($0)) }
        publicKeys = secretKeys.map(\.publicKey)
        messages = (0..<count).map { SHA256.hash(Array("limits/schnorr/\($0)".utf8)) }
        signatures = zip(secretKeys, messages).map { $0.sign($1) }
        guard let created = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            preconditionFailure("secp256k1_context_create failed")
        }
        let seed = SHA256.hash(Array("limits/context".utf8)).bytes
        precondition(secp256k1_context_randomize(created, seed) == 1, "randomizing a fresh context works")
        context = created
        keypairs = secretKeys.map { key in
            var keypair = secp256k1_keypair()
            precondition(secp256k1_keypair_create(created, &keypair, key.bytes) == 1, "valid secret key")
            return keypair
        }
        xonlyKeys = publicKeys.map { key in
            var xonly = secp256k1_xonly_pubkey()
            precondition(secp256k1_xonly_pubkey_parse(created, &xonly, key.bytes) == 1, "valid public key")
            return xonly
        }
        messageBytes = messages.flatMap(\.bytes)
        signatureBytes = signatures.flatMap(\.bytes)
        precondition(oursVerify() == count && directVerify() == count, "every signature verifies on both sides")
        precondition(directSignatures() == signatureBytes, "both sides sign the same bytes")
    }

    /// How many signatures KeelCrypto accepts (all of them).
    func oursVerify() -> Int {
        var valid = 0
        for index in 0..<count where publicKeys[index].isValidSignature(signatures[index], for: messages[index]) {
            valid += 1
        }
        return valid
    }

    /// How many signatures libsecp256k1 accepts, called directly.
    func directVerify() -> Int {
        var keys = xonlyKeys
        var valid = 0
        messageBytes.withUnsafeBufferPointer { messages in
            signatureBytes.withUnsafeBufferPointer { signatures in
                for index in 0..<count {
                    valid += Int(secp256k1_schnorrsig_verify(
                        context, signatures.baseAddress! + 64 * index, messages.baseAddress! + 32 * index, 32, &keys[index]))
                }
            }
        }
        return valid
    }

    func oursSign() {
        for index in 0..<count { blackHole(secretKeys[index].sign(messages[index])) }
    }

    /// Signs every message directly with the zero auxiliary randomness KeelCrypto defaults to.
    func directSignatures() -> [UInt8] {
        var keys = keypairs
        var output = [UInt8](repeating: 0, count: 64 * count)
        let auxiliary = [UInt8](repeating: 0, count: 32)
        messageBytes.withUnsafeBufferPointer { messages in
            output.withUnsafeMutableBufferPointer { output in
                for index in 0..<count {
                    let status = secp256k1_schnorrsig_sign32(
                        context, output.baseAddress! + 64 * index, messages.baseAddress! + 32 * index, &keys[index], auxiliary)
                    precondition(status == 1, "signing with a valid keypair works")
                }
            }
        }
        return output
    }

    /// Times both sides back to back, `runs` rounds after a warm-up, order alternating.
    func measure(runs: Int) -> (verify: Times, sign: Times) {
        var verify = Times()
        var sign = Times()
        func time(_ body: () -> Void) -> Double {
            let start = Clock.threadCPU()
            body()
            return Double(Clock.threadCPU() - start)
        }
        for round in -1..<runs {
            let oursFirst = round % 2 == 0
            for ours in [oursFirst, !oursFirst] {
                let verifying = time { precondition((ours ? oursVerify() : directVerify()) == count, "valid") }
                let signing = time { if ours { oursSign() } else { blackHole(directSignatures()) } }
                guard round >= 0 else { continue }
                if ours {
                    verify.ours.append(verifying)
                    sign.ours.append(signing)
                } else {
                    verify.direct.append(verifying)
                    sign.direct.append(signing)
                }
            }
        }
        return (verify, sign)
    }
}

/// The median over rounds of direct time / our time: our speed as a fraction of the direct speed.
func speedFraction(_ times: SchnorrBench.Times) -> Double {
    median(zip(times.ours, times.direct).map { $1 / $0 })
}
