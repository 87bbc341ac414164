import Foundation
import KeelCrypto
import XCTest

/// The 19 official BIP-340 test vectors (bitcoin/bips, bip-0340/test-vectors.csv), read from
/// `<repo>/../shared/vectors/bip340-test-vectors.csv` at test time.
final class BIP340VectorTests: XCTestCase {
    /// One row of the CSV.
    struct Vector {
        let index: Int
        let secretKey: [UInt8]?
        let publicKey: [UInt8]
        let auxiliaryRandomness: [UInt8]?
        let message: [UInt8]
        let signature: [UInt8]
        let expected: Bool
        let comment: String
    }

    static let expectedVectorCount = 19

    /// The vector file: climb from this source file to the repository root (the directory
    /// holding Package.swift), then to `../shared/vectors/`.
    private func vectorFileURL() -> URL? {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let manifest = directory.appendingPathComponent("Package.swift").path
            if FileManager.default.fileExists(atPath: manifest) {
                return directory.appendingPathComponent("../shared/vectors/bip340-test-vectors.csv")
                    .standardizedFileURL
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Loads every vector, failing the test (never skipping it) when the file is missing.
    private func loadVectors() throws -> [Vector] {
        let url = try XCTUnwrap(vectorFileURL(), "no Package.swift above \(#filePath)")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("BIP-340 vector file missing or unreadable at \(url.path)")
            throw CocoaError(.fileNoSuchFile)
        }
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        XCTAssertFalse(lines.isEmpty, "empty vector file at \(url.path)")
        XCTAssertEqual(lines.isEmpty ? "" : lines.removeFirst(),
                       "index,secret key,public key,aux_rand,message,signature,verification result,comment")
        return try lines.map(parse)
    }

    private func parse(_ line: String) throws -> Vector {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(fields.count, 8, "row: \(line)")
        guard fields.count == 8 else { throw CocoaError(.coderReadCorrupt) }
        func optionalBytes(_ field: String) throws -> [UInt8]? {
            field.isEmpty ? nil : try hexBytes(field)
        }
        XCTAssert(["TRUE", "FALSE"].contains(fields[6]), "row: \(line)")
        return Vector(
            index: try XCTUnwrap(Int(fields[0])),
            secretKey: try optionalBytes(fields[1]),
            publicKey: try hexBytes(fields[2]),
            auxiliaryRandomness: try optionalBytes(fields[3]),
            message: try hexBytes(fields[4]),
            signature: try hexBytes(fields[5]),
            expected: fields[6] == "TRUE",
            comment: fields[7])
    }

    func testFileHoldsAllNineteenVectors() throws {
        let vectors = try loadVectors()
        XCTAssertEqual(vectors.count, Self.expectedVectorCount)
        XCTAssertEqual(vectors.map(\.index), Array(0..<Self.expectedVectorCount))
        XCTAssertEqual(vectors.filter { $0.message.count != 32 }.map(\.message.count), [0, 1, 17, 100])
    }

    func testSigningReproducesEveryVectorWithASecretKey() throws {
        let vectors = try loadVectors().filter { $0.secretKey != nil }
        XCTAssertEqual(vectors.count, 8, "vectors 0-3 and 15-18 carry secret keys")
        for vector in vectors {
            let context = "vector \(vector.index)"
            let secretKey = try XCTUnwrap(SecretKey(bytes: try XCTUnwrap(vector.secretKey)), context)
            XCTAssertEqual(secretKey.publicKey.bytes, vector.publicKey, context)
            let auxiliary = try XCTUnwrap(Hash32(bytes: try XCTUnwrap(vector.auxiliaryRandomness)), context)
            let signature: Signature
            if let message = Hash32(bytes: vector.message) {
                signature = secretKey.sign(message, auxiliaryRandomness: auxiliary)
                XCTAssertEqual(secretKey.sign(message: vector.message, auxiliaryRandomness: auxiliary),
                               signature, "\(context): both signing paths agree on 32-byte messages")
            } else {
                signature = secretKey.sign(message: vector.message, auxiliaryRandomness: auxiliary)
            }
            XCTAssertEqual(signature.bytes, vector.signature, context)
        }
    }

    func testVerificationGivesTheExpectedResultForEveryVector() throws {
        let vectors = try loadVectors()
        var invalidKeyIndices: [Int] = []
        for vector in vectors {
            let context = "vector \(vector.index) (\(vector.comment))"
            let signature = try XCTUnwrap(Signature(bytes: vector.signature), context)
            guard let publicKey = PublicKey(bytes: vector.publicKey) else {
                invalidKeyIndices.append(vector.index)
                XCTAssertFalse(vector.expected, "\(context): a valid key failed to parse")
                continue
            }
            XCTAssertEqual(publicKey.bytes, vector.publicKey, context)
            let viaBytes = publicKey.isValidSignature(signature, forMessage: vector.message)
            XCTAssertEqual(viaBytes, vector.expected, context)
            if let message = Hash32(bytes: vector.message) {
                XCTAssertEqual(publicKey.isValidSignature(signature, for: message), vector.expected, context)
            }
        }
        XCTAssertEqual(invalidKeyIndices, [5, 14], "exactly the two invalid-key vectors fail to parse")
    }
}
