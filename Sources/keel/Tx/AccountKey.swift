import Foundation
import KeelChain
import KeelCrypto

/// The key `keel tx` signs with: a devnet account's (`--from K`: the genesis account of
/// validator K, whose key every devnet process can derive) or one from a key file (`--key`).
struct AccountKey {
    let secretKey: SecretKey
    /// Where it came from, for messages: `devnet account 0` or the file's path.
    let origin: String

    var address: Address { Address(secretKey.publicKey) }

    /// The largest key file read; a key file is under 100 bytes.
    static let fileByteCountMax = 64 * 1024

    /// Reads an account key file, `{"secret_key": "<64 hex digits>"}`, which must be private
    /// (mode 0600 or stricter: no access for group or others), like a validator keys file.
    static func load(path: String) throws -> AccountKey {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw UsageError("--key \(path): cannot read: no such file or not readable")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        guard mode & 0o077 == 0 else {
            throw UsageError("--key \(path): the key file is readable by others (mode \(String(mode, radix: 8))); run 'chmod 600 \(path)'")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= fileByteCountMax else { throw UsageError("--key \(path): the file is \(size) bytes, above the limit of \(fileByteCountMax)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("--key \(path): cannot read") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw UsageError(#"--key \#(path): not JSON of the form {"secret_key": "<64 hex digits>"}"#)
        }
        let unknown = object.keys.filter { $0 != "secret_key" }.sorted()
        guard unknown.isEmpty else { throw UsageError("--key \(path): unknown field \"\(unknown[0])\"") }
        guard let text = object["secret_key"] as? String else { throw UsageError(#"--key \#(path): missing field "secret_key" (a string)"#) }
        guard let bytes = Hex.decode(text) else {
            throw UsageError("--key \(path): secret_key: not hex (an even number of hex digits, optionally prefixed with 0x)")
        }
        guard bytes.count == SecretKey.byteCount else {
            throw UsageError("--key \(path): secret_key: expected \(SecretKey.byteCount) bytes of hex, got \(bytes.count)")
        }
        guard let key = SecretKey(bytes: bytes) else {
            throw UsageError("--key \(path): secret_key: not a valid secp256k1 secret key (zero or not below the group order)")
        }
        return AccountKey(secretKey: key, origin: path)
    }

    /// Devnet account `index`: the withdrawal account of devnet validator `index`.
    static func devnet(_ index: UInt64) -> AccountKey {
        AccountKey(secretKey: DevnetKeys.secretKey(validatorIndex: index), origin: "devnet account \(index)")
    }

    /// Signs `transaction` for the chain of `genesisRoot`.
    func sign(_ transaction: Transaction, genesisRoot: Root) -> SignedTransaction {
        precondition(transaction.sender == address, "an account signs its own transactions")
        return SignedTransaction(message: transaction, signature: secretKey.sign(transaction.signingRoot(genesisRoot: genesisRoot)))
    }
}
