import Foundation
import KeelCrypto

/// A prover key file: `{"prover_secret_key": "<64 hex digits>"}`, the secret key a node started
/// with `--prover --prover-key-file FILE` signs its (stub) proofs with.
///
/// - Important: The key signs what the chain's light nodes accept as transition proofs; keep
///   the file private (mode 0600). The devnet key (`DevnetKeys.proverSecretKey`) is public.
public enum ProverKeyFile {
    /// The largest file read; a key file is under 100 bytes.
    public static let byteCountMax = 64 * 1024

    private struct FileJSON: Decodable {
        var proverSecretKey: String

        enum CodingKeys: String, CodingKey { case proverSecretKey = "prover_secret_key" }
    }

    /// Reads and checks a prover key file.
    ///
    /// - Parameter path: The file.
    /// - Returns: The secret key.
    /// - Throws: ``ProverKeyFileError`` naming the file and what is wrong with it.
    public static func load(path: String) throws(ProverKeyFileError) -> SecretKey {
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= byteCountMax else { throw ProverKeyFileError(path: path, reason: "the file is \(size) bytes, above the limit of \(byteCountMax)") }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as ProverKeyFileError {
            throw error
        } catch {
            throw ProverKeyFileError(path: path, reason: "cannot read: \(GenesisFile.reason(error))")
        }
        do { return try decode(json: data) } catch { throw ProverKeyFileError(path: path, reason: error.reason) }
    }

    /// Parses a prover key file's bytes.
    ///
    /// - Throws: ``ProverKeyFileError`` (without a path) naming what is wrong.
    public static func decode(json: Data) throws(ProverKeyFileError) -> SecretKey {
        let object: FileJSON
        do {
            object = try JSONDecoder().decode(FileJSON.self, from: json)
        } catch DecodingError.keyNotFound {
            throw ProverKeyFileError(reason: #"missing field "prover_secret_key""#)
        } catch DecodingError.typeMismatch {
            throw ProverKeyFileError(reason: #"expected a JSON object {"prover_secret_key": "<64 hex digits>"}"#)
        } catch {
            throw ProverKeyFileError(reason: #"not JSON of the form {"prover_secret_key": "<64 hex digits>"}"#)
        }
        let field = "prover_secret_key"
        guard let bytes = Hex.decode(object.proverSecretKey) else {
            throw ProverKeyFileError(reason: "\(field): not hex (an even number of hex digits, optionally prefixed with 0x)")
        }
        guard bytes.count == SecretKey.byteCount else {
            throw ProverKeyFileError(reason: "\(field): expected \(SecretKey.byteCount) bytes of hex, got \(bytes.count)")
        }
        guard let key = SecretKey(bytes: bytes) else {
            throw ProverKeyFileError(reason: "\(field): not a valid secp256k1 secret key (zero or not below the group order)")
        }
        return key
    }
}

/// Why a prover key file was refused: the file (when known) and the reason, in one line.
public struct ProverKeyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String?
    public var reason: String

    public init(path: String? = nil, reason: String) {
        precondition(!reason.isEmpty, "an error says why")
        self.path = path
        self.reason = reason
    }

    public var description: String { path.map { "\($0): \(reason)" } ?? reason }
}
